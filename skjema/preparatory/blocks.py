"""The preparatory document laid out once, as a list of blocks (headings, paragraphs, facts,
tables, bullets, the map), from a snapshot's stored content. ``word`` and ``pdf`` draw the same
blocks, so the Word file and the PDF say exactly the same, in the same order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import summary as summary_module

MAP_ATTRIBUTION = "Kartgrunnlag: Kartverket (CC BY 4.0)"
SYMBOLS_NOTE = gettext_lazy(
    "«..» betyr at tallet mangler, «–» at det ikke er aktuelt, «:» at det er skjermet."
)


@dataclass
class Heading:
    text: str
    level: int  # 0: the title


@dataclass
class Paragraph:
    text: str
    strong: bool = False  # a warning the reader must not miss


@dataclass
class Facts:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    flagged: list[bool] = field(default_factory=list)  # rows with a deviation, shown marked
    wide: bool = False  # many columns: a smaller font


@dataclass
class Bullets:
    items: list[tuple[str, str]]  # (bold lead, text)


@dataclass
class Picture:
    png: bytes
    caption: str


def content_language(content: dict) -> str:
    """The language a stored document was written in (documents made before it was kept: nb)."""
    return content.get("language") or settings.LANGUAGE_CODE


def title(content: dict) -> str:
    return _("Saksforberedende dokument – %(county)s, bosetting %(year)s") % {
        "county": content["county"]["name"],
        "year": content["round"]["year"],
    }


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


def _summary(content: dict) -> list:
    """The summary table with its deviations (snapshots made before it existed have none)."""
    table = content.get("summary")
    if table is None:
        return []
    blocks = [
        Heading(_("Oversikt per kommune"), 1),
        Table(
            summary_module.header(table),
            [summary_module.cells(row) for row in table["rows"]],
            flagged=[bool(row["deviations"]) for row in table["rows"]],
            wide=True,
        ),
        Paragraph(str(SYMBOLS_NOTE)),
        Heading(_("Avvik"), 2),
        Paragraph(table["rules"]),
    ]
    if table["deviations"]:
        blocks.append(
            Bullets(
                [
                    (f"{d['number']} {d['name']} – {d['label']}: ", d["text"])
                    for d in table["deviations"]
                ]
            )
        )
    else:
        blocks.append(Paragraph(_("Ingen avvik.")))
    return blocks


def _county(content: dict) -> list:
    blocks = [Heading(_("Fylkets planer og innspill"), 1)]
    county = content["county_submission"]
    if county is None:
        return [*blocks, Paragraph(_("Fylkets innspill er ikke sendt inn."))]
    blocks.append(
        Facts(
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
            ]
        )
    )
    if county["comments"]:
        blocks.append(
            Bullets(
                [
                    (f"{_('Kommentar fra IMDi')}, {c['where']}: ", c["text"])
                    for c in county["comments"]
                ]
            )
        )
    return blocks


def _recommended(row: dict) -> str:
    recommended = row["recommended"]
    return str(recommended["number"]) if recommended and recommended["number"] is not None else "–"


def _municipality(row: dict) -> list:
    profile = row["profile"]
    blocks = [
        Heading(f"{row['number']} {row['name']}", 1),
        Facts(
            [
                (
                    _("Kommuneprofil"),
                    _("Versjon %(v)s, sendt inn %(at)s. Status: %(status)s.")
                    % {
                        "v": profile["version"],
                        "status": profile["status"],
                        "at": profile["submitted_at"],
                    }
                    if profile
                    else _("Ikke sendt inn"),
                ),
                (_("Anbefalt antall"), _recommended(row)),
                (_("Begrunnelse"), (row["recommended"] or {}).get("justification") or "–"),
            ]
        ),
    ]
    if profile:
        blocks.append(Heading(_("Fra kommuneprofilen"), 2))
        for part in row["highlights"]:
            blocks.append(Heading(part["title"], 3))
            if part["items"]:
                blocks.append(Bullets([(f"{i['label']}: ", i["text"]) for i in part["items"]]))
            else:
                blocks.append(Paragraph(_("Ikke oppgitt.")))
    blocks.append(Heading(_("Anmodet, vedtatt og bosatt"), 2))
    stats = row["statistics"]
    if stats is None:
        blocks.append(Paragraph(_("Ingen statistikk for kommunen i portalen.")))
    else:
        if stats["rows"]:
            blocks.append(
                Table(
                    [_("År"), *stats["columns"]],
                    [[str(r["year"]), *r["values"]] for r in stats["rows"]],
                )
            )
            blocks.append(Paragraph(str(SYMBOLS_NOTE)))
        for result in stats["results"]:
            blocks.append(Paragraph(f"{result['label']} ({result['year']}): {result['value']}"))
    blocks.append(Heading(_("Kommentarer fra IMDi"), 2))
    if row["comments"]:
        blocks.append(
            Bullets(
                [
                    (
                        _("%(where)s (versjon %(v)s): ") % {"where": c["where"], "v": c["version"]},
                        c["text"],
                    )
                    for c in row["comments"]
                ]
            )
        )
    else:
        blocks.append(Paragraph(_("Ingen kommentarer.")))
    # ``profile`` is None without a submitted version, also in snapshots made before
    # ``not_submitted`` was stored.
    return blocks + _changes(row["changes"], submitted=profile is not None)


def _changes(changes: dict, *, submitted: bool) -> list:
    if changes.get("not_submitted") or not submitted:
        return [
            Heading(_("Endringer siden i fjor"), 2),
            Paragraph(_("Kommuneprofilen er ikke sendt inn.")),
        ]
    if changes["since"] is None:
        return [
            Heading(_("Endringer siden i fjor"), 2),
            Paragraph(_("Ingen profil fra en tidligere runde å sammenligne med.")),
        ]
    blocks = [Heading(_("Endringer siden %(year)s") % {"year": changes["since"]}, 2)]
    if changes.get("against"):
        blocks.append(Paragraph(_("Sammenlignet med %(v)s.") % {"v": changes["against"]}))
    if not changes["sections"]:
        return [*blocks, Paragraph(_("Ingen endringer."))]
    for section in changes["sections"]:
        blocks.append(Heading(section["title"], 3))
        lines = [[f["label"], f["old"], f["new"]] for f in section["fields"]]
        for row in section["rows"]:
            lines.append([f"{row['change']}: {row['label']}", "", ""])
            lines += [[f"  {f['label']}", f["old"], f["new"]] for f in row["fields"]]
        blocks.append(Table([_("Felt"), _("Før"), _("Nå")], lines))
    return blocks


def map_blocks(content: dict) -> list:
    """The county map of recommended numbers (from the same content), as a picture."""
    from ..maps import preparatory_map, preparatory_map_png

    if not content.get("municipalities"):
        return []
    caption = _("Kart: %(title)s. %(attribution)s.") % {
        "title": preparatory_map(content).title,
        "attribution": MAP_ATTRIBUTION,
    }
    return [Picture(preparatory_map_png(content), caption)]


def layout(content: dict, *, version: int) -> list:
    """Every block of the document, in order."""
    meeting = content["meeting"]
    blocks = [
        Heading(title(content), 0),
        Paragraph(
            _("Til %(meeting)s, %(when)s%(where)s. Versjon %(v)s, laget %(at)s.")
            % {
                "meeting": meeting["title"],
                "when": meeting["when"],
                "where": f", {meeting['location']}" if meeting["location"] else "",
                "v": version,
                "at": content["generated_at"],
            }
        ),
        Paragraph(
            _(
                "Tallene og innholdet er lest %(at)s og bygger på siste innsendte versjon av "
                "fylkets innspill og av hver kommuneprofil. Utkast er ikke med: de står som "
                "«ikke sendt inn»."
            )
            % {"at": content["generated_at"]}
        ),
        *_summary(content),
        *_county(content),
        Heading(_("Anbefalt antall mot fylkets andel"), 1),
        Facts(summary_facts(content)),
        Table(
            [_("Kommune"), _("Kommuneprofil"), _("Anbefalt antall")],
            [
                [
                    f"{row['number']} {row['name']}",
                    row["profile"]["status"] if row["profile"] else _("Ikke sendt inn"),
                    _recommended(row),
                ]
                for row in content["municipalities"]
            ],
        ),
        *map_blocks(content),
    ]
    for row in content["municipalities"]:
        blocks += _municipality(row)
    return blocks
