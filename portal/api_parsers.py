"""The API's JSON parser: JSON the portal can store and write out again.

Python's JSON reader accepts three things the rest of the stack cannot handle, and each would
end as a 500 far from the request: deep nesting exhausts the recursion limit; a lone surrogate
("\\udc00") is valid JSON but not valid Unicode, so neither PostgreSQL nor an error message
echoing it can encode it; and a NUL character ("\\u0000") cannot be stored in, or even compared
against, a PostgreSQL text column. All three are refused here, once for every endpoint, with a
Norwegian message and before any view reads the body.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
            nul = _has_nul(data)
        except RecursionError as exc:
            raise ParseError(_("JSON-dataene er nøstet for dypt.")) from exc
        except UnicodeEncodeError as exc:
            raise ParseError(
                _("Teksten inneholder ugyldige Unicode-tegn (enslige surrogater).")
            ) from exc
        if nul:
            raise ParseError(_("Teksten inneholder et NUL-tegn (\\u0000), som ikke kan lagres."))
        return data
