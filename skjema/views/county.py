"""County pages: dashboard, profile and county-submission forms, submit, receipts.

Who may do what comes from ``Submission.objects.visible_to/editable_by`` and ``rules``: a
submission the user may not read is a 404 (its existence is not revealed); one they may read
but not change is a 403 on the change pages. Every change goes through ``skjema.services``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import CheckboxInput, CheckboxSelectMultiple
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.documents import get_document_model

from portal.accounts import rules

from .. import forms as section_forms
from .. import plan_documents, reading, services
from ..exceptions import EditConflict, InvalidTransition, NotAllowed, SubmissionInvalid
from ..models import (
    CountySubmission,
    MunicipalityProfile,
    Round,
    Submission,
    Version,
)
from ..receipts import build_receipt, format_time, receipt_docx
from ..sections import (
    Section,
    diff_section,
    get_section,
    prefetch_for_serialize,
    sections_for,
    serialize,
    serialize_section,
)

MODELS = {"profile": MunicipalityProfile, "county": CountySubmission}

# Short section names for the dashboard's per-section states.
SHORT_TITLES = {
    "qualification": gettext_lazy("Kvalifisering"),
    "upper_secondary": gettext_lazy("Videregående"),
    "cooperation": gettext_lazy("Samarbeid"),
    "labour": gettext_lazy("Arbeidskraft"),
    "capacity": gettext_lazy("Kapasitet"),
    "plans": gettext_lazy("Planer"),
    "recommendations": gettext_lazy("Anbefalt antall"),
    "comment": gettext_lazy("Kommentar"),
}


# ---------------------------------------------------------------------------------------------
# lookups


def _queryset(kind: str, year: int, number: str):
    model = MODELS[kind]
    queryset = model.objects.filter(round__year=year).select_related(
        "round", "round__structure", "county", "municipality", "updated_by"
    )
    if kind == "profile":
        return queryset.filter(municipality__number=number)
    return queryset.filter(county__number=number)


def _readable(user, kind: str, year: int, number: str, *, prefetch=False):
    queryset = _queryset(kind, year, number).visible_to(user)
    if prefetch:
        queryset = prefetch_for_serialize(queryset, kind)
    submission = queryset.first()
    if submission is None:
        raise Http404
    return submission


def _editable(user, kind: str, year: int, number: str, *, prefetch=False):
    """The submission if the user may change it; 403 if they may only read it; else 404."""
    queryset = _queryset(kind, year, number).editable_by(user)
    if prefetch:
        queryset = prefetch_for_serialize(queryset, kind)
    submission = queryset.first()
    if submission is None:
        if _queryset(kind, year, number).visible_to(user).exists():
            raise PermissionDenied
        raise Http404
    return submission


def _url(submission, name: str = "", *args) -> str:
    if submission.kind == Submission.Kind.PROFILE:
        prefix, number = "profile", submission.municipality.number
    else:
        prefix, number = "county", submission.county.number
    url_name = {
        "": "skjema:profile" if prefix == "profile" else "skjema:county-submission",
        "section": f"skjema:{prefix}-section",
        "submit": f"skjema:{prefix}-submit",
        "confirm": f"skjema:{prefix}-confirm",
    }[name]
    return reverse(url_name, args=[submission.round.year, number, *args])


def _subject(submission) -> str:
    if submission.kind == Submission.Kind.PROFILE:
        return submission.municipality.name
    return submission.county.name


# ---------------------------------------------------------------------------------------------
# section states and review comments


@dataclass
class SectionState:
    key: str
    short_title: str
    label: str
    css: str
    can_confirm: bool


def section_states(submission) -> list[SectionState]:
    states = []
    for section in sections_for(submission.kind):
        state = (submission.section_state or {}).get(section.key) or {}
        carried = state.get("carried_from")
        if state.get("edited"):
            label, css = _("endret"), "edited"
        elif state.get("confirmed"):
            label, css = _("bekreftet uendret"), "confirmed"
        elif carried:
            label, css = _("uendret siden %(year)s") % {"year": carried}, "carried"
        else:
            label, css = _("ikke påbegynt"), "new"
        can_confirm = bool(carried) and not state.get("edited") and not state.get("confirmed")
        states.append(SectionState(section.key, SHORT_TITLES[section.key], label, css, can_confirm))
    return states


def _current_review(submission):
    """IMDi's latest return (reason and comments) while the county is correcting."""
    return reading.current_return(submission=submission)


