"""The county's round list: its municipality profiles with status, region and section states,
filtered and sorted as the officer asks, and the next profile that is not done. Fixed number of
queries for any number of municipalities."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.register.models import County, Municipality

from .models import MunicipalityProfile, Status
from .models.submissions import EDITABLE_STATES
from .sections import sections_for

NOT_DONE = "ikke-ferdig"
STATUS_ORDER = [
    Status.RETURNED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RESUBMITTED,
    Status.ACCEPTED,
]

# Sortable columns: the URL's key, and how a row sorts by it.
SORT_KEYS = {
    "kommune": lambda row: row.profile.municipality.name.lower(),
    "nummer": lambda row: row.profile.municipality.number,
    "region": lambda row: (row.region.lower(), row.profile.municipality.number),
    "status": lambda row: (STATUS_ORDER.index(row.profile.status), row.profile.municipality.number),
    "deler": lambda row: (-row.to_confirm, -row.not_started, row.profile.municipality.number),
    "endret": lambda row: row.profile.updated_at,
    "av": lambda row: (row.updated_by_name.lower(), row.profile.municipality.number),
}
DEFAULT_SORT = "nummer"


def former_counties(municipalities) -> dict[int, str]:
    """The county each municipality belonged to before the 2020 reform (its «region»), read
    from the register's code history: the county of its latest code valid before 2020. Two
    queries. Municipalities without such a code (no history loaded) get none."""
    ids = [m.pk for m in municipalities]
    earlier = (
        Municipality.objects.filter(current_id__in=ids, valid_to__year__lt=2020)
        .order_by("current_id", "-valid_to", "number")
        .values_list("current_id", "number")
    )
    prefix: dict[int, str] = {}
    for current_id, number in earlier:
        prefix.setdefault(current_id, number[:2])
    names = dict(
        County.objects.filter(number__in=set(prefix.values()), valid_to__year__lt=2020)
        .order_by()
        .values_list("number", "name")
    )
    return {pk: names[p] for pk, p in prefix.items() if p in names}


@dataclass
class WorkRow:
    profile: MunicipalityProfile
    region: str
    to_confirm: int
    edited: int
    confirmed: int
    not_started: int
    states: list = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return self.profile.status not in EDITABLE_STATES

    @property
    def updated_by_name(self) -> str:
        user = self.profile.updated_by
        return (user.get_full_name() or user.username) if user else ""

    @property
    def summary(self) -> str:
        parts = []
        if self.to_confirm:
            parts.append(_("%(n)s må bekreftes") % {"n": self.to_confirm})
        if self.not_started:
            parts.append(_("%(n)s ikke påbegynt") % {"n": self.not_started})
        if self.edited:
            parts.append(_("%(n)s endret") % {"n": self.edited})
        if self.confirmed:
            parts.append(_("%(n)s bekreftet") % {"n": self.confirmed})
        return ", ".join(parts)


def _row(profile, region: str) -> WorkRow:
    counts = {"to_confirm": 0, "edited": 0, "confirmed": 0, "not_started": 0}
    for section in sections_for(profile.kind):
        state = (profile.section_state or {}).get(section.key) or {}
        if state.get("edited"):
            counts["edited"] += 1
        elif state.get("confirmed"):
            counts["confirmed"] += 1
        elif state.get("carried_from"):
            counts["to_confirm"] += 1
        else:
            counts["not_started"] += 1
    return WorkRow(profile, region, **counts)


class RoundListFilter(forms.Form):
    """The round list's GET form: works without JavaScript."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region (fylke før 2020)"), required=False)
    q = forms.CharField(label=gettext_lazy("Kommune"), required=False, max_length=100)
    sorter = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, regions=(), **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Alle")),
            (NOT_DONE, _("Ikke ferdig (utkast eller returnert)")),
            *[(s.value, s.label) for s in STATUS_ORDER],
        ]
        self.fields["region"].choices = [("", _("Alle")), *[(r, r) for r in regions]]

    def value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "") if self.is_valid() else ""


@dataclass
class RoundList:
    rows: list[WorkRow]  # shown, filtered and sorted
    total: int
    form: RoundListFilter
    sort: str
    descending: bool
    regions: list[str]
    counts: dict[str, int]


def profiles_for(user, round_):
    return (
        MunicipalityProfile.objects.visible_to(user)
        .filter(round=round_)
        .select_related("round", "county", "municipality", "updated_by")
        .order_by("municipality__number")
    )


def round_list(*, user, round_, params) -> RoundList:
    profiles = list(profiles_for(user, round_))
    regions_by_id = former_counties([p.municipality for p in profiles])
    rows = [_row(p, regions_by_id.get(p.municipality_id, "")) for p in profiles]
    regions = sorted({r.region for r in rows if r.region})
    form = RoundListFilter(params or None, regions=regions)
    status, region, text = form.value("status"), form.value("region"), form.value("q").strip()
    shown = rows
    if status == NOT_DONE:
        shown = [r for r in shown if not r.is_done]
    elif status:
        shown = [r for r in shown if r.profile.status == status]
    if region:
        shown = [r for r in shown if r.region == region]
    if text:
        needle = text.lower()
        shown = [
            r
            for r in shown
            if needle in r.profile.municipality.name.lower()
            or r.profile.municipality.number.startswith(needle)
        ]
    sort = (form.value("sorter") or DEFAULT_SORT) if form.is_bound else DEFAULT_SORT
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = DEFAULT_SORT, False
    shown = sorted(shown, key=SORT_KEYS[key], reverse=descending)
    counts = {s.value: 0 for s in STATUS_ORDER}
    for row in rows:
        counts[row.profile.status] += 1
    return RoundList(shown, len(rows), form, key, descending, regions, counts)


def next_not_done(submission) -> MunicipalityProfile | None:
    """The next municipality profile of the same county and round that is not done (draft or
    returned), after this one by number and then from the start. One query."""
    current = "" if not submission.municipality_id else submission.municipality.number
    candidates = list(
        MunicipalityProfile.objects.filter(
            round_id=submission.round_id,
            county_id=submission.county_id,
            status__in=EDITABLE_STATES,
        )
        .exclude(pk=submission.pk)
        .select_related("round", "municipality")
        .order_by("municipality__number")
    )
    after = [p for p in candidates if p.municipality.number > current]
    return (after or candidates or [None])[0]


def selected(queryset, ids) -> list:
    """The chosen submissions, by id, among those the queryset allows; unknown ids are ignored."""
    clean = {int(i) for i in ids if str(i).isdigit()}
    return list(queryset.filter(pk__in=clean).order_by("municipality__number"))
