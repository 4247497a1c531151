"""Forms of the placement pages. The household form collects plain data and validates it with
the API's ``HouseholdSerializer``, so a household means the same from a page, the API and an
import; the page only adds the layout (a fixed number of adult rows, works without JS)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.register.models import ProgrammeArea

from .models import CRITERIA, CRITERION_LABELS, EducationLevel, Need, NorwegianLevel
from .models.households import PROTECTED_MESSAGE, protected_keys
from .services import DecisionInput

ADULT_ROWS = 6
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _choices(choices):
    return [("", "–"), *choices]


def _ints(text: str) -> list[int] | None:
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        return None


class HouseholdForm(forms.Form):
    case_reference = forms.CharField(label=_("IMDis saksreferanse"), max_length=100)
    unaccompanied_minor_age = forms.IntegerField(
        label=_("Alder, hvis enslig mindreårig"),
        required=False,
        min_value=0,
        max_value=17,
        help_text=_(
            "Fyll ut bare for enslige mindreårige; da skal det ikke være voksne eller barn."
        ),
    )
    children_ages = forms.CharField(
        label=_("Barnas alder"),
        required=False,
        help_text=_("Skill med komma, for eksempel «4, 9, 15»."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Behov"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    connection_municipality = forms.CharField(
        label=_("Tilknytning til kommune (kommunenummer)"),
        required=False,
        max_length=4,
        help_text=_("Fire sifre, for eksempel 4601."),
    )
    connection_reason = forms.CharField(
        label=_("Grunn til tilknytningen"), required=False, max_length=255
    )
    connection_required = forms.BooleanField(label=_("Tilknytningen er et krav"), required=False)
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = [(a.code, f"{a.name} ({a.code})") for a in ProgrammeArea.objects.order_by("code")]
        for i in range(ADULT_ROWS):
            self.fields[f"adult{i}_education_level"] = forms.ChoiceField(
                label=_("Utdanningsnivå"), choices=_choices(EducationLevel.choices), required=False
            )
            self.fields[f"adult{i}_occupations"] = forms.CharField(
                label=_("Arbeidserfaring (STYRK-08)"),
                required=False,
                help_text=_("Koder skilt med komma, for eksempel «7212, 5321»."),
            )
            self.fields[f"adult{i}_education_route"] = forms.ChoiceField(
                label=_("Utdanningsvei (programområde)"), choices=_choices(areas), required=False
            )
            self.fields[f"adult{i}_norwegian_level"] = forms.ChoiceField(
                label=_("Norsknivå"), choices=_choices(NorwegianLevel.choices), required=False
            )
            self.fields[f"adult{i}_present"] = forms.BooleanField(
                label=_("Voksen %(n)s er med") % {"n": i + 1}, required=False
            )

    def adult_rows(self):
        return [
            {
                "number": i + 1,
                "present": self[f"adult{i}_present"],
                "fields": [
                    self[f"adult{i}_{name}"]
                    for name in (
                        "education_level",
                        "occupations",
                        "education_route",
                        "norwegian_level",
                    )
                ],
            }
            for i in range(ADULT_ROWS)
        ]

    @staticmethod
    def initial_for(household) -> dict:
        initial = {
            "case_reference": household.case_reference,
            "unaccompanied_minor_age": household.unaccompanied_minor_age,
            "children_ages": ", ".join(str(a) for a in household.children_ages or []),
            "needs": household.needs,
            "connection_municipality": household.connection_municipality.number
            if household.connection_municipality_id
            else "",
            "connection_reason": household.connection_reason,
            "connection_required": household.connection_required,
            "note": household.note,
        }
        for i, adult in enumerate(household.adults.all()[:ADULT_ROWS]):
            initial[f"adult{i}_present"] = True
            initial[f"adult{i}_education_level"] = adult.education_level
            initial[f"adult{i}_occupations"] = ", ".join(adult.occupations or [])
            initial[f"adult{i}_education_route"] = (
                adult.education_route.code if adult.education_route_id else ""
            )
            initial[f"adult{i}_norwegian_level"] = adult.norwegian_level
        return initial

    def plain_data(self) -> dict:
        """The household as the API would send it (after ``is_valid``)."""
        data = self.cleaned_data
        adults = []
        for i in range(ADULT_ROWS):
            occupations = [
                c.strip() for c in (data.get(f"adult{i}_occupations") or "").split(",") if c.strip()
            ]
            values = {
                "education_level": data.get(f"adult{i}_education_level") or "",
                "occupations": occupations,
                "education_route": data.get(f"adult{i}_education_route") or None,
                "norwegian_level": data.get(f"adult{i}_norwegian_level") or "",
            }
            if data.get(f"adult{i}_present") or any(values.values()):
                adults.append(values)
        plain = {
            "case_reference": data["case_reference"],
            "adults": adults,
            "children_ages": _ints(data.get("children_ages") or "") or [],
            "unaccompanied_minor_age": data.get("unaccompanied_minor_age"),
            "needs": list(data.get("needs") or []),
            "note": data.get("note") or "",
        }
        if data.get("connection_municipality"):
            plain["connection"] = {
                "municipality": data["connection_municipality"],
                "reason": data.get("connection_reason") or "",
                "required": bool(data.get("connection_required")),
            }
        return plain

    def clean_children_ages(self):
        text = self.cleaned_data.get("children_ages") or ""
        if _ints(text) is None:
            raise forms.ValidationError(_("Skriv barnas alder som hele tall skilt med komma."))
        return text


def refused_protected(post) -> str | None:
    """A message when a posted key names a protected characteristic (e.g. «adult0_gender»)."""
    keys = set()
    for key in post:
        keys.add(key)
        keys.add(key.split("_", 1)[-1])
    refused = protected_keys(keys)
    return str(PROTECTED_MESSAGE % {"field": refused[0]}) if refused else None


class WeightsForm(forms.Form):
    """«Hva om»: other weights for this ranking only (the stored set is not changed)."""

    def __init__(self, *args, initial_weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key in CRITERIA:
            self.fields[f"w_{key}"] = forms.DecimalField(
                label=CRITERION_LABELS[key],
                min_value=0,
                max_value=1,
                decimal_places=2,
                required=False,
                initial=(initial_weights or {}).get(key),
                widget=forms.NumberInput(attrs={"step": "0.05"}),
            )

    def weights(self) -> dict | None:
        if not self.is_bound or not self.is_valid():
            return None
        values = {key: self.cleaned_data.get(f"w_{key}") for key in CRITERIA}
        if all(v is None for v in values.values()):
            return None
        values = {k: float(v or 0) for k, v in values.items()}
        if sum(values.values()) <= 0:
            self.add_error(None, _("Minst én vekt må være større enn 0."))
            return None
        return values


class DecisionForm(forms.Form):
    decided = forms.IntegerField(label=_("Vedtatt antall personer"), min_value=0, required=False)
    decided_minors_under_15 = forms.IntegerField(
        label=_("Av disse: enslige mindreårige under 15 år"), min_value=0, initial=0
    )
    decided_minors_15_18 = forms.IntegerField(
        label=_("Av disse: enslige mindreårige 15–18 år"), min_value=0, initial=0
    )
    decided_on = forms.DateField(
        label=_("Vedtaksdato"), required=False, help_text=_("For eksempel 14.10.2026.")
    )
    source = forms.CharField(label=_("Kilde"), max_length=255, required=False)


class ChoiceForm(forms.Form):
    ranking = forms.IntegerField(widget=forms.HiddenInput)
    municipality = forms.CharField(max_length=4, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Begrunnelse for å velge en kommune utenom de tre øverste"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Begrunnelse"), required=False, max_length=2000)


# ---------------------------------------------------------------------------------------------
# decisions import


IMPORT_COLUMNS = {
    "kommunenummer": "municipality",
    "vedtak": "decided",
    "enslige mindreårige under 15": "decided_minors_under_15",
    "enslige mindreårige 15–18": "decided_minors_15_18",
    "vedtaksdato": "decided_on",
    "kilde": "source",
}


class DecisionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Regneark (XLSX eller CSV)"),
        help_text=_(
            "Første rad er overskrifter: Kommunenummer, Vedtak, Enslige mindreårige under 15, "
            "Enslige mindreårige 15–18, Vedtaksdato, Kilde. Kommunenummer skrives som tekst "
            "med fire sifre."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er større enn 2 MB."))
        name = upload.name.lower()
        content = upload.read()
        try:
            if name.endswith(".csv"):
                rows = _csv_rows(content)
            elif name.endswith(".xlsx"):
                rows = _xlsx_rows(content)
            else:
                raise forms.ValidationError(_("Last opp en XLSX- eller CSV-fil."))
        except (ValueError, KeyError, OSError) as exc:
            raise forms.ValidationError(
                _("Filen kunne ikke leses: %(error)s") % {"error": exc}
            ) from exc
        return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("iso-8859-1")
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=";,\t") if text.strip() else csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = ["" if c is None else c for c in row]
        if any(str(c).strip() for c in cells):
            rows.append(cells)
    return rows


def parse_decisions(rows) -> tuple[list[DecisionInput], list[str]]:
    """(entries, problems): every problem is reported; entries only count when none."""
    import datetime

    problems: list[str] = []
    if not rows:
        return [], [str(_("Filen er tom."))]
    header = [str(h).strip().lower() for h in rows[0]]
    columns = {}
    for index, name in enumerate(header):
        if name in IMPORT_COLUMNS:
            columns[IMPORT_COLUMNS[name]] = index
    for required in ("municipality", "decided"):
        if required not in columns:
            label = next(k for k, v in IMPORT_COLUMNS.items() if v == required)
            problems.append(str(_("Kolonnen «%(c)s» mangler.") % {"c": label.capitalize()}))
    if problems:
        return [], problems
    entries, seen = [], set()
    for line, row in enumerate(rows[1:], start=2):

        def cell(key, _row=row):
            index = columns.get(key)
            return "" if index is None or index >= len(_row) else _row[index]

        number = cell("municipality")
        if not isinstance(number, str):
            problems.append(
                str(
                    _("Rad %(l)s: kommunenummeret må være tekst med fire sifre (fikk %(v)s).")
                    % {"l": line, "v": number}
                )
            )
            continue
        number = number.strip()
        if len(number) != 4 or not number.isdigit():
            problems.append(
                str(
                    _("Rad %(l)s: «%(v)s» er ikke et kommunenummer med fire sifre.")
                    % {"l": line, "v": number}
                )
            )
            continue
        if number in seen:
            problems.append(
                str(_("Rad %(l)s: kommune %(n)s står flere ganger.") % {"l": line, "n": number})
            )
            continue
        seen.add(number)
        values = {}
        for key in ("decided", "decided_minors_under_15", "decided_minors_15_18"):
            raw = cell(key)
            if raw in ("", None):
                values[key] = None if key == "decided" else 0
                continue
            try:
                value = int(str(raw).strip())
                if value < 0 or str(raw).strip() != str(value):
                    raise ValueError
            except ValueError:
                problems.append(
                    str(
                        _("Rad %(l)s: «%(v)s» er ikke et helt tall (0 eller mer).")
                        % {"l": line, "v": raw}
                    )
                )
                value = None
            values[key] = value
        decided_on = cell("decided_on")
        if isinstance(decided_on, datetime.datetime):
            decided_on = decided_on.date()
        elif isinstance(decided_on, str) and decided_on.strip():
            try:
                day, month, year = (int(p) for p in decided_on.strip().split("."))
                decided_on = datetime.date(year, month, day)
            except ValueError:
                problems.append(
                    str(
                        _("Rad %(l)s: datoen «%(v)s» må skrives dd.mm.åååå.")
                        % {"l": line, "v": decided_on}
                    )
                )
                decided_on = None
        else:
            decided_on = None
        entries.append(
            DecisionInput(
                number,
                values["decided"],
                values["decided_minors_under_15"] or 0,
                values["decided_minors_15_18"] or 0,
                decided_on,
                str(cell("source") or "").strip()[:255],
            )
        )
    return entries, problems


class BatchForm(forms.Form):
    households = forms.MultipleChoiceField(
        label=_("Husholdninger"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, household_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = household_choices

    def clean_households(self):
        chosen = self.cleaned_data["households"]
        if not 2 <= len(chosen) <= 300:
            raise forms.ValidationError(_("Velg mellom 2 og 300 husholdninger."))
        return [int(pk) for pk in chosen]
