"""Editing one section: the form page, saving with conflict detection, plan document upload."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import CheckboxInput, CheckboxSelectMultiple
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.documents import get_document_model

from ... import forms as section_forms
from ... import plan_documents, services
from ...exceptions import EditConflict, InvalidTransition, NotAllowed
from ...models import (
    Submission,
)
from ...receipts import format_time
from ...sections import (
    diff_section,
    get_section,
    serialize_section,
)
from . import recommendation_page
from .lookups import (
    _current_review,
    _editable,
    _subject,
    _url,
)
from .overview import _anchor, _county_sum

logger = logging.getLogger(__name__)

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
        context.update(
            recommendation_page.page_context(
                submission=submission,
                rows=context["rows"],
                saved_rows=current,
                county_sum=context["county_sum"],
            )
        )
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
    if submission.kind == Submission.Kind.COUNTY and section.key == "recommendations":
        for text in recommendation_page.saved_warnings(submission):
            messages.warning(request, text)
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
    try:
        document.save()
    except OSError as exc:
        # A full or unreachable disk for uploads: the user is told, nothing of the section is
        # saved (the caller's transaction is rolled back), and what was written of the file is
        # removed. Operators find the cause in the log.
        logger.error("Could not store the plan document %r: %s", upload.name, exc)
        name = document.file.name
        if name:
            try:
                document.file.storage.delete(name)
            except OSError:
                logger.warning("Could not remove the partial file %r", name, exc_info=True)
        raise ValidationError(
            _(
                "Dokumentet kunne ikke lagres fordi lagringsplassen for vedlegg er full eller "
                "utilgjengelig. Ingenting i denne delen er lagret. Prøv igjen senere, eller lagre "
                "uten dokumentet."
            )
        ) from exc
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
