"""Security headers and upload checks for the whole site.

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware with one policy for the portal
  (no inline or eval'd script) and a looser one only where the Wagtail admin and the API docs
  need it (``CSP_RELAXED_PREFIXES``).
- ``PermissionsPolicyMiddleware``: turns off browser features the portal never uses.
- ``DocumentForm``: Wagtail's document form with a check of the file's signature, so a file
  renamed to ``.pdf`` is refused (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        prefixes = tuple(getattr(settings, "CSP_RELAXED_PREFIXES", ()))
        if prefixes and request.path_info.startswith(prefixes):
            return PolicyParts(
                settings.CSP_RELAXED_DIRECTIVES, parts.update, parts.replace, parts.nonce
            )
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=()" for feature in getattr(settings, "PERMISSIONS_POLICY_DENY", ())
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


# The first bytes of each allowed format. docx/xlsx/pptx/odt/ods are zip archives; their
# content type inside is checked too. csv and txt have no signature: they must be text.
_ZIP = b"PK\x03\x04"
_SIGNATURES = {"pdf": b"%PDF-", "docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "odt": _ZIP, "ods": _ZIP}
_ZIP_MARKERS = {
    "docx": "word/",
    "xlsx": "xl/",
    "pptx": "ppt/",
}
_OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def check_file_signature(upload) -> None:
    """Refuse a file whose content is not what its name says (an HTML page named .pdf)."""
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    message = _("Filen «%(name)s» ser ikke ut til å være en gyldig %(type)s-fil.")
    params = {"name": upload.name, "type": extension.upper()}
    if extension in ("csv", "txt"):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the 4096th byte
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    raise ValidationError(message, code="file_signature", params=params) from None
        if b"\x00" in head or head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<svg")):
            raise ValidationError(message, code="file_signature", params=params)
        return
    signature = _SIGNATURES.get(extension)
    if signature is None or not head.startswith(signature):
        raise ValidationError(message, code="file_signature", params=params)
    if signature == _ZIP:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if extension in _OPENDOCUMENT_TYPES:
                    ok = (
                        "mimetype" in names
                        and archive.read("mimetype").strip() == (_OPENDOCUMENT_TYPES[extension])
                    )
                else:
                    ok = "[Content_Types].xml" in names and any(
                        name.startswith(_ZIP_MARKERS[extension]) for name in names
                    )
        except (zipfile.BadZipFile, OSError, KeyError):
            ok = False
        finally:
            upload.seek(0)
        if not ok:
            raise ValidationError(message, code="file_signature", params=params)


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            extension = Path(upload.name or "").suffix.lower().lstrip(".")
            allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []
            if extension not in allowed:
                raise ValidationError(
                    _("Filtypen «%(ext)s» er ikke tillatt. Tillatt: %(allowed)s."),
                    code="file_type",
                    params={"ext": extension or "?", "allowed": ", ".join(allowed)},
                )
            check_file_signature(upload)
        return upload


# Ids and years in this portal fit in a PostgreSQL integer; a larger number in a URL
# (/moter/9999999999999999999999999/) overflows the database driver and would answer 500.
MAX_URL_INTEGER = 2**31 - 1


class UrlIntegerGuardMiddleware:
    """A URL whose integer part is too large for the database is a page that does not exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        values = [*view_args, *view_kwargs.values()]
        if any(
            isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_URL_INTEGER
            for v in values
        ):
            if request.path_info.startswith("/api/"):  # the API answers JSON, also here
                from portal.api_guards import api_not_found

                return api_not_found(request)
            raise Http404("Fant ikke siden.")
        return None


class PublicAddressMiddleware:
    """API responses link with the configured public address (PORTAL_BASE_URL), not whatever
    Host the request came in with (an internal name behind the proxy, or a forged one)."""

    def __init__(self, get_response):
        from urllib.parse import urlsplit

        self.get_response = get_response
        parts = urlsplit(getattr(settings, "PORTAL_BASE_URL", "") or "")
        self.netloc, self.scheme = parts.netloc, parts.scheme
        self.prefixes = tuple(getattr(settings, "PUBLIC_ADDRESS_PREFIXES", ("/api/",)))

    def __call__(self, request):
        if self.netloc and request.path_info.startswith(self.prefixes):
            request.META["HTTP_HOST"] = self.netloc
            request.META.pop("HTTP_X_FORWARDED_HOST", None)
            if self.scheme == "https":
                request.is_secure = lambda: True
                request._get_scheme = lambda: "https"
        return self.get_response(request)
