"""Skjema operations. Each changes several rows, so each runs in one transaction and takes a
row lock on the submission where two users can race. Pages, API, admin, import and commands
call these; none re-implements them. Signals are sent only after the transaction commits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts import rules
from portal.register.models import Municipality

from . import signals
from .exceptions import EditConflict, InvalidTransition, NotAllowed, SubmissionInvalid
from .models import (
    CountySubmission,
    MunicipalityProfile,
    Round,
    SectionEdit,
    Status,
    Submission,
    Transition,
    Version,
)
from .models.submissions import AWAITING_REVIEW_STATES, EDITABLE_STATES
from .reading.versions import previous_county_version, previous_version
from .sections import (
    ValidationContext,
    apply_section,
    get_section,
    sections_for,
    serialize,
    serialize_section,
    validate_data,
)


def _locked(submission: Submission):
    """Re-read the submission under a row lock, as its specific type."""
    model = MunicipalityProfile if submission.kind == Submission.Kind.PROFILE else CountySubmission
    # Lock the submission's own rows (child and parent table), not the joined round and county:
    # on PostgreSQL those would otherwise be locked too and serialise every save in a round.
    return (
        model.objects.select_for_update(of=("self", "submission_ptr"))
        .select_related("round", "county")
        .get(pk=submission.pk)
    )


def _require_open_round(submission) -> None:
    """The county works only while the round is open; after the deadline it is still open
    (late submissions are marked, not blocked) until IMDi closes it."""
    if submission.round.status != Round.Status.OPEN:
        raise InvalidTransition(
            _("Runden for %(year)s er %(status)s; skjemaene kan ikke endres eller sendes inn.")
            % {
                "year": submission.round.year,
                "status": submission.round.get_status_display().lower(),
            }
        )


def _send_after_commit(signal, submission, transition):
    transaction.on_commit(
        partial(signal.send, sender=type(submission), submission=submission, transition=transition)
    )


def latest_edit(submission: Submission, section_key: str) -> SectionEdit | None:
    return submission.edits.filter(section=section_key).order_by("-id").first()


def latest_edit_ids(submission: Submission) -> dict[str, int]:
    """Base edit id per section, to embed in forms and API payloads for conflict detection."""
    rows = submission.edits.values("section").annotate(latest=Max("id"))
    return {row["section"]: row["latest"] for row in rows}


# ---------------------------------------------------------------------------------------------
# editing


@transaction.atomic
def save_section(
    submission: Submission,
    section_key: str,
    data,
    user,
    *,
    base_edit_id: int | None,
    source: str = "form",
    force: bool = False,
) -> SectionEdit:
    """Save one section of the county's working copy.

    ``base_edit_id`` is the latest edit the user saw. If someone saved the section since, nothing
    is written and EditConflict says who changed what; the caller keeps the user's input and may
    save again with ``force=True`` (an explicit choice after seeing the other change)."""
    submission = _locked(submission)
    if not rules.can_edit_county_data(user, submission.county):
        raise NotAllowed(_("Du kan bare endre skjemaer for ditt eget fylke."))
    _require_open_round(submission)
    if submission.status not in EDITABLE_STATES:
        raise InvalidTransition(
            _("Skjemaet er %(status)s og kan ikke endres nå.")
            % {"status": submission.get_status_display().lower()}
        )
    section = get_section(submission.kind, section_key)
    current = latest_edit(submission, section_key)
    if not force and current is not None and current.pk != base_edit_id:
        base = SectionEdit.objects.filter(pk=base_edit_id, submission=submission).first()
        raise EditConflict(section=section_key, base_edit=base, latest_edit=current)
    apply_section(submission, section, data)
    state = dict(submission.section_state)
    section_state = dict(state.get(section_key) or {})
    saved = serialize_section(submission, section)
    previous = current.data if current is not None else None
    if saved != previous:
        section_state["edited"] = True
    state[section_key] = section_state
    submission.section_state = state
    submission.updated_by = user
    submission.save(update_fields=["section_state", "updated_by", "updated_at"])
    edit = SectionEdit.objects.create(
        submission=submission,
        section=section_key,
        data=saved,
        by=user,
        at=timezone.now(),
        source=source,
    )
    return edit


@transaction.atomic
def confirm_section(submission: Submission, section_key: str, user) -> None:
    """The county confirms that a section carried forward from last round is still right."""
    submission = _locked(submission)
    if not rules.can_edit_county_data(user, submission.county):
        raise NotAllowed(_("Du kan bare endre skjemaer for ditt eget fylke."))
    _require_open_round(submission)
    if submission.status not in EDITABLE_STATES:
        raise InvalidTransition(_("Skjemaet kan ikke endres nå."))
    get_section(submission.kind, section_key)
    state = dict(submission.section_state)
    section_state = dict(state.get(section_key) or {})
    section_state["confirmed"] = True
    section_state["confirmed_at"] = timezone.now().isoformat()
    state[section_key] = section_state
    submission.section_state = state
    submission.updated_by = user
    submission.save(update_fields=["section_state", "updated_by", "updated_at"])


def unconfirmed_sections(submission: Submission) -> list[str]:
    """Keys of the sections carried forward from an earlier round that the county has neither
    changed nor confirmed unchanged: they must be one or the other before submitting."""
    state = submission.section_state or {}
    keys = []
    for section in sections_for(submission.kind):
        one = state.get(section.key) or {}
        if one.get("carried_from") and not one.get("edited") and not one.get("confirmed"):
            keys.append(section.key)
    return keys


@transaction.atomic
def confirm_unchanged(submission: Submission, user, *, sections=None) -> list[str]:
    """Confirm every carried-forward section the county has not changed (or only those of
    ``sections`` among them), in one go. Returns the keys confirmed (none when there was
    nothing to confirm)."""
    submission = _locked(submission)
    if not rules.can_edit_county_data(user, submission.county):
        raise NotAllowed(_("Du kan bare endre skjemaer for ditt eget fylke."))
    _require_open_round(submission)
    if submission.status not in EDITABLE_STATES:
        raise InvalidTransition(
            _("Skjemaet er %(status)s og kan ikke endres nå.")
            % {"status": submission.get_status_display().lower()}
        )
    keys = unconfirmed_sections(submission)
    if sections is not None:
        keys = [key for key in keys if key in set(sections)]
    if not keys:
        return []
    state = dict(submission.section_state)
    at = timezone.now().isoformat()
    for key in keys:
        state[key] = {**(state.get(key) or {}), "confirmed": True, "confirmed_at": at}
    submission.section_state = state
    submission.updated_by = user
    submission.save(update_fields=["section_state", "updated_by", "updated_at"])
    return keys


# ---------------------------------------------------------------------------------------------
# validation


def validation_context(submission: Submission) -> ValidationContext:
    round_ = submission.round
    valid = set(
        Municipality.objects.in_structure(round_.structure).values_list("number", flat=True)
    )
    county_numbers = set(
        Municipality.objects.in_structure(round_.structure)
        .filter(county=submission.county)
        .values_list("number", flat=True)
    )
    return ValidationContext(
        kind=submission.kind,
        county_number=submission.county.number,
        municipality_number=submission.municipality.number if submission.municipality_id else "",
        valid_municipalities=valid,
        county_municipalities=county_numbers,
    )


def validate_submission(submission: Submission, data: dict | None = None) -> list:
    specific = submission.specific if type(submission) is Submission else submission
    if data is None:
        data = serialize(specific)
    problems = validate_data(data, validation_context(specific))
    if specific.kind == Submission.Kind.COUNTY:
        problems += _missing_recommendations(specific, data)
    return problems + _unconfirmed_problems(specific)


# The field name of the problem that says a carried-forward section is not confirmed.
UNCONFIRMED = "confirmed"


def _unconfirmed_problems(submission) -> list:
    from .sections import Problem

    problems = []
    state = submission.section_state or {}
    for key in unconfirmed_sections(submission):
        section = get_section(submission.kind, key)
        problems.append(
            Problem(
                key,
                UNCONFIRMED,
                _(
                    "«%(title)s» er overført fra %(year)s. Bekreft at delen er uendret, "
                    "eller endre den, før skjemaet sendes inn."
                )
                % {"title": section.title, "year": state[key]["carried_from"]},
            )
        )
    return problems


def _missing_recommendations(submission, data) -> list:
    from .sections import Problem

    context = validation_context(submission)
    given = {row.get("municipality") for row in data.get("recommendations") or []}
    missing = sorted(context.county_municipalities - given)
    if not missing:
        return []
    return [
        Problem(
            "recommendations",
            "municipality",
            _("Mangler anbefalt antall for %(n)s.") % {"n": ", ".join(missing)},
        )
    ]


# ---------------------------------------------------------------------------------------------
# transitions


def _record(submission, action, from_status, user, reason="", version=None, at=None):
    return Transition.objects.create(
        submission=submission,
        action=action,
        from_status=from_status,
        to_status=submission.status,
        by=user,
        at=at or timezone.now(),
        reason=reason,
        version=version,
    )


@transaction.atomic
def submit(submission: Submission, user, *, late_reason: str = "", now=None) -> Version:
    """Send the working copy to IMDi: validate everything, freeze a version, record who/when.

    After the deadline submitting still works, but is marked late and needs a reason."""
    now = now or timezone.now()
    submission = _locked(submission)
    if not rules.can_edit_county_data(user, submission.county):
        raise NotAllowed(_("Du kan bare sende inn skjemaer for ditt eget fylke."))
    _require_open_round(submission)
    if submission.status not in EDITABLE_STATES:
        raise InvalidTransition(
            _("Skjemaet er %(status)s og kan ikke sendes inn nå.")
            % {"status": submission.get_status_display().lower()}
        )
    data = serialize(submission)
    problems = validate_submission(submission, data)
    late = submission.round.is_past_deadline(now)
    late_reason = (late_reason or "").strip()
    if late and not late_reason:
        from .sections import Problem

        problems.append(
            Problem(
                "submit",
                "late_reason",
                _("Fristen var %(deadline)s. Skriv kort hvorfor innsendingen kommer etter fristen.")
                % {
                    "deadline": timezone.localtime(submission.round.deadline).strftime(
                        "%d.%m.%Y kl. %H.%M"
                    )
                },
            )
        )
    if problems:
        raise SubmissionInvalid(problems=problems)
    number = (submission.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = Version.objects.create(
        submission=submission,
        number=number,
        data=data,
        created_at=now,
        created_by=user,
        is_late=late,
        late_reason=late_reason if late else "",
    )
    from_status = submission.status
    submission.status = Status.SUBMITTED if from_status == Status.DRAFT else Status.RESUBMITTED
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.last_submitted_at = now
    submission.is_late = late
    submission.late_reason = version.late_reason
    submission.updated_by = user
    submission.save()
    transition = _record(
        submission, Transition.Action.SUBMIT, from_status, user, late_reason, version, now
    )
    _send_after_commit(signals.submission_submitted, submission, transition)
    return version


@dataclass
class BulkOutcome:
    """What a bulk action did to one submission: done, or refused and why."""

    submission: Submission
    done: bool
    messages: list[str] = field(default_factory=list)
    version: Version | None = None
    confirmed: list[str] = field(default_factory=list)


def _refusal_messages(exc) -> list[str]:
    if isinstance(exc, SubmissionInvalid):
        return [p.message for p in exc.problems] or [exc.message]
    return [exc.message]


def bulk_confirm(submissions, user) -> list[BulkOutcome]:
    """Confirm the unchanged carried-forward sections of each submission. Each submission is its
    own transaction: one refused leaves the others confirmed."""
    outcomes = []
    for submission in submissions:
        try:
            keys = confirm_unchanged(submission, user)
        except (InvalidTransition, NotAllowed) as refused:
            outcomes.append(BulkOutcome(submission, False, _refusal_messages(refused)))
        else:
            outcomes.append(BulkOutcome(submission, True, confirmed=keys))
    return outcomes


def bulk_submit(submissions, user, *, late_reason: str = "", now=None) -> list[BulkOutcome]:
    """Submit each submission with the one late reason the officer gave for the selection (used
    only for those that are late). Each is its own transaction, validated on its own, so the
    valid ones go in and the others come back with their problems."""
    outcomes = []
    for submission in submissions:
        try:
            version = submit(submission, user, late_reason=late_reason, now=now)
        except (SubmissionInvalid, InvalidTransition, NotAllowed) as refused:
            outcomes.append(BulkOutcome(submission, False, _refusal_messages(refused)))
        else:
            outcomes.append(BulkOutcome(submission, True, version=version))
    return outcomes


_REVIEW_VERBS = {
    Transition.Action.RETURN: gettext_lazy("returneres"),
    Transition.Action.ACCEPT: gettext_lazy("godkjennes"),
    Transition.Action.REOPEN: gettext_lazy("gjenåpnes"),
}


def _review(submission, user, allowed_from, action, to_status, reason, require_reason):
    submission = _locked(submission)
    if not rules.can_review(user):
        raise NotAllowed(_("Bare IMDi kan returnere, godkjenne og gjenåpne innsendinger."))
    if submission.status not in allowed_from:
        raise InvalidTransition(
            _("Innsendingen er %(status)s og kan ikke %(verb)s nå.")
            % {"status": submission.get_status_display().lower(), "verb": _REVIEW_VERBS[action]}
        )
    reason = (reason or "").strip()
    if require_reason and not reason:
        raise InvalidTransition(_("Skriv en begrunnelse."))
    from_status = submission.status
    submission.status = to_status
    submission.updated_by = user
    submission.save(update_fields=["status", "updated_by", "updated_at"])
    version = submission.latest_version()
    return submission, _record(submission, action, from_status, user, reason, version)


@transaction.atomic
def return_submission(submission: Submission, user, *, reason: str, comments=()) -> Transition:
    """IMDi returns a submission for correction, with a reason and comments per section/field.

    ``comments`` is an iterable of (section_key, field_name_or_blank, text)."""
    from .models import ReviewComment

    comments = [(s, f or "", (t or "").strip()) for s, f, t in comments if (t or "").strip()]
    if not (reason or "").strip() and not comments:
        raise InvalidTransition(_("Skriv hva fylket må rette: en begrunnelse eller kommentarer."))
    submission, transition = _review(
        submission,
        user,
        AWAITING_REVIEW_STATES,
        Transition.Action.RETURN,
        Status.RETURNED,
        reason,
        require_reason=False,
    )
    keys = {section.key for section in sections_for(submission.kind)}
    for section_key, field_name, text in comments:
        if section_key not in keys:
            raise InvalidTransition(_("Ukjent del «%(key)s».") % {"key": section_key})
        ReviewComment.objects.create(
            submission=submission,
            version=transition.version,
            transition=transition,
            section=section_key,
            field=field_name,
            text=text,
            by=user,
        )
    _send_after_commit(signals.submission_returned, submission, transition)
    return transition


@transaction.atomic
def accept(submission: Submission, user, *, reason: str = "") -> Transition:
    submission, transition = _review(
        submission,
        user,
        AWAITING_REVIEW_STATES,
        Transition.Action.ACCEPT,
        Status.ACCEPTED,
        reason,
        require_reason=False,
    )
    _send_after_commit(signals.submission_accepted, submission, transition)
    return transition


@transaction.atomic
def reopen(submission: Submission, user, *, reason: str) -> Transition:
    """IMDi reopens an accepted submission; the county can correct and resubmit it."""
    submission, transition = _review(
        submission,
        user,
        {Status.ACCEPTED},
        Transition.Action.REOPEN,
        Status.RETURNED,
        reason,
        require_reason=True,
    )
    _send_after_commit(signals.submission_reopened, submission, transition)
    return transition


# ---------------------------------------------------------------------------------------------
# rounds and carry-forward


def _carry(submission, source: Version | None, user, carried_sections, now) -> None:
    state = {}
    for section in sections_for(submission.kind):
        carried_from = None
        if source is not None and section.key in carried_sections and source.data.get(section.key):
            apply_section(submission, section, source.data[section.key])
            carried_from = source.submission.round.year
        SectionEdit.objects.create(
            submission=submission,
            section=section.key,
            data=serialize_section(submission, section),
            by=user,
            at=now,
            source="carry_forward",
        )
        state[section.key] = {"carried_from": carried_from, "confirmed": False, "edited": False}
    submission.section_state = state
    submission.updated_by = user
    submission.save(update_fields=["section_state", "updated_by", "updated_at"])
    _record(
        submission,
        Transition.Action.CARRY_FORWARD,
        "",
        user,
        reason=(
            _("Forhåndsutfylt fra %(year)s.") % {"year": source.submission.round.year}
            if source
            else _("Nytt skjema.")
        ),
        version=source,
        at=now,
    )


@transaction.atomic
def open_round(
    round_: Round, user=None, *, now: datetime.datetime | None = None, counties=None
) -> dict:
    """Open the round: every county gets a draft profile for each of its municipalities and a
    draft county submission, pre-filled from the latest accepted (else submitted) version of an
    earlier round, repeating rows included. Idempotent: existing drafts are left alone."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status not in {Round.Status.PLANNING, Round.Status.OPEN}:
        raise InvalidTransition(_("Runden er lukket og kan ikke åpnes på nytt."))
    created_profiles = created_counties = carried = 0
    existing = set(
        Submission.objects.filter(round=round_, kind=Submission.Kind.PROFILE).values_list(
            "municipality_id", flat=True
        )
    )
    municipalities = Municipality.objects.in_structure(round_.structure).select_related("county")
    county_list = round_.counties()
    if counties is not None:  # a subset, e.g. for tests or a county joining late
        municipalities = municipalities.filter(county__in=counties)
        county_list = county_list.filter(pk__in=[c.pk for c in counties])
    for municipality in municipalities:
        if municipality.pk in existing or municipality.county is None:
            continue
        profile = MunicipalityProfile.objects.create(
            round=round_, county=municipality.county, municipality=municipality
        )
        source = previous_version(municipality=municipality, before_year=round_.year)
        carried += source is not None
        _carry(profile, source, user, {s.key for s in sections_for("profile")}, now)
        created_profiles += 1
    existing_counties = set(
        Submission.objects.filter(round=round_, kind=Submission.Kind.COUNTY).values_list(
            "county_id", flat=True
        )
    )
    for county in county_list:
        if county.pk in existing_counties:
            continue
        submission = CountySubmission.objects.create(round=round_, county=county)
        # Plans and the comment carry forward; recommended numbers are set anew every round.
        source = previous_county_version(county=county, before_year=round_.year)
        _carry(submission, source, user, {"plans", "comment"}, now)
        created_counties += 1
    if round_.status == Round.Status.PLANNING:
        round_.status = Round.Status.OPEN
        round_.opened_at = now
        round_.save(update_fields=["status", "opened_at"])
    return {
        "profiles": created_profiles,
        "county_submissions": created_counties,
        "carried_forward": carried,
    }
