"""Confirming a previewed upload: each municipality's changes are saved in one transaction of
their own through ``services.save_section`` (its row lock and edit-id check, as a form save),
so a municipality edited in the portal since the workbook was downloaded (or since the preview)
is refused on its own and keeps that edit, while the others are saved. Then «send inn de
importerte» submits the imported municipalities through ``services.bulk_submit``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts import rules

from .. import services
from ..exceptions import EditConflict, InvalidTransition, NotAllowed
from ..models import MunicipalityProfile, PendingImport, Round, SectionEdit
from ..models.submissions import EDITABLE_STATES
from ..sections import CodeNames, diff_section
from .columns import profile_sections
from .preview import _diff_dict
from .unpack import ImportRefused


def _section(key: str):
    return next(s for s in profile_sections() if s.key == key)


def _conflict(profile, section_key, edit, base_data, names) -> dict:
    section = _section(section_key)
    who = (edit.by.get_full_name() or edit.by.username) if edit.by else _("noen")
    diff = diff_section(section, base_data, edit.data, "profile", names)
    return {
        "municipality": f"{profile.municipality.number} {profile.municipality.name}",
        "section": str(section.title),
        "by": who,
        "at": timezone.localtime(edit.at).strftime("%d.%m.%Y kl. %H.%M"),
        "diff": _diff_dict(diff),
    }


def _stale(changes, profile, names) -> list[dict]:
    """The sections of one municipality changed by someone else since the workbook was made
    (or since the preview), with what they changed."""
    latest = {
        row["section"]: row["latest"]
        for row in SectionEdit.objects.filter(submission=profile)
        .values("section")
        .annotate(latest=Max("id"))
    }
    stale = [c for c in changes if latest.get(c["section"]) != c["base_edit_id"]]
    if not stale:
        return []
    edits = SectionEdit.objects.select_related("by").in_bulk(
        [latest[c["section"]] for c in stale if c["section"] in latest]
        + [c["base_edit_id"] for c in stale if c["base_edit_id"]]
    )
    conflicts = []
    for change in stale:
        edit = edits.get(latest.get(change["section"]))
        if edit is None:
            continue
        base = edits.get(change["base_edit_id"])
        conflicts.append(
            _conflict(profile, change["section"], edit, base.data if base else None, names)
        )
    return conflicts


CONFLICT_MESSAGE = gettext_lazy(
    "Noen har endret kommunens skjema i portalen etter at arbeidsboken ble lastet ned. "
    "Ingenting er lagret for kommunen, så endringen deres går ikke tapt. Last ned en ny "
    "arbeidsbok og gjør endringene på nytt."
)


def _claim(pending: PendingImport, user, now) -> PendingImport:
    """Check and mark the upload as confirmed, under its row lock: a second confirmation (a
    double click, another tab) finds it confirmed and is refused."""
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .select_related("round", "county")
            .get(pk=pending.pk)
        )
        if pending.user_id != user.pk or not rules.is_county_officer(user, pending.county):
            raise ImportRefused(_("Du kan bare bekrefte dine egne opplastinger for ditt fylke."))
        if pending.confirmed_at is not None:
            raise ImportRefused(_("Denne opplastingen er allerede lagret."))
        if pending.is_expired(now):
            raise ImportRefused(
                _("Forhåndsvisningen er mer enn 24 timer gammel. Last opp filen på nytt.")
            )
        if pending.has_errors:
            raise ImportRefused(
                _("Filen har feil. Ingenting er lagret; rett feilene og last opp filen på nytt.")
            )
        if not pending.changes:
            raise ImportRefused(_("Filen har ingen endringer å lagre."))
        if pending.round.status != Round.Status.OPEN:
            raise ImportRefused(_("Runden er ikke åpen for innspill. Ingenting er lagret."))
        pending.confirmed_at = now
        pending.save(update_fields=["confirmed_at"])
    return pending


def _save_municipality(profile, changes, user, names) -> dict | None:
    """Save one municipality's sections, all or nothing. None when saved, else the refusal."""
    where = f"{profile.municipality.number} {profile.municipality.name}"
    refusal = {"number": profile.municipality.number, "name": profile.municipality.name}
    try:
        with transaction.atomic():
            conflicts = _stale(changes, profile, names)
            if conflicts:
                return {**refusal, "message": str(CONFLICT_MESSAGE), "conflicts": conflicts}
            for change in changes:
                services.save_section(
                    profile,
                    change["section"],
                    change["data"],
                    user,
                    base_edit_id=change["base_edit_id"],
                    source="import",
                )
    except EditConflict as exc:  # a save that raced the check above
        base = exc.base_edit.data if exc.base_edit is not None else None
        conflict = _conflict(profile, exc.section, exc.latest_edit, base, names)
        return {**refusal, "message": str(CONFLICT_MESSAGE), "conflicts": [conflict]}
    except (InvalidTransition, NotAllowed) as exc:
        return {**refusal, "message": f"{where}: {exc.message}", "conflicts": []}
    except ValidationError as exc:
        return {**refusal, "message": f"{where}: {' '.join(exc.messages)}", "conflicts": []}
    return None