# ---------------------------------------------------------------------------------------------
# index and dashboard


@login_required
def index(request):
    rounds = Round.objects.exclude(status=Round.Status.PLANNING)
    round_ = rounds.filter(status=Round.Status.OPEN).order_by("-year").first()
    round_ = round_ or rounds.order_by("-year").first()
    if round_ is None:
        return render(request, "skjema/county/no_round.html", status=404)
    return redirect("skjema:dashboard", round_.year)


@login_required
def dashboard(request, year: int):
    round_ = get_object_or_404(Round.objects.select_related("structure"), year=year)
    county = rules.county_of(request.user)
    if county is None:
        if rules.can_view_submitted(request.user):
            # IMDi's (and KS's) overview of the round lives on the review side.
            return redirect("skjema:round-overview", year)
        raise PermissionDenied
    profiles = list(
        MunicipalityProfile.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("round", "municipality", "updated_by")
        .order_by("municipality__number")
    )
    county_submission = (
        CountySubmission.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("round", "county", "updated_by")
        .first()
    )
    rows = [{"profile": profile, "states": section_states(profile)} for profile in profiles]
    context = {
        "round": round_,
        "county": county,
        "rows": rows,
        "county_submission": county_submission,
        "submitted_count": sum(profile.has_been_submitted for profile in profiles),
        "late_count": sum(profile.is_late for profile in profiles),
        "is_past_deadline": round_.is_past_deadline(),
    }
    return render(request, "skjema/county/dashboard.html", context)


@login_required
def own_county_submission(request, year: int):
    county = rules.county_of(request.user)
    if county is None:
        raise Http404
    return redirect("skjema:county-submission", year, county.number)


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


def _overview(request, submission, *, problems=None, submit_form=None, status=200):
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
        "blocks": blocks,
        "review": transition,
        "problem_links": problem_links,
        "submit_form": submit_form or section_forms.SubmitForm(),
        "submit_url": _url(submission, "submit"),
        "is_past_deadline": submission.round.is_past_deadline(),
        "deadline": format_time(submission.round.deadline),
        "versions": versions,
        "county_sum": _county_sum(submission, data),
        "unconfirmed": [s for s in states.values() if s.can_confirm],
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


# ---------------------------------------------------------------------------------------------
# editing a section


@dataclass
class FieldView:
    """A form field with everything its label, hint, error and notes need in the template."""

    bound: object
    show_errors: bool
    notes: list[str] = field(default_factory=list)
    comments: list = field(default_factory=list)

    def __post_init__(self):
        ids = []
        if self.bound.help_text:
            ids.append(f"{self.bound.auto_id}_helptext")
        if self.errors:
            ids.append(f"{self.bound.auto_id}_error")
        if self.notes:
            ids.append(f"{self.bound.auto_id}_note")
        if self.comments:
            ids.append(f"{self.bound.auto_id}_comment")
        self.describedby = " ".join(ids)
        if self.kind != "checkboxes" and ids:
            self.bound.field.widget.attrs["aria-describedby"] = self.describedby

    @property
    def errors(self):
        return self.bound.errors if self.show_errors else []

    @property
    def kind(self) -> str:
        widget = self.bound.field.widget
        if widget.is_hidden:
            return "hidden"
        if isinstance(widget, CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, CheckboxInput):
            return "checkbox"
        return "input"


@dataclass
class RowView:
    index: object
    legend: str
    form: object
    fields: list[FieldView]
    delete: FieldView | None
    hidden: list
    municipality: str = ""
    is_foreign: bool = False


def _field_views(form, section, show_errors, notes, comments) -> list[FieldView]:
    return [
        FieldView(
            form[name],
            show_errors,
            notes.get(name, []),
            comments.get(name, []),
        )
        for name in section.fields
    ]


