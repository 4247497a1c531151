"""Rate limits on the REST API (DRF throttling): per address for anonymous callers, per user
for logged-in ones and tokens, and a stricter one for the token endpoint. A refused request gets
429 with a Norwegian message and ``Retry-After``.

The rates are read when a request is checked (not when DRF is imported), so settings changed at
run time (tests) apply."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class _RatesFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    pass


class TokenEndpointThrottle(_RatesFromSettings, throttling.SimpleRateThrottle):
    """For views about tokens: per user when logged in, else per address."""

    scope = "token"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttled_message(wait: float | None) -> str:
    if wait is None:
        return _("For mange forespørsler. Vent litt og prøv igjen.")
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "For mange forespørsler. Prøv igjen om %(seconds)d sekund.",
        "For mange forespørsler. Prøv igjen om %(seconds)d sekunder.",
        seconds,
    ) % {"seconds": seconds}


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        exc = exceptions.Throttled(wait=wait)
        exc.detail = exceptions.ErrorDetail(throttled_message(wait), code="throttled")
    return drf_exception_handler(exc, context)