def confirm_import(pending: PendingImport, user, now=None) -> dict:
    """Save the changes of a previewed upload, each municipality in its own transaction.
    Returns (and keeps on the upload) what happened to each municipality. Raises
    ImportRefused, writing nothing, when the upload as a whole cannot be confirmed."""
    now = now or timezone.now()
    pending = _claim(pending, user, now)
    by_municipality: dict[int, list[dict]] = {}
    for change in pending.changes:
        by_municipality.setdefault(change["submission"], []).append(change)
    profiles = MunicipalityProfile.objects.filter(
        pk__in=list(by_municipality), round=pending.round, county=pending.county
    ).select_related("municipality", "round", "county")
    profiles = {profile.pk: profile for profile in profiles}
    names = CodeNames()
    imported, refused = [], []
    for submission_id, changes in by_municipality.items():
        profile = profiles.get(submission_id)
        if profile is None:
            number = changes[0]["municipality"]
            message = _("%(number)s: skjemaet finnes ikke lenger.") % {"number": number}
            refused.append({"number": number, "name": "", "message": message, "conflicts": []})
            continue
        refusal = _save_municipality(profile, changes, user, names)
        if refusal is None:
            imported.append(
                {
                    "number": profile.municipality.number,
                    "name": profile.municipality.name,
                    "submission": profile.pk,
                    "sections": [c["section"] for c in changes],
                }
            )
        else:
            refused.append(refusal)
    pending.result = {"imported": imported, "refused": refused}
    pending.save(update_fields=["result"])
    return pending.result


def imported_profiles(pending: PendingImport, user) -> list[MunicipalityProfile]:
    """The municipalities this upload imported that the user may still send in."""
    ids = [entry["submission"] for entry in (pending.result or {}).get("imported", [])]
    return list(
        MunicipalityProfile.objects.editable_by(user)
        .filter(pk__in=ids, round=pending.round, status__in=EDITABLE_STATES)
        .select_related("round", "county", "municipality")
        .order_by("municipality__number")
    )


def submit_imported(pending: PendingImport, user, *, late_reason: str = "", confirm=False):
    """«Send inn de importerte»: the bulk submission of the workload work, for the
    municipalities the upload imported. With ``confirm``, the unchanged parts carried forward
    from last round are confirmed first (the county's explicit choice on the page); without it
    a municipality with such parts is refused and says which. Returns the bulk outcomes."""
    if pending.user_id != user.pk or not rules.can_edit_county_data(user, pending.county):
        raise ImportRefused(_("Du kan bare sende inn dine egne opplastinger for ditt fylke."))
    if pending.confirmed_at is None:
        raise ImportRefused(_("Opplastingen er ikke lagret ennå; lagre den før du sender inn."))
    profiles = imported_profiles(pending, user)
    if not profiles:
        raise ImportRefused(_("Ingen av de importerte kommunene kan sendes inn nå."))
    confirmed = {}
    if confirm:
        for outcome in services.bulk_confirm(profiles, user):
            confirmed[outcome.submission.pk] = outcome.confirmed
    outcomes = services.bulk_submit(profiles, user, late_reason=late_reason)
    for outcome in outcomes:
        outcome.confirmed = confirmed.get(outcome.submission.pk, [])
    return outcomes