def _row_view(form, index, section, show_errors, notes, options) -> RowView:
    noun = section_forms.ROW_NOUNS.get(section.key, "Rad")
    number = "__num__" if index == "__prefix__" else index + 1
    views = _field_views(form, section, show_errors, notes, {})
    delete = FieldView(form["DELETE"], show_errors) if "DELETE" in form.fields else None
    hidden = [form["uid"]] + [v.bound for v in views if v.kind == "hidden"]
    row = RowView(
        index, f"{noun} {number}", form, [v for v in views if v.kind != "hidden"], delete, hidden
    )
    key = section_forms.PRELISTED.get(section.key)
    if key:
        value = form[key].value() or ""
        name = options.county_municipalities.get(value)
        row.municipality = f"{name} ({value})" if name else value
        row.is_foreign = name is None
    return row


def _notes(section, submission, data, options, problems):
    """Submit-check problems for this section: by field (field section) or by (row, field)."""
    by_field: dict = {}
    top = []
    shown = section_forms.initial_rows(section, data, options) if section.is_repeating else []
    for problem in problems:
        if problem.section != section.key:
            continue
        if not section.is_repeating:
            by_field.setdefault((None, problem.field), []).append(problem.message)
        elif problem.row is None:
            top.append(problem.message)
        else:
            index = next(
                (
                    i
                    for i, r in enumerate(shown)
                    if problem.row_uid and r.get("uid") == problem.row_uid
                ),
                problem.row,
            )
            by_field.setdefault((index, problem.field), []).append(problem.message)
    return by_field, top


def _error_summary(section, editor, extra_messages, row_names=()) -> list[dict]:
    """Entries for the error summary; each links to its field («Tilbud 2, Antall plasser: …»)."""
    entries = []

    def add_form(form, where):
        for name, errors in form.errors.items():
            if name == "__all__":
                for error in errors:
                    entries.append({"href": f"#{section.key}-rows", "message": error})
                continue
            bound = form[name]
            href = f"#{bound.auto_id}"
            if bound.is_hidden:
                href = f"#{section.key}-rows"
            for error in errors:
                entries.append({"href": href, "message": f"{where}{bound.label}: {error}"})

    if section.is_repeating:
        for form, name in zip(editor.forms, row_names, strict=False):
            add_form(form, f"{name}, ")
        for error in editor.non_form_errors():
            entries.append({"href": f"#{section.key}-rows", "message": error})
    else:
        add_form(editor, "")
    for message in extra_messages:
        entries.append({"href": f"#{section.key}-form", "message": message})
    return entries


