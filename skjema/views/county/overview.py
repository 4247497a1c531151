"""A submission's overview page: the read view with comments and problems, confirm, submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import rules

from ... import forms as section_forms
from ... import reading, services, worklist
from ...exceptions import InvalidTransition, NotAllowed, SubmissionInvalid
from ...models import ReviewComment, Status, Submission
from ...receipts import format_time
from ...sections import (
    Section,
    get_section,
    serialize,
)
from .lookups import (
    _current_review,
    _editable,
    _readable,
    _subject,
    _url,
    section_states,
)

# ---------------------------------------------------------------------------------------------
# the submission's overview: read view, confirm, submit


def _problem_links(submission, problems, data) -> list[dict]:
    """Error-summary entries for the submit check: each links to its field on the section's
    edit page (opened with ``?kontroll=1`` so the page shows the problem there too)."""
    options_cache: dict[str, section_forms.Options] = {}
    links = []
    for problem in problems:
        if problem.section == "submit":
            links.append({"href": f"#submit-{problem.field}", "message": problem.message})
            continue
        section = get_section(submission.kind, problem.section)
        if problem.field == services.UNCONFIRMED:
            links.append(
                {"href": f"#del-{section.key}", "message": problem.message, "section": section.key}
            )
            continue
        href = _url(submission, "section", section.key) + "?kontroll=1"
        anchor = _anchor(submission, section, problem, data, options_cache)
        label = section.field_label(problem.field, submission.kind)
        where = f"{section.number}. {section.title}"
        if problem.row is not None:
            where += f", {_row_name(section, problem, data)}"
        if label.lower() not in problem.message.lower():
            where += f" – {label}"
        links.append(
            {
                "href": f"{href}#{anchor}",
                "message": f"{where}: {problem.message}",
                "section": section.key,
            }
        )
    return links


def _row_name(section: Section, problem, data) -> str:
    """«tilbud 2», or for rows listed per municipality, «kommune 4003»."""
    key = section_forms.PRELISTED.get(section.key)
    rows = data.get(section.key) or []
    if key and problem.row < len(rows) and rows[problem.row].get(key):
        return _("kommune %(n)s") % {"n": rows[problem.row][key]}
    return f"{section_forms.ROW_NOUNS.get(section.key, _('rad')).lower()} {problem.row + 1}"


def _anchor(submission, section: Section, problem, data, options_cache) -> str:
    if not section.is_repeating:
        return problem.anchor
    if problem.row is None:
        return f"{section.key}-rows"
    index = problem.row
    if section.key in section_forms.PRELISTED:
        if section.key not in options_cache:
            options_cache[section.key] = section_forms.Options.for_section(submission, section)
        shown = section_forms.initial_rows(
            section, data.get(section.key), options_cache[section.key]
        )
        index = next((i for i, r in enumerate(shown) if r.get("uid") == problem.row_uid), index)
    return f"{section.key}-{index}-{problem.field}"


def _county_sum(submission, data) -> dict | None:
    if submission.kind != Submission.Kind.COUNTY:
        return None
    total = reading.recommended_total(data=data)
    share = reading.county_share(submission=submission)
    difference = None if share is None else total - share
    return {
        "total": total,
        "share": share,
        "difference": difference,
        "shortfall": -difference if difference is not None and difference < 0 else 0,
    }


def _overview(
    request, submission, *, problems=None, submit_form=None, status=200, answer_error=None
):
    user = request.user
    working_copy = reading.reads_working_copy(user=user, submission=submission)
    version = None
    if working_copy:
        data = serialize(submission)
    else:
        version = reading.latest_version(submission=submission)
        if version is None:
            raise Http404
        data = version.data
    can_edit = (
        working_copy
        and submission.is_editable
        and rules.can_edit_county_data(user, submission.county)
    )
    transition, comments = _current_review(submission) if working_copy else (None, [])
    can_answer = (
        working_copy
        and submission.is_editable
        and rules.can_answer_review_comments(user, submission.county)
    )
    for comment in comments:
        comment.answer_url = _url(submission, "answer", comment.pk) if can_answer else ""
        if answer_error and answer_error[0] == comment.pk:
            comment.answer_draft, comment.answer_error = answer_error[1], answer_error[2]
    read_sections = reading.present_sections(kind=submission.kind, data=data)
    problem_links = _problem_links(submission, problems or [], data)
    states = {state.key: state for state in section_states(submission)}
    blocks = []
    for read in read_sections:
        section_comments = [c for c in comments if c.section == read.key]
        by_field = {}
        for comment in section_comments:
            if comment.field and not read.is_repeating:
                by_field.setdefault(comment.field, []).append(comment)
        for item in read.items:
            item.comments = by_field.get(item.field, [])
        field_names = {i.field for i in read.items}
        blocks.append(
            {
                "read": read,
                "state": states[read.key],
                "comment_count": len(section_comments),
                "comments": [
                    c for c in section_comments if read.is_repeating or c.field not in field_names
                ],
                "problems": [p for p in problem_links if p.get("section") == read.key],
                "edit_url": _url(submission, "section", read.key),
                "confirm_url": _url(submission, "confirm", read.key),
            }
        )
    versions = list(submission.versions.select_related("created_by").order_by("-number"))
    context = {
        "submission": submission,
        "round": submission.round,
        "subject": _subject(submission),
        "kind": submission.kind,
        "working_copy": working_copy,
        "version": version,
        "can_edit": can_edit,
        "can_answer": can_answer,
        "blocks": blocks,
        "review": transition,
        "problem_links": problem_links,
        "submit_form": submit_form or section_forms.SubmitForm(),
        "submit_url": _url(submission, "submit"),
        "is_past_deadline": submission.is_past_deadline(),
        "deadline": format_time(submission.effective_deadline()),
        "deadline_at": submission.effective_deadline(),
        "versions": versions,
        "county_sum": _county_sum(submission, data),
        "unconfirmed": [s for s in states.values() if s.can_confirm],
        "next_profile": worklist.next_not_done(submission) if working_copy else None,
    }
    return render(request, "skjema/county/submission.html", context, status=status)


@login_required
def overview(request, year: int, number: str, kind: str):
    submission = _readable(request.user, kind, year, number, prefetch=True)
    return _overview(request, submission)


@login_required
@require_POST
def submit(request, year: int, number: str, kind: str):
    submission = _editable(request.user, kind, year, number)
    form = section_forms.SubmitForm(request.POST)
    form.is_valid()
    try:
        version = services.submit(
            submission, request.user, late_reason=form.cleaned_data.get("late_reason", "")
        )
    except SubmissionInvalid as invalid:
        for problem in invalid.problems:
            if problem.section == "submit" and problem.field in form.fields:
                form.add_error(problem.field, problem.message)
        submission = _editable(request.user, kind, year, number, prefetch=True)
        return _overview(request, submission, problems=invalid.problems, submit_form=form)
    except (InvalidTransition, NotAllowed) as refused:
        messages.error(request, refused.message)
        return redirect(_url(submission))
    messages.success(request, _("Skjemaet er sendt inn. Her er kvitteringen din."))
    return redirect("skjema:receipt", year, version.pk)


@login_required
@require_POST
def confirm(request, year: int, number: str, section_key: str, kind: str):
    submission = _editable(request.user, kind, year, number)
    try:
        section = get_section(kind, section_key)
    except KeyError as exc:
        raise Http404 from exc
    try:
        services.confirm_section(submission, section.key, request.user)
    except (InvalidTransition, NotAllowed) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("«%(title)s» er bekreftet uendret.") % {"title": section.title})
    return redirect(_url(submission) + f"#del-{section.key}")


@login_required
@require_POST
def answer(request, year: int, number: str, comment_id: int, kind: str):
    """The county's answer to one of IMDi's comments (``services.answer_comment``)."""
    submission = _editable(request.user, kind, year, number)
    comment = get_object_or_404(ReviewComment, pk=comment_id, submission=submission)
    text = request.POST.get("svar", "")
    try:
        services.answer_comment(comment, request.user, text)
    except InvalidTransition as refused:
        too_long = len(text.strip()) > services.ANSWER_MAX_LENGTH
        if too_long and submission.status == Status.RETURNED:
            # Bad input (too long): the page again with the text kept and the message by it.
            submission = _editable(request.user, kind, year, number, prefetch=True)
            return _overview(
                request, submission, status=400, answer_error=(comment.pk, text, refused.message)
            )
        messages.error(request, refused.message)
    except NotAllowed as refused:
        messages.error(request, refused.message)
    else:
        if text.strip():
            messages.success(request, _("Svaret ditt er lagret. IMDi ser det ved kommentaren."))
        else:
            messages.success(request, _("Svaret er fjernet."))
    return redirect(_url(submission) + f"#kommentar-{comment.pk}")
