"""The content of IMDi's preparatory document for a county meeting, and the same content as a
Word document (python-docx).

``build_content`` reads only submitted versions – the county submission's and each profile's
latest version – never a working copy, so a draft never reaches the meeting's participants. The
result is plain JSON with display text (Norwegian), frozen in a ``PreparatorySnapshot``: the
document says what the portal held when it was made, even if names or content change later."""

from __future__ import annotations

import io
from collections import defaultdict

from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.register.models import Indicator, Municipality, StatisticValue
from portal.register.statistics_display import SYMBOLS as REGISTER_SYMBOLS
from portal.register.statistics_display import combine

from .models import CountyShare, ReviewComment, Round, Submission
from .reading import latest_versions, present_sections, previous_version
from .sections import CodeNames, diff, display_value, get_section

FORMAT = 1
# Requested, decided and settled: IMDi's indicator codes and the column headings.
SETTLEMENT_INDICATORS = (
    ("anmodning", gettext_lazy("Anmodet")),
    ("vedtak", gettext_lazy("Vedtatt")),
    ("bosatt", gettext_lazy("Bosatt")),
)
RESULT_PREFIX = "intro_"  # introduction-programme results, where IMDi publishes them
STATISTICS_YEARS = 5
CHANGE_LABELS = {
    "added": gettext_lazy("Ny"),
    "removed": gettext_lazy("Fjernet"),
    "changed": gettext_lazy("Endret"),
}
SYMBOLS = {status: symbol for status, (symbol, _meaning) in REGISTER_SYMBOLS.items()}


MAP_ATTRIBUTION = "Kartgrunnlag: Kartverket (CC BY 4.0)"


def format_moment(moment) -> str:
    """«15. september 2026 kl. 09.00», in Norwegian time."""
    return dateformat.format(timezone.localtime(moment), r"j. F Y \k\l. H.i")


def format_day(day) -> str:
    return dateformat.format(day, "j. F Y")


def _number(value) -> str:
    """Display text for a decimal in plain data: Norwegian decimal comma."""
    return str(value).replace(".", ",")


# ---------------------------------------------------------------------------------------------
# profile highlights


def _shown(section, name: str, row: dict, names: CodeNames) -> str:
    value = row.get(name)
    shown = display_value(section, name, value, "profile", names)
    if isinstance(section.model_field(name, "profile"), models.DecimalField):
        shown = _number(shown)
    return shown


def _filled(value) -> bool:
    return value not in (None, "", [])


def _qualification(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "qualification")
    items = []
    for row in rows:
        label = row.get("name") or _("Uten navn")
        if _filled(row.get("kind")):
            label += f" ({_shown(section, 'kind', row, names)})"
        parts = []
        if _filled(row.get("result_share")):
            result = _("Resultat: %(share)s %% i arbeid eller utdanning") % {
                "share": _shown(section, "result_share", row, names)
            }
            details = []
            if _filled(row.get("result_cohort_year")):
                details.append(_("kull %(year)s") % {"year": row["result_cohort_year"]})
            if _filled(row.get("result_participants")):
                details.append(_("%(n)s deltakere") % {"n": row["result_participants"]})
            parts.append(result + (f" ({', '.join(details)})" if details else "") + ".")
        else:
            parts.append(_("Resultat ikke oppgitt."))
        if _filled(row.get("seats")):
            parts.append(_("%(n)s plasser.") % {"n": row["seats"]})
        if _filled(row.get("target_group")):
            parts.append(_("Målgruppe: %(text)s.") % {"text": row["target_group"]})
        items.append({"label": label, "text": " ".join(parts)})
    return items


def _upper_secondary(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "upper_secondary")
    items = []
    for row in rows:
        parts = [
            _shown(section, name, row, names)
            for name in ("level", "provider")
            if _filled(row.get(name))
        ]
        adapted = [
            str(section.field_label(name, "profile")).lower()
            for name in ("adapted_for_adults", "adapted_for_minority_language", "combination_class")
            if row.get(name) is True
        ]
        text = ", ".join(parts)
        if adapted:
            text += ("; " if text else "") + ", ".join(adapted)
        items.append({"label": _shown(section, "programme_area", row, names), "text": text})
    return items


def _cooperation(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "cooperation")
    items = []
    for row in rows:
        text = _("Med %(partners)s.") % {"partners": _shown(section, "partners", row, names)}
        if _filled(row.get("description")):
            text += f" {row['description']}"
        items.append({"label": row.get("area") or _("Samarbeid"), "text": text})
    return items