def _edit_page(
    request,
    submission,
    section,
    editor,
    options,
    *,
    base_edit,
    show_errors=True,
    extra_messages=(),
    conflict=None,
    force=False,
    check=False,
    status=200,
):
    kind = submission.kind
    current = serialize_section(submission, section)
    problems = services.validate_submission(submission) if check else []
    notes, top_notes = _notes(section, submission, current, options, problems)
    transition, comments = _current_review(submission)
    comments = [c for c in comments if c.section == section.key]
    field_comments = {}
    if not section.is_repeating:
        for comment in comments:
            if comment.field in section.fields:
                field_comments.setdefault(comment.field, []).append(comment)
    general_comments = [c for c in comments if c not in sum(field_comments.values(), [])]

    context = {
        "submission": submission,
        "round": submission.round,
        "subject": _subject(submission),
        "section": section,
        "kind": kind,
        "overview_url": _url(submission),
        "edit_url": _url(submission, "section", section.key),
        "base_edit": base_edit,
        "force": force,
        "conflict": conflict,
        "review": transition,
        "comments": general_comments,
        "top_notes": top_notes,
        "check_links": [
            {
                "href": f"#{_anchor(submission, section, p, {section.key: current}, {})}",
                "message": p.message,
            }
            for p in problems
            if p.section == section.key
        ],
        "error_summary": [],
        "occupations": options.occupations,
        "datalist_id": section_forms.OCCUPATION_DATALIST_ID,
        "addable": section.is_repeating and section.key not in section_forms.PRELISTED,
        "show_errors": show_errors,
    }
    if section.is_repeating:
        rows = [
            _row_view(
                form,
                index,
                section,
                show_errors,
                {f: m for (i, f), m in notes.items() if i == index},
                options,
            )
            for index, form in enumerate(editor.forms)
        ]
        context.update(
            formset=editor,
            rows=rows,
            empty_row=_row_view(editor.empty_form, "__prefix__", section, False, {}, options),
            next_index=editor.total_form_count(),
            noun=section_forms.ROW_NOUNS.get(section.key, "Rad"),
        )
        row_names = [row.municipality or row.legend for row in rows]
    else:
        context.update(
            form=editor,
            fields=_field_views(
                editor,
                section,
                show_errors,
                {f: m for (_i, f), m in notes.items()},
                field_comments,
            ),
            remove_document=editor["remove_document"]
            if "remove_document" in editor.fields
            else None,
        )
    if show_errors:
        context["error_summary"] = _error_summary(
            section, editor, extra_messages, row_names if section.is_repeating else ()
        )
    if section.key == "plans" and submission.plan_document_id:
        context["current_document"] = (
            get_document_model().objects.filter(pk=submission.plan_document_id).first()
        )
    if kind == Submission.Kind.COUNTY and section.key == "recommendations":
        context["county_sum"] = _county_sum(submission, {section.key: current})
    return render(request, "skjema/county/section_edit.html", context, status=status)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, year: int, number: str, section_key: str, kind: str):
    submission = _editable(request.user, kind, year, number, prefetch=True)
    try:
        section = get_section(kind, section_key)
    except KeyError as exc:
        raise Http404 from exc
    if not submission.is_editable:
        messages.info(
            request,
            _("Skjemaet er %(status)s og kan ikke endres nå.")
            % {"status": submission.get_status_display().lower()},
        )
        return redirect(_url(submission) + f"#del-{section.key}")
    current = serialize_section(submission, section)
    options = section_forms.Options.for_section(submission, section, current)

    if request.method == "GET":
        editor = section_forms.build(section, kind, options, initial=current)
        base_edit = services.latest_edit_ids(submission).get(section.key)
        return _edit_page(
            request,
            submission,
            section,
            editor,
            options,
            base_edit=base_edit,
            check=bool(request.GET.get("kontroll")),
        )

    # The base is what the user saw when the form was first rendered; keep it across
    # re-renders, so a save after a validation error still detects someone else's save.
    base_edit = _int_or_none(request.POST.get("base_edit"))
    force = request.POST.get("force") == "1"
    page = {"base_edit": base_edit, "force": force}

    if "add_row" in request.POST and section.is_repeating:
        data = section_forms.with_extra_row(request.POST, section.key)
        editor = section_forms.build(
            section, kind, options, initial=current, data=data, files=request.FILES
        )
        section_forms.hide_errors(editor)
        return _edit_page(request, submission, section, editor, options, show_errors=False, **page)

    editor = section_forms.build(
        section, kind, options, initial=current, data=request.POST, files=request.FILES
    )
    if not editor.is_valid():
        return _edit_page(request, submission, section, editor, options, **page)

    try:
        _save(request, submission, section, editor, base_edit)
    except EditConflict as conflict:
        return _conflict_page(request, submission, section, editor, options, conflict)
    except ValidationError as invalid:
        return _edit_page(
            request, submission, section, editor, options, extra_messages=invalid.messages, **page
        )
    except (InvalidTransition, NotAllowed) as refused:
        return _edit_page(
            request, submission, section, editor, options, extra_messages=[refused.message], **page
        )
    if force:
        messages.success(
            request, _("Din versjon av «%(title)s» er lagret.") % {"title": section.title}
        )
    else:
        messages.success(
            request, _("Endringene i «%(title)s» er lagret.") % {"title": section.title}
        )
    return redirect(_url(submission) + f"#del-{section.key}")


def _save(request, submission, section, editor, base_edit) -> None:
    """Convert the valid input to plain data and save it; an uploaded plan document is stored
    in the same transaction, and its file removed again if the save is refused."""
    upload = editor.cleaned_data.get("plan_document") if section.key == "plans" else None
    document = None
    try:
        with transaction.atomic():
            document_id = None
            if section.key == "plans":
                document_id = submission.plan_document_id
                if editor.cleaned_data.get("remove_document"):
                    document_id = None
                if upload:
                    document = _store_document(request, submission, editor, upload)
                    document_id = document.pk
            data = section_forms.to_plain(section, editor, document_id=document_id)
            services.save_section(
                submission, section.key, data, request.user, base_edit_id=base_edit
            )
    except Exception:
        if document is not None:
            document.file.delete(save=False)
        raise


