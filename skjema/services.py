"""Skjema operations. Each changes several rows, so each runs in one transaction and takes a
row lock on the submission where two users can race. Pages, API, admin, import and commands
call these; none re-implements them. Signals are sent only after the transaction commits."""

from __future__ import annotations

import datetime

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
    ReviewComment,
    Round,
    SectionEdit,
    Status,
    Submission,
    Transition,
    Version,
)
from .models.submissions import EDITABLE_STATES
from .reading.versions import previous_county_version, previous_version
from .reviews import accept, bulk_accept, reopen, return_submission  # noqa: F401
from .sections import (
    ValidationContext,
    apply_section,
    get_section,
    sections_for,
    serialize,
    serialize_section,
    validate_data,
)
from .service_support import (
    BulkOutcome,
    locked,
    record,
    refusal_messages,
    require_open_round,
    send_after_commit,
)

# What the county is doing, for the refusals of ``_require_editable``.
_ACTION_TEXTS = {
    "edit": (
        gettext_lazy("Du kan bare endre skjemaer for ditt eget fylke."),
        gettext_lazy("Skjemaet er %(status)s og kan ikke endres nå."),
    ),
    "confirm": (
        gettext_lazy("Du kan bare endre skjemaer for ditt eget fylke."),
        gettext_lazy("Skjemaet er %(status)s og kan ikke endres nå."),
    ),
    "submit": (
        gettext_lazy("Du kan bare sende inn skjemaer for ditt eget fylke."),
        gettext_lazy("Skjemaet er %(status)s og kan ikke sendes inn nå."),
    ),
    "answer": (
        gettext_lazy("Bare fylkets egne saksbehandlere kan svare på IMDis kommentarer."),
        gettext_lazy("Skjemaet er %(status)s; kommentarene kan ikke besvares nå."),
    ),
}


def _require_editable(submission: Submission, user, action: str) -> Submission:
    """Lock the submission and check that ``user`` may change it now: the county's own
    officer, an open round, and a status the county may change (draft or returned).
    ``action`` (edit, confirm, submit, answer) chooses the words of the refusal. Returns the
    locked submission; raises NotAllowed or InvalidTransition, having changed nothing."""
    not_allowed, wrong_status = _ACTION_TEXTS[action]
    submission = locked(submission)
    may = rules.can_answer_review_comments if action == "answer" else rules.can_edit_county_data
    if not may(user, submission.county):
        raise NotAllowed(str(not_allowed))
    require_open_round(submission)
    if submission.status not in EDITABLE_STATES:
        raise InvalidTransition(
            str(wrong_status) % {"status": submission.get_status_display().lower()}
        )
    return submission


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
    submission = _require_editable(submission, user, "edit")
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
    submission = _require_editable(submission, user, "confirm")
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
    submission = _require_editable(submission, user, "confirm")
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


# The longest answer to one of IMDi's comments.
ANSWER_MAX_LENGTH = 4000


@transaction.atomic
def answer_comment(comment: ReviewComment, user, text: str) -> ReviewComment:
    """The county's answer to one of IMDi's comments on the current return: one per comment,
    changed (or emptied) as often as the county likes until it resubmits. Records who and
    when, and counts as a change of the submission («Sist endret av»)."""
    submission = _require_editable(comment.submission, user, "answer")
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    current = (
        submission.transitions.filter(action=Transition.Action.RETURN)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if submission.status != Status.RETURNED or comment.transition_id != current:
        raise InvalidTransition(
            _("Kommentaren hører til en tidligere gjennomgang og kan ikke besvares nå.")
        )
    text = (text or "").strip()
    if len(text) > ANSWER_MAX_LENGTH:
        raise InvalidTransition(
            _("Svaret kan være høyst %(max)s tegn; det har %(n)s.")
            % {"max": ANSWER_MAX_LENGTH, "n": len(text)}
        )
    now = timezone.now()
    comment.answer = text
    comment.answered_by = user if text else None
    comment.answered_at = now if text else None
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    submission.updated_by = user
    submission.save(update_fields=["updated_by", "updated_at"])
    return comment


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


def _late_problem(submission):
    from .sections import Problem

    deadline = timezone.localtime(submission.effective_deadline()).strftime("%d.%m.%Y kl. %H.%M")
    if submission.correction_deadline_applies:
        message = _(
            "Fristen for retting var %(deadline)s. Skriv kort hvorfor innsendingen kommer "
            "etter fristen."
        )
    else:
        message = _(
            "Fristen var %(deadline)s. Skriv kort hvorfor innsendingen kommer etter fristen."
        )
    return Problem("submit", "late_reason", message % {"deadline": deadline})


@transaction.atomic
def submit(submission: Submission, user, *, late_reason: str = "", now=None) -> Version:
    """Send the working copy to IMDi: validate everything, freeze a version, record who/when.

    After the deadline submitting still works, but is marked late and needs a reason. A
    returned submission corrected before IMDi's correction deadline is not late
    (``Submission.effective_deadline``)."""
    now = now or timezone.now()
    submission = _require_editable(submission, user, "submit")
    data = serialize(submission)
    problems = validate_submission(submission, data)
    late = submission.is_past_deadline(now)
    late_reason = (late_reason or "").strip()
    if late and not late_reason:
        problems.append(_late_problem(submission))
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
    transition = record(
        submission, Transition.Action.SUBMIT, from_status, user, late_reason, version, now
    )
    send_after_commit(signals.submission_submitted, submission, transition)
    return version


def bulk_confirm(submissions, user) -> list[BulkOutcome]:
    """Confirm the unchanged carried-forward sections of each submission. Each submission is its
    own transaction: one refused leaves the others confirmed."""
    outcomes = []
    for submission in submissions:
        try:
            keys = confirm_unchanged(submission, user)
        except (InvalidTransition, NotAllowed) as refused:
            outcomes.append(BulkOutcome(submission, False, refusal_messages(refused)))
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
            outcomes.append(BulkOutcome(submission, False, refusal_messages(refused)))
        else:
            outcomes.append(BulkOutcome(submission, True, version=version))
    return outcomes


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
    record(
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