def _labour(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "labour")
    items = []
    for row in rows:
        parts = [
            f"{section.field_label(name, 'profile')}: {_shown(section, name, row, names)}"
            for name in ("competence_level", "scale", "sector")
            if _filled(row.get(name))
        ]
        text = "; ".join(parts) + ("." if parts else "")
        if _filled(row.get("description")):
            text += f" {row['description']}"
        items.append({"label": _shown(section, "occupation", row, names), "text": text.strip()})
    return items


def _capacity(values: dict, names: CodeNames) -> list[dict]:
    section = get_section("profile", "capacity")
    return [
        {
            "label": section.field_label(name, "profile"),
            "text": _shown(section, name, values, names),
        }
        for name in section.fields
        if _filled(values.get(name))
    ]


HIGHLIGHTS = (
    ("qualification", _qualification),
    ("upper_secondary", _upper_secondary),
    ("cooperation", _cooperation),
    ("labour", _labour),
    ("capacity", _capacity),
)


def highlights(data: dict, names: CodeNames) -> list[dict]:
    """What the meeting looks at in a profile version: offers with results, upper-secondary
    offers, cooperation, labour needs, and the municipality's capacity and wish."""
    shown = []
    for key, present in HIGHLIGHTS:
        section = get_section("profile", key)
        value = data.get(key)
        items = present(value or ([] if section.is_repeating else {}), names)
        shown.append({"key": key, "title": f"{section.number}. {section.title}", "items": items})
    return shown


# ---------------------------------------------------------------------------------------------
# statistics


def _cell(values: list[StatisticValue]) -> str:
    """A year's values under one or more codes (the parts of a later merger) as one cell, by the
    register's one suppression rule (``combine``: a withheld part withholds the whole)."""
    cell = combine(values, parts=False)
    if cell is None:
        return SYMBOLS[StatisticValue.Status.MISSING]
    if cell.status == StatisticValue.Status.VALUE:
        return _number(format(cell.value.normalize(), "f"))
    return SYMBOLS[cell.status]


def statistics(municipality: Municipality, before_year: int) -> dict | None:
    """Requested, decided and settled for the last years before the round, and the latest
    introduction-programme results, from IMDi's statistics (values under the municipality's
    older codes included). None when the portal has no statistics for it."""
    series = StatisticValue.objects.series_for(municipality)
    by_code = {s.indicator.code: s for s in series}
    rows: dict[int, list[list[StatisticValue]]] = defaultdict(
        lambda: [[] for _ in SETTLEMENT_INDICATORS]
    )
    for position, (code, _label) in enumerate(SETTLEMENT_INDICATORS):
        for value in by_code[code].values if code in by_code else ():
            if value.year < before_year:
                rows[value.year][position].append(value)
    years = sorted(rows)[-STATISTICS_YEARS:]
    results = []
    for code, s in by_code.items():
        values = [v for v in s.values if v.year < before_year]
        if not code.startswith(RESULT_PREFIX) or not values:
            continue
        latest = max(v.year for v in values)
        text = _cell([v for v in values if v.year == latest])
        if s.indicator.unit == Indicator.Unit.PERCENT and text not in SYMBOLS.values():
            text += " %"
        results.append({"label": s.indicator.name, "year": latest, "value": text})
    if not years and not results:
        return None
    return {
        "columns": [str(label) for _code, label in SETTLEMENT_INDICATORS],
        "rows": [{"year": year, "values": [_cell(v) for v in rows[year]]} for year in years],
        "results": results,
    }


# ---------------------------------------------------------------------------------------------
# comments and changes


def _comment_where(comment: ReviewComment, kind: str) -> str:
    try:
        section = get_section(kind, comment.section)
    except KeyError:
        return comment.section
    where = _("Del %(number)s: %(title)s") % {"number": section.number, "title": section.title}
    if comment.field and comment.field in section.fields:
        where += f" – {section.field_label(comment.field, kind)}"
    return where


def _comments(comments: list[ReviewComment], kind: str) -> list[dict]:
    return [
        {
            "where": _comment_where(comment, kind),
            "text": comment.text,
            "version": comment.version.number,
            "at": format_moment(comment.at),
        }
        for comment in comments
    ]


