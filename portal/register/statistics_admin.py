"""Import IMDi's statistics in the Wagtail admin: upload, preview (a dry run), then confirm.

Administrators only (``rules.can_manage_register``). Between the preview and the confirmation the
uploaded file stays on the server, in the uploader's session (compressed), so the confirmation
re-reads exactly the bytes that were previewed and trusts nothing the browser sends back except
the token naming the upload. The confirmation runs the same ``import_statistics`` as the
command, so counts can differ from the preview only if someone changed the data in between.

django-import-export was not used: its resources import one model row per file row, while
IMDi's download is a matrix (three header rows, one row per municipality, one column per
measure, unit and year) whose cells become ~70 000 values, matched to municipalities by code or
name with the register's code history. Its preview would show rows, not the created/updated/
unchanged counts, skipped rows and line-numbered errors the service already reports.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import zlib

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.accounts import rules
from portal.jobs.models import JobFile

from .statistics import StatisticsFileError, import_statistics
from .tasks import import_statistics_file

SESSION_KEY = "register.statistics_import"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PENDING_LIFETIME_SECONDS = 2 * 60 * 60


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil fra IMDi"),
        help_text=_(
            "IMDis nedlasting slik den leveres (CSV i ISO-8859-1 med tre overskriftsrader), "
            "eller det lange formatet med kolonnene Kommune, År, Kategori og Antall (UTF-8)."
        ),
    )
    county = forms.CharField(
        label=_("Fylkesnummer (valgfritt)"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"^\d{2}$", _("Skriv fylkesnummeret med to sifre, f.eks. 40."))],
        help_text=_(
            "Bare for filer som navngir kommunene i stedet for å nummerere dem: kommunenavn "
            "søkes da bare i dette fylket (40 Telemark, 38 for 2020–2023, 08 før 2020)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er større enn %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _pack(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def _unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


class _ImportView(WagtailAdminTemplateMixin, View):
    """Administrators only; everyone else gets 403, whatever admin access they have."""

    template_name = "register/admin/statistics_import.html"
    page_title = _("Importer statistikk fra IMDi")
    header_icon = "upload"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Hjem")},
        {"url": "", "label": _("Importer statistikk")},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not rules.can_manage_register(request.user):
            raise PermissionDenied(_("Bare administratorer kan importere statistikk."))
        return super().dispatch(request, *args, **kwargs)


class StatisticsImportView(_ImportView):
    """GET: the upload form. POST: read the file, dry-run it and show the preview."""

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=StatisticsUploadForm()))

    def post(self, request):
        form = StatisticsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        raw = upload.read()
        county = form.cleaned_data["county"] or None
        context = {"form": StatisticsUploadForm(initial={"county": county or ""})}
        try:
            report = import_statistics(raw, filename=upload.name, county=county, dry_run=True)
        except StatisticsFileError as exc:
            request.session.pop(SESSION_KEY, None)
            context.update(filename=upload.name, error=exc)
            return self.render_to_response(self.get_context_data(**context))
        token = secrets.token_urlsafe(16)
        # One pending upload per session: a new upload replaces the previous one.
        request.session[SESSION_KEY] = {
            "token": token,
            "user": request.user.pk,
            "filename": upload.name,
            "county": county,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "uploaded": time.time(),
            "content": _pack(raw),
        }
        context.update(filename=upload.name, report=report, token=token)
        return self.render_to_response(self.get_context_data(**context))


class StatisticsImportConfirmView(_ImportView):
    """POST only: import the previewed upload for real, or discard it."""

    def post(self, request):
        pending = request.session.get(SESSION_KEY)
        back = redirect("register_statistics_import")
        if not pending or not secrets.compare_digest(
            str(pending.get("token", "")), request.POST.get("token", "")
        ):
            messages.error(
                request,
                _(
                    "Fant ikke opplastingen (allerede importert, avbrutt eller erstattet). "
                    "Last opp filen på nytt."
                ),
            )
            return back
        if "cancel" in request.POST:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Importen er avbrutt; ingenting er lagret."))
            return back
        expired = time.time() - pending["uploaded"] > PENDING_LIFETIME_SECONDS
        if pending["user"] != request.user.pk or expired:
            request.session.pop(SESSION_KEY, None)
            messages.error(request, _("Opplastingen er utløpt. Last opp filen på nytt."))
            return back
        raw = _unpack(pending["content"])
        if hashlib.sha256(raw).hexdigest() != pending["sha256"]:
            request.session.pop(SESSION_KEY, None)
            messages.error(request, _("Opplastingen er skadet. Last opp filen på nytt."))
            return back
        request.session.pop(SESSION_KEY, None)
        # The import itself is a background job; with a quick worker (or the immediate backend)
        # its outcome is there at once, otherwise the administrator is told where to look.
        job_file = JobFile.objects.create(owner=request.user, name=pending["filename"], data=raw)
        import_statistics_file.enqueue(str(job_file.pk), pending["county"])
        job_file.refresh_from_db()
        outcome = job_file.outcome
        if outcome is None:
            messages.success(
                request,
                _(
                    "Importen av %(file)s kjører i bakgrunnen. Resultatet står under "
                    "Bakgrunnsjobber i Django-admin når den er ferdig."
                )
                % {"file": pending["filename"]},
            )
            return back
        if "error" in outcome:
            exc = StatisticsFileError(
                outcome["error"]["filename"], outcome["error"]["problems"], outcome["error"]["more"]
            )
            context = {
                "form": StatisticsUploadForm(initial={"county": pending["county"] or ""}),
                "filename": pending["filename"],
                "error": exc,
            }
            return self.render_to_response(self.get_context_data(**context))
        messages.success(
            request,
            _(
                "Importert %(file)s: %(created)s nye, %(updated)s endrede og %(unchanged)s "
                "uendrede verdier for %(municipalities)s kommuner (%(seconds).1f s)."
            )
            % outcome,
        )
        return back
