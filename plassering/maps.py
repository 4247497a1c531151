"""The ranking on a map: the household's top 10 numbered, the other municipalities that pass
the hard filters coloured, and the excluded ones hatched with their reason (also in the
table). Built on the register's map component (``portal.register.geo``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.formats import number as format_number
from portal.register.geo import CATEGORICAL, LegendEntry, MunicipalityMap, Region

TOP, RANKED, EXCLUDED = "top", "ranked", "excluded"


def ranking_map(result, *, title: str, top: int = 10) -> MunicipalityMap:
    regions = []
    for ranked in result.results:
        position = ranked.position or (result.results.index(ranked) + 1)
        regions.append(
            Region(
                ranked.number,
                _("nr. %(n)s, %(p)s poeng")
                % {"n": format_number(position), "p": format_number(ranked.percent)},
                TOP if position <= top else RANKED,
                href=ranked.url,
                marker=str(position) if position <= top else "",
                name=ranked.name,
            )
        )
    for exclusion in result.excluded:
        regions.append(
            Region(
                exclusion.number,
                _("utelatt"),
                EXCLUDED,
                excluded=exclusion.reason,
                name=exclusion.name,
            )
        )
    return MunicipalityMap(
        title=title,
        description=_(
            "De ti beste kommunene er nummerert, de andre som passer er lyse, og de utelatte er "
            "skravert med grunnen. Samme opplysninger står i tabellen."
        ),
        regions=regions,
        legend=[
            LegendEntry(TOP, _("Blant de ti beste (nummerert)"), CATEGORICAL[0]),
            LegendEntry(RANKED, _("Passer, lavere rangert"), CATEGORICAL[4]),
            LegendEntry(EXCLUDED, _("Utelatt (skravert, grunn i tabellen)"), CATEGORICAL[1]),
        ],
        value_label=_("Plass og poeng"),
        marker_label=_("plass i rangeringen"),
        excluded_label=_("Utelatt av et krav (skravert)"),
        id="kart-rangering",
        table_first=False,
    )