def _changes(municipality: Municipality, round_: Round, data: dict | None) -> dict:
    """What changed in the profile since the municipality's profile in an earlier round (the
    latest accepted, else latest submitted, version there, through code history)."""
    previous = previous_version(municipality=municipality, before_year=round_.year)
    if previous is None or data is None:
        # Without a submitted version there is nothing to compare: «ikke sendt inn», never
        # «Ingen endringer» (a draft's content never reaches the document).
        changes = {"since": previous.submission.round.year if previous else None, "sections": []}
        if data is None:
            changes["not_submitted"] = True
        return changes
    previous_submission = previous.submission
    sections = []
    for section_diff in diff(previous.data, data, "profile"):
        if not section_diff.changed:
            continue
        section = get_section("profile", section_diff.key)

        def changed(changes, section=section):
            shown = []
            for change in changes:
                decimal = isinstance(
                    section.model_field(change.field, "profile"), models.DecimalField
                )
                old, new = (_number(v) if decimal else v for v in (change.old, change.new))
                shown.append({"label": change.label, "old": old, "new": new})
            return shown

        sections.append(
            {
                "title": section_diff.title,
                "fields": changed(section_diff.fields),
                "rows": [
                    {
                        "label": row.label,
                        "change": str(CHANGE_LABELS[row.change]),
                        "fields": changed(row.fields),
                    }
                    for row in section_diff.rows
                ],
            }
        )
    return {
        "since": previous_submission.round.year,
        "against": _("%(name)s, versjon %(number)s (%(status)s)")
        % {
            "name": f"{previous_submission.municipality.number} "
            f"{previous_submission.municipality.name}",
            "number": previous.number,
            "status": previous_submission.get_status_display().lower(),
        },
        "sections": sections,
    }


# ---------------------------------------------------------------------------------------------
# the whole document


def _version_facts(version, submission: Submission) -> dict:
    return {
        "status": submission.get_status_display(),
        "version": version.number,
        "submitted_at": format_moment(version.created_at),
        "is_late": version.is_late,
    }


def build_content(round_: Round, meeting, county, *, now=None) -> dict:
    """The preparatory document for ``meeting`` (a county meeting of ``round_``) as plain data."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(round_, meeting, county, now or timezone.now())


def _build(round_: Round, meeting, county, now) -> dict:
    names = CodeNames()
    municipalities = list(
        Municipality.objects.in_structure(round_.structure).filter(county=county).order_by("number")
    )
    profile_versions = {
        version.submission.municipality_id: version
        for version in latest_versions(round_=round_, kind=Submission.Kind.PROFILE)
        .filter(submission__county=county)
        .select_related("submission")
    }
    county_version = (
        latest_versions(round_=round_, kind=Submission.Kind.COUNTY)
        .filter(submission__county=county)
        .select_related("submission")
        .first()
    )
    comments = defaultdict(list)
    for comment in (
        ReviewComment.objects.filter(submission__round=round_, submission__county=county)
        .select_related("version")
        .order_by("at", "id")
    ):
        comments[comment.submission_id].append(comment)
    share = CountyShare.objects.filter(round=round_, county=county).values_list("share", flat=True)
    share = share.first()

    recommendations: dict[str, dict] = {}
    county_part = None
    if county_version is not None:
        data = county_version.data or {}
        for row in data.get("recommendations") or []:
            recommendations[row.get("municipality")] = row
        described = {read.key: read for read in present_sections(kind="county", data=data)}
        county_part = {
            **_version_facts(county_version, county_version.submission),
            "plans": [
                {"label": item.label, "value": item.value, "url": item.url}
                for item in described["plans"].items
            ],
            "general_comment": (data.get("comment") or {}).get("general_comment") or "",
            "comments": _comments(comments[county_version.submission_id], "county"),
        }

    rows = []
    for municipality in municipalities:
        version = profile_versions.get(municipality.pk)
        recommended = recommendations.get(municipality.number)
        rows.append(
            {
                "number": municipality.number,
                "name": municipality.name,
                "profile": _version_facts(version, version.submission) if version else None,
                "recommended": {
                    "number": recommended.get("number"),
                    "justification": recommended.get("justification") or "",
                }
                if recommended
                else None,
                "highlights": highlights(version.data or {}, names) if version else [],
                "statistics": statistics(municipality, round_.year),
                "comments": _comments(comments[version.submission_id], "profile")
                if version
                else [],
                "changes": _changes(municipality, round_, version.data if version else None),
            }
        )

    numbers = [
        row.get("number") for row in recommendations.values() if row.get("number") is not None
    ]
    total = sum(numbers) if county_version is not None else None
    return {
        "format": FORMAT,
        "round": {"year": round_.year, "title": str(round_), "national_need": round_.national_need},
        "county": {"number": county.number, "name": county.name},
        "meeting": {
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
            "when": format_moment(meeting.starts_at) if meeting.starts_at else "",
            "location": meeting.location,
        },
        "generated_at": format_moment(now),
        "profiles_submitted": len(profile_versions),
        "county_submission": county_part,
        "sum": {
            "recommended": total,
            "municipalities": len(numbers),
            "share": share,
            "difference": total - share if total is not None and share is not None else None,
            "percent": round(100 * total / share) if total is not None and share else None,
        },
        "municipalities": rows,
    }


# ---------------------------------------------------------------------------------------------
# Word


def _signed(number) -> str:
    return f"+{number}" if number and number > 0 else str(number)


def summary_facts(content: dict) -> list[tuple[str, str]]:
    """The sum of recommendations against the county's share, as (label, value) lines."""
    total = content["sum"]
    facts = [
        (
            _("Sum anbefalt"),
            _("%(n)s (for %(m)s kommuner)")
            % {"n": total["recommended"], "m": total["municipalities"]}
            if total["recommended"] is not None
            else _("Fylkets innspill er ikke sendt inn"),
        ),
        (_("Fylkets andel av nasjonalt behov"), str(total["share"] or "–")),
    ]
    if total["difference"] is not None:
        facts.append((_("Differanse"), _signed(total["difference"])))
    if total["percent"] is not None:
        facts.append((_("Prosent av andelen"), f"{total['percent']} %"))
    national_need = content["round"]["national_need"]
    facts.append((_("Nasjonalt behov"), str(national_need) if national_need else "–"))
    return facts


