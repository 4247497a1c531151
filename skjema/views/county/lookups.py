"""Finding the submission a county page is about, and the per-section states and IMDi's
current return that several of the pages show."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import reading
from ...models import (
    CountySubmission,
    MunicipalityProfile,
    Submission,
)
from ...sections import (
    prefetch_for_serialize,
    sections_for,
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
        "answer": f"skjema:{prefix}-answer",
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