def _store_document(request, submission, editor, upload):
    title = editor.cleaned_data.get("plan_title") or upload.name
    document = get_document_model()(
        title=f"{submission.county.name}: {title}"[:255],
        file=upload,
        uploaded_by_user=request.user,
        collection=plan_documents.collection(),
    )
    document._set_document_file_metadata()
    document.save()
    return document


def _conflict_page(request, submission, section, editor, options, conflict: EditConflict):
    latest = conflict.latest_edit
    base = conflict.base_edit
    who = (latest.by.get_full_name() or latest.by.username) if latest.by else _("noen")
    diff = diff_section(section, base.data if base else None, latest.data, submission.kind)
    same_user = latest.by_id == request.user.pk
    info = {
        # The same person in two windows is told so, not that «someone else» saved.
        "message": (
            _(
                "Du har selv lagret denne delen i et annet vindu eller en annen fane etter at du "
                "åpnet dette skjemaet. Endringene her er ikke lagret ennå – se hva som er endret, "
                "og lagre på nytt for å bruke denne versjonen."
            )
            if same_user
            else conflict.message
        ),
        "heading": _("Delen er lagret i et annet vindu")
        if same_user
        else _("Noen andre har lagret denne delen"),
        "who": _("deg selv") if same_user else who,
        "subject": _("du") if same_user else who,
        "when": format_time(latest.at),
        "diffs": [diff],
        "lost_upload": section.key == "plans" and bool(editor.cleaned_data.get("plan_document")),
    }
    # Saving again from this page is the user's explicit choice, against the edit they have now
    # seen; a third person's save in between is still detected.
    return _edit_page(
        request,
        submission,
        section,
        editor,
        options,
        base_edit=latest.pk,
        conflict=info,
        force=True,
        status=409,
    )


# ---------------------------------------------------------------------------------------------
# receipts


def _version(user, year: int, version_id: int) -> Version:
    version = reading.version_get(user=user, version_id=version_id, year=year)
    if version is None:
        raise Http404
    return version


@login_required
def receipt(request, year: int, version_id: int):
    version = _version(request.user, year, version_id)
    receipt = build_receipt(version)
    submission = version.submission
    context = {
        "receipt": receipt,
        "round": submission.round,
        "submission": submission,
        "subject": _subject(submission),
        "overview_url": _url(submission),
        "docx_url": reverse("skjema:receipt-docx", args=[year, version.pk]),
    }
    return render(request, "skjema/county/receipt.html", context)


@login_required
def receipt_document(request, year: int, version_id: int):
    receipt = build_receipt(_version(request.user, year, version_id))
    response = HttpResponse(
        receipt_docx(receipt),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{receipt.filename}"'
    return response


# ---------------------------------------------------------------------------------------------


def _submission_urls(segment: str, kind: str, prefix: str):
    base = f"<int:year>/{segment}/<str:number>/"
    return [
        path(
            base,
            overview,
            {"kind": kind},
            name=prefix if kind == "profile" else "county-submission",
        ),
        path(f"{base}send-inn/", submit, {"kind": kind}, name=f"{prefix}-submit"),
        path(
            f"{base}bekreft/<slug:section_key>/", confirm, {"kind": kind}, name=f"{prefix}-confirm"
        ),
        path(f"{base}<slug:section_key>/", section_edit, {"kind": kind}, name=f"{prefix}-section"),
    ]


urlpatterns = [
    path("", index, name="index"),
    path("<int:year>/", dashboard, name="dashboard"),
    path("<int:year>/fylke/", own_county_submission, name="county-submission-own"),
    *_submission_urls("kommuner", "profile", "profile"),
    *_submission_urls("fylke", "county", "county"),
    path("<int:year>/kvittering/<int:version_id>/", receipt, name="receipt"),
    path("<int:year>/kvittering/<int:version_id>.docx", receipt_document, name="receipt-docx"),
]