def _table(document, header: list[str] | None, rows: list[list[str]]):
    table = document.add_table(rows=0, cols=len(header or rows[0]))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if text is None else str(text)
    return table


def _facts(document, facts: list[tuple[str, str]]):
    table = _table(document, None, [[label, value] for label, value in facts])
    for row in table.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    return table


def _municipality_docx(document, row: dict) -> None:
    document.add_heading(f"{row['number']} {row['name']}", level=1)
    profile = row["profile"]
    recommended = row["recommended"]
    facts = [
        (
            _("Kommuneprofil"),
            _("Versjon %(v)s, sendt inn %(at)s. Status: %(status)s.")
            % {"v": profile["version"], "status": profile["status"], "at": profile["submitted_at"]}
            if profile
            else _("Ikke sendt inn"),
        ),
        (
            _("Anbefalt antall"),
            str(recommended["number"])
            if recommended and recommended["number"] is not None
            else "–",
        ),
        (_("Begrunnelse"), (recommended or {}).get("justification") or "–"),
    ]
    _facts(document, facts)
    if profile:
        document.add_heading(_("Fra kommuneprofilen"), level=2)
        for part in row["highlights"]:
            document.add_heading(part["title"], level=3)
            if not part["items"]:
                document.add_paragraph(_("Ikke oppgitt."))
            for item in part["items"]:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{item['label']}: ").bold = True
                paragraph.add_run(item["text"])
    document.add_heading(_("Anmodet, vedtatt og bosatt"), level=2)
    stats = row["statistics"]
    if stats is None:
        document.add_paragraph(_("Ingen statistikk for kommunen i portalen."))
    else:
        if stats["rows"]:
            _table(
                document,
                [_("År"), *stats["columns"]],
                [[str(r["year"]), *r["values"]] for r in stats["rows"]],
            )
            document.add_paragraph(
                _(
                    "«..» betyr at tallet mangler, «–» at det ikke er aktuelt, «:» at det er skjermet."
                )
            )
        for result in stats["results"]:
            document.add_paragraph(f"{result['label']} ({result['year']}): {result['value']}")
    document.add_heading(_("Kommentarer fra IMDi"), level=2)
    if not row["comments"]:
        document.add_paragraph(_("Ingen kommentarer."))
    for comment in row["comments"]:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{comment['where']} (versjon {comment['version']}): ").bold = True
        paragraph.add_run(comment["text"])
    # ``profile`` is None without a submitted version, also in snapshots made before
    # ``not_submitted`` was stored.
    _changes_docx(document, row["changes"], submitted=row["profile"] is not None)


