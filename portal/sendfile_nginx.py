"""A sendfile backend for Wagtail's document view behind nginx: Django checks who may download
the document, then hands the file to nginx with X-Accel-Redirect (``SENDFILE_BACKEND =
"portal.sendfile_nginx"``, ``SENDFILE_URL`` an ``internal`` nginx location for MEDIA_ROOT)."""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def sendfile(request, filename, **kwargs):
    root = Path(settings.SENDFILE_ROOT).resolve()
    path = Path(filename).resolve()
    if not path.is_relative_to(root):
        raise Http404("Fant ikke filen.")
    response = HttpResponse(content_type=kwargs.get("mimetype"))
    response["X-Accel-Redirect"] = quote(
        f"{settings.SENDFILE_URL.rstrip('/')}/{path.relative_to(root).as_posix()}"
    )
    return response
