"""The preview of an upload: every row compared with the working copy (created / changed /
unchanged / deleted / refused), per municipality. Writes nothing.

Each municipality's rows stand or fall together: a municipality with a bad row, a change to a
profile that is sent in, or a part changed in the portal since the workbook was downloaded is
refused as a whole (with the reason per row), and the other municipalities can still be
imported. Problems with the file itself (an unknown sheet, a missing column) refuse the file:
then nothing in it can be trusted to mean what the county meant."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PendingImport, Round
from ..sections import CodeNames, Section, diff_section, display_value
from .columns import (
    GUIDE_SHEET,
    SHEET_NAMES,
    header_key,
    is_codes_sheet,
    is_guide_sheet,
    profile_sections,
    section_for_sheet,
    sheet_name,
)
from .unpack import open_workbook
from .validation import Context, ParsedRow, Problem, load_context, parse_sheet, row_anchor
from .workbook import GENERATED_LABEL, VERSIONS_SHEET, read_exported_edits

CREATED, CHANGED, UNCHANGED, DELETED, INVALID = (
    "created",
    "changed",
    "unchanged",
    "deleted",
    "invalid",
)


def state_label(state: str) -> str:
    return {
        CREATED: _("Ny rad"),
        CHANGED: _("Endret"),
        UNCHANGED: _("Uendret"),
        DELETED: _("Slettes"),
        INVALID: _("Feil"),
    }[state]


def _generated_at(workbook) -> datetime.datetime | None:
    """When the workbook was downloaded (written on the guide sheet), if it is still there."""
    guide = next((title for title in workbook.sheetnames if is_guide_sheet(title)), None)
    if guide is None:
        return None
    labels = {header_key(GENERATED_LABEL), header_key("Generert"), header_key("Laga")}
    for cells in workbook[guide].iter_rows(max_row=10, max_col=2, values_only=True):
        if cells and header_key(cells[0]) in labels and isinstance(cells[1], str):
            try:
                moment = datetime.datetime.fromisoformat(cells[1])
            except ValueError:
                return None
            return moment if timezone.is_aware(moment) else None
    return None


def _diff_dict(diff) -> dict:
    return {
        "key": diff.key,
        "title": diff.title,
        "fields": [vars(change) for change in diff.fields],
        "rows": [
            {
                "uid": row.uid,
                "label": row.label,
                "change": row.change,
                "fields": [vars(change) for change in row.fields],
            }
            for row in diff.rows
        ],
    }


def _row_label(section: Section, data: dict | None, names) -> str:
    if not data or not section.row_label_field:
        return ""
    value = data.get(section.row_label_field)
    if value in (None, "", []):
        return ""
    return display_value(section, section.row_label_field, value, "profile", names)


def _who(edit) -> str:
    return (edit.by.get_full_name() or edit.by.username) if edit.by else _("noen")


class _SectionPreview:
    """One section of one profile: the rows as the workbook has them, compared with what is
    stored, and what confirming would save."""

    def __init__(self, section, profile, parsed_rows, context, names, generated_at, exported):
        self.section = section
        self.profile = profile
        self.number = profile.municipality.number
        self.sheet = sheet_name(section)
        self.rows = [row for row in parsed_rows if not row.marker]
        self.parsed_rows = parsed_rows
        self.problems: list[Problem] = [p for row in self.rows for p in row.problems]
        self.entries: list[list] = []
        self.warning = ""
        old = context.current[self.number][section.key]
        self.new = self._compare(old, names)
        self.latest = context.latest_edits.get((profile.pk, section.key))
        self.base_edit_id = self.latest.pk if self.latest is not None else None
        if self.changed:
            self._locked()
            self._since_export(exported, generated_at)

    def _compare(self, old, names):
        section = self.section
        if section.is_repeating:
            old_by_uid = {row["uid"]: row for row in old}
            # Rows with errors stand in for what is stored, so the diff shows only valid changes.
            new = []
            for row in self.rows:
                if row.data is not None:
                    new.append(row.data)
                elif row.uid in old_by_uid:
                    new.append(old_by_uid[row.uid])
            self.diff = diff_section(section, old, new, "profile", names)
            changed_uids = {r.uid for r in self.diff.rows if r.change == "changed"}
            referenced = {row.uid for row in self.rows}
            for row in self.rows:
                if row.problems:
                    state = INVALID
                elif row.uid not in old_by_uid:
                    state = CREATED
                elif row.uid in changed_uids:
                    state = CHANGED
                else:
                    state = UNCHANGED
                label = _row_label(section, row.data or old_by_uid.get(row.uid), names)
                self.entries.append([row.sheet_row, label, state, list(row.problems)])
            for uid, row in old_by_uid.items():
                if uid not in referenced:
                    self.entries.append([None, _row_label(section, row, names), DELETED, []])
            return new
        first = self.rows[0]
        new = first.data if first.data is not None else old
        self.diff = diff_section(section, old, new, "profile", names)
        for row in self.rows:  # more than one only when the municipality is doubled
            state = INVALID if row.problems else (CHANGED if self.diff.changed else UNCHANGED)
            self.entries.append([row.sheet_row, "", state, list(row.problems)])
        return new

    @property
    def changed(self) -> bool:
        return self.diff.changed

    def anchor(self, index: int, sheet_row) -> str:
        if sheet_row:
            return row_anchor(self.sheet, sheet_row)
        return f"slettet-{self.number}-{self.section.key}-{index}"

    def _refuse_changes(self, message: str) -> None:
        """The message on every row this section would change (or on the section when the
        changed rows are not in the sheet)."""
        marked = False
        for index, entry in enumerate(self.entries):
            sheet_row, _label, state, row_problems = entry
            if state in {CREATED, CHANGED, DELETED}:
                target = "" if sheet_row else self.anchor(index, sheet_row)
                problem = Problem(self.sheet, message, sheet_row, "", target)
                entry[2] = INVALID
                row_problems.append(problem)
                self.problems.append(problem)
                marked = True
        if not marked:
            self.problems.append(Problem(self.sheet, message))

    def _locked(self) -> None:
        if self.profile.is_editable:
            return
        status = self.profile.get_status_display().lower()
        self._refuse_changes(
            _(
                "Profilen for %(municipality)s er %(status)s og kan ikke endres nå. Fjern "
                "endringene for denne kommunen, eller be IMDi returnere profilen."
            )
            % {"municipality": f"{self.number} {self.profile.municipality.name}", "status": status}
        )

    def _since_export(self, exported, generated_at) -> None:
        """A part changed in the portal after the download: the workbook does not have that
        change, so importing it would undo it. Refused when the workbook says which edit it
        was made from; a workbook without that (made before it was recorded) gets a warning."""
        edit = self.latest
        if edit is None or edit.source == "carry_forward":
            return
        key = (self.number, self.section.key)
        if exported is not None and (key in exported or generated_at is not None):
            # A municipality missing from the versions (a row whose number was fixed in the
            # workbook of refused rows) is compared by time instead.
            base = exported.get(key, edit.pk if edit.at <= generated_at else None)
            self.base_edit_id = base
            if base == edit.pk:
                return
            self._refuse_changes(
                _(
                    "Delen ble endret i portalen av %(who)s %(at)s, etter at arbeidsboken ble "
                    "lastet ned. Ingenting er importert for kommunen, så endringen går ikke tapt. "
                    "Last ned en ny arbeidsbok og gjør endringene i den."
                )
                % {"who": _who(edit), "at": f"{timezone.localtime(edit.at):%d.%m.%Y kl. %H.%M}"}
            )
            return
        if generated_at is not None and edit.at > generated_at:
            self.warning = _(
                "Denne delen ble endret i portalen av %(who)s %(at)s, etter at arbeidsboken ble "
                "lastet ned. Se over endringene under, så du ikke overskriver noe du vil beholde."
            ) % {"who": _who(edit), "at": f"{timezone.localtime(edit.at):%d.%m.%Y kl. %H.%M}"}

    def report(self) -> dict:
        return {
            "key": self.section.key,
            "title": str(self.section.title),
            "sheet": self.sheet,
            "changed": self.changed,
            "diff": _diff_dict(self.diff),
            "warning": self.warning,
            "rows": [
                {
                    "sheet_row": sheet_row,
                    "label": label,
                    "state": state,
                    "state_label": state_label(state),
                    "problems": [p.text for p in row_problems],
                    "anchor": self.anchor(index, sheet_row),
                }
                for index, (sheet_row, label, state, row_problems) in enumerate(self.entries)
            ],
        }

    def change(self) -> dict | None:
        if not self.changed:
            return None
        return {
            "submission": self.profile.pk,
            "municipality": self.number,
            "section": self.section.key,
            "data": self.new,
            "base_edit_id": self.base_edit_id,
        }


def preview_workbook(file, round_: Round, county, user) -> tuple[dict, list[dict], bool]:
    """Parse the workbook and compare it with the working copies. Writes nothing.

    Returns (report, changes, has_errors): the report is what the preview page shows, the
    changes are what confirming will save (only for the municipalities that are not refused),
    and has_errors says that the file itself is refused (nothing in it can be imported)."""
    workbook = open_workbook(file)
    try:
        return _preview(workbook, round_, county, user)
    finally:
        workbook.close()


def _read_sheets(workbook, context, problems):
    sheets = {}
    for title in workbook.sheetnames:
        if is_guide_sheet(title) or title == VERSIONS_SHEET or is_codes_sheet(title):
            continue
        section = section_for_sheet(title)
        if section is None:
            allowed = ", ".join(f"«{name}»" for name in SHEET_NAMES.values())
            problems.append(
                Problem(
                    title,
                    _("Arket er ukjent. Arbeidsboken kan ha disse arkene: %(allowed)s.")
                    % {"allowed": allowed},
                )
            )
            continue
        if section.key in sheets:
            problems.append(Problem(title, _("Arket finnes mer enn én gang.")))
            continue
        parsed = parse_sheet(workbook[title], section, context, problems)
        if parsed is not None:
            sheets[section.key] = parsed
    return sheets


def _refused_row(sheet, row: ParsedRow, reasons: list[str]) -> dict:
    return {"sheet_row": row.sheet_row, "raw": row.raw, "reasons": reasons}


def _reason(problem: Problem) -> str:
    return f"{problem.column}: {problem.message}" if problem.column else problem.message


def _preview(workbook, round_, county, user):
    context = load_context(round_, county, user)
    names = CodeNames()
    file_problems: list[Problem] = []
    sheets = _read_sheets(workbook, context, file_problems)
    generated_at = _generated_at(workbook)
    exported = read_exported_edits(workbook)
    by_municipality: dict[str, dict[str, list[ParsedRow]]] = {}
    orphans: list[tuple[str, ParsedRow]] = []
    row_problems: list[Problem] = []
    for key, parsed in sheets.items():
        for row in parsed.rows:
            if row.municipality is None:
                orphans.append((key, row))
                row_problems += row.problems
            else:
                by_municipality.setdefault(row.municipality, {}).setdefault(key, []).append(row)

    municipalities, changes = [], []
    refused_rows: dict[str, list[dict]] = {key: [] for key in sheets}
    base_edits: dict[str, dict[str, int | None]] = {}
    for number, profile in context.profiles.items():
        previews = []
        for section in profile_sections():
            rows = by_municipality.get(number, {}).get(section.key, [])
            if not rows:
                continue  # not in the sheet: that part of the municipality is left as it is
            previews.append(
                _SectionPreview(section, profile, rows, context, names, generated_at, exported)
            )
        if not previews:
            continue
        problems = [p for preview in previews for p in preview.problems]
        refused = bool(problems)
        row_problems += problems
        if refused:
            _collect_refused(previews, refused_rows, number, profile)
            base_edits[number] = {p.section.key: p.base_edit_id for p in previews}
        else:
            changes += [c for c in (p.change() for p in previews) if c]
        sections = [preview.report() for preview in previews]
        municipalities.append(
            {
                "number": number,
                "name": profile.municipality.name,
                "status": profile.status,
                "status_label": profile.get_status_display(),
                "editable": profile.is_editable,
                "changed": any(s["changed"] for s in sections),
                "invalid": refused,
                "refused": refused,
                "reasons": [p.text for p in problems],
                "sections": sections,
            }
        )
    for key, row in orphans:
        refused_rows[key].append(_refused_row(key, row, [_reason(p) for p in row.problems]))
    report = _report(round_, county, sheets, municipalities, orphans, file_problems, row_problems)
    report["refused_rows"] = {
        "headers": {key: parsed.headers for key, parsed in sheets.items()},
        "rows": {key: rows for key, rows in refused_rows.items() if rows},
        "base_edits": base_edits,
        "generated_at": generated_at.isoformat() if generated_at else "",
    }
    has_errors = bool(file_problems)
    if not sheets and not file_problems:
        message = _("Arbeidsboken har ingen av arkene som kan lastes opp.")
        text = _("Filen: %(message)s") % {"message": message}
        report["problems"] = [{"text": text, "anchor": "feil-i-arkene"}]
        report["sheet_problems"] = [text]
        has_errors = True
    if has_errors:
        changes = []
    return report, changes, has_errors


def _collect_refused(previews, refused_rows, number, profile) -> None:
    """Every row of a refused municipality goes into the workbook of refused rows, so that
    importing it again gives the municipality all its rows (a row left out would be deleted)."""
    everywhere = [p for preview in previews for p in preview.problems if p.row is None]
    for preview in previews:
        own = [_reason(p) for p in everywhere]
        for row in preview.parsed_rows:
            reasons = own + [_reason(p) for p in row.problems]
            if not row.problems and not row.marker:
                entry = next(e for e in preview.entries if e[0] == row.sheet_row)
                reasons += [_reason(p) for p in entry[3]]
            if not reasons and not row.marker:
                reasons = [
                    _(
                        "Raden er i orden, men ble ikke importert fordi andre rader for "
                        "%(municipality)s har feil."
                    )
                    % {"municipality": f"{number} {profile.municipality.name}"}
                ]
            refused_rows[preview.section.key].append(
                _refused_row(preview.section.key, row, reasons)
            )


def _report(round_, county, sheets, municipalities, orphans, file_problems, row_problems):
    counts = dict.fromkeys((CREATED, CHANGED, UNCHANGED, DELETED, INVALID), 0)
    for municipality in municipalities:
        for section in municipality["sections"]:
            for row in section["rows"]:
                counts[row["state"]] += 1
    counts[INVALID] += len(orphans)
    problems = sorted(file_problems + row_problems, key=lambda p: (p.sheet, p.row or 0))
    return {
        "round": round_.year,
        "county": county.number,
        "sheets": [
            {"key": s.key, "sheet": sheet_name(s), "present": s.key in sheets}
            for s in profile_sections()
        ],
        "problems": [{"text": p.text, "anchor": p.anchor} for p in problems],
        "file_problems": [p.text for p in file_problems],
        "municipalities": municipalities,
        "refused": [m["number"] for m in municipalities if m["refused"]],
        "orphans": [
            {
                "sheet": str(sheets[key].title),
                "sheet_row": row.sheet_row,
                "problems": [p.text for p in row.problems],
                "anchor": row.problems[0].anchor if row.problems else "",
            }
            for key, row in orphans
        ],
        "sheet_problems": [p.text for p in file_problems if p.anchor == "feil-i-arkene"],
        "counts": counts,
    }


def create_pending_import(file, round_: Round, county, user, *, filename: str = ""):
    """Preview an upload and keep it server-side until the user confirms (or it expires)."""
    from portal.accounts import rules

    from ..exceptions import NotAllowed

    if not rules.is_county_officer(user, county):
        raise NotAllowed(_("Du kan bare laste opp regneark for ditt eget fylke."))
    report, changes, has_errors = preview_workbook(file, round_, county, user)
    PendingImport.objects.expired().delete()
    return PendingImport.objects.create(
        user=user,
        round=round_,
        county=county,
        filename=filename[:255],
        changes=changes,
        report=report,
        has_errors=has_errors,
    )


__all__ = [
    "CHANGED",
    "CREATED",
    "DELETED",
    "GUIDE_SHEET",
    "INVALID",
    "UNCHANGED",
    "Context",
    "create_pending_import",
    "preview_workbook",
    "state_label",
]