def _changes_docx(document, changes: dict, *, submitted: bool = True) -> None:
    if changes.get("not_submitted") or not submitted:
        document.add_heading(_("Endringer siden i fjor"), level=2)
        document.add_paragraph(_("Kommuneprofilen er ikke sendt inn."))
        return
    if changes["since"] is None:
        document.add_heading(_("Endringer siden i fjor"), level=2)
        document.add_paragraph(_("Ingen profil fra en tidligere runde å sammenligne med."))
        return
    document.add_heading(_("Endringer siden %(year)s") % {"year": changes["since"]}, level=2)
    if changes.get("against"):
        document.add_paragraph(_("Sammenlignet med %(v)s.") % {"v": changes["against"]})
    if not changes["sections"]:
        document.add_paragraph(_("Ingen endringer."))
        return
    for section in changes["sections"]:
        document.add_heading(section["title"], level=3)
        lines = [[f["label"], f["old"], f["new"]] for f in section["fields"]]
        for row in section["rows"]:
            lines.append([f"{row['change']}: {row['label']}", "", ""])
            lines += [[f"  {f['label']}", f["old"], f["new"]] for f in row["fields"]]
        _table(document, [_("Felt"), _("Før"), _("Nå")], lines)


def _map_docx(document, content: dict) -> None:
    """The county map of recommended numbers (from the same content), as a picture."""
    from docx.shared import Cm

    from .maps import preparatory_map, preparatory_map_png

    if not content.get("municipalities"):
        return
    document.add_picture(io.BytesIO(preparatory_map_png(content)), width=Cm(15))
    document.add_paragraph(
        _("Kart: %(title)s. %(attribution)s.")
        % {"title": preparatory_map(content).title, "attribution": MAP_ATTRIBUTION}
    )


def _a4_with_page_numbers(document) -> None:
    """A4 pages with 2.5 cm margins and «Side N» centred in the footer (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(_("Side") + " ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)


def document_docx(content: dict, *, version: int) -> bytes:
    """The preparatory document as a Word file with the same content as the page."""
    from docx import Document

    with translation.override(settings.LANGUAGE_CODE):
        document = Document()
        title = _("Saksforberedende dokument – %(county)s, bosetting %(year)s") % {
            "county": content["county"]["name"],
            "year": content["round"]["year"],
        }
        document.core_properties.title = title
        document.core_properties.author = "IMDi"
        document.core_properties.language = "nb-NO"
        _a4_with_page_numbers(document)
        document.add_heading(title, level=0)
        meeting = content["meeting"]
        document.add_paragraph(
            _("Til %(meeting)s, %(when)s%(where)s. Versjon %(v)s, laget %(at)s.")
            % {
                "meeting": meeting["title"],
                "when": meeting["when"],
                "where": f", {meeting['location']}" if meeting["location"] else "",
                "v": version,
                "at": content["generated_at"],
            }
        )
        document.add_paragraph(
            _(
                "Bygger på siste innsendte versjon av fylkets innspill og av hver kommuneprofil. "
                "Utkast er ikke med."
            )
        )
        document.add_heading(_("Fylkets planer og innspill"), level=1)
        county = content["county_submission"]
        if county is None:
            document.add_paragraph(_("Fylkets innspill er ikke sendt inn."))
        else:
            _facts(
                document,
                [
                    (
                        _("Fylkets innspill"),
                        _("Versjon %(v)s, sendt inn %(at)s. Status: %(status)s.")
                        % {
                            "v": county["version"],
                            "status": county["status"],
                            "at": county["submitted_at"],
                        },
                    ),
                    *[(item["label"], item["value"]) for item in county["plans"]],
                    (_("Generell kommentar"), county["general_comment"] or "–"),
                ],
            )
            for comment in county["comments"]:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{_('Kommentar fra IMDi')}, {comment['where']}: ").bold = True
                paragraph.add_run(comment["text"])
        document.add_heading(_("Anbefalt antall mot fylkets andel"), level=1)
        _facts(document, summary_facts(content))
        _table(
            document,
            [_("Kommune"), _("Kommuneprofil"), _("Anbefalt antall")],
            [
                [
                    f"{row['number']} {row['name']}",
                    row["profile"]["status"] if row["profile"] else _("Ikke sendt inn"),
                    str(row["recommended"]["number"])
                    if row["recommended"] and row["recommended"]["number"] is not None
                    else "–",
                ]
                for row in content["municipalities"]
            ],
        )
        _map_docx(document, content)
        for row in content["municipalities"]:
            _municipality_docx(document, row)
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
