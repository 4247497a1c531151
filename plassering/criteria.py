"""The criteria of the ranking, each scored 0–1 for one household and one municipality, with
a reason sentence and its dated sources. Pure functions over plain data (no queries).

Missing data scores ``NEUTRAL`` here, flagged; ``ranking.fill_missing`` then gives it the mean
of the municipalities that have the data."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import capfirst

from .models import CapacitySource
from .ranking_base import (
    NEUTRAL,
    CriterionResult,
    HouseholdSpec,
    Lookups,
    _,
    _label,
    _translations,
    ngettext,
)
from .selectors import CapacityState
from .sources import LabourNeed, Source

# Match depth of two STYRK-08 codes (length of the common prefix): unit group > minor group >
# sub-major group > major group.
DEPTH_SCORE = {4: 1.0, 3: 0.75, 2: 0.5, 1: 0.25}
DEPTH_LABEL = {4: "yrke", 3: "yrkesgruppe", 2: "hovedgruppe", 1: "yrkesfelt"}
SCALE_FACTOR = {"high": 1.0, "medium": 0.8, "low": 0.6}
SCALE_LABEL = {"high": "stort", "medium": "middels", "low": "lite"}
PARTNER_DISCOUNT = 0.5
# Results are shrunk toward a prior by participant count: (n·share + K·prior) / (n + K).
RESULT_PRIOR = 55.0  # per cent in work or education, about the national level after the programme
RESULT_PRIOR_WEIGHT = 10
FEW_PARTICIPANTS = 5
CONNECTION_PARTNER = 0.6
CONNECTION_NEIGHBOUR = 0.45  # a neighbour (shared border or < 2 km over water): the labour region
CONNECTION_COUNTY = 0.3


def _depth(a: str, b: str) -> int:
    depth = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        depth += 1
    return depth


# Match depth of two codes, capped at the shorter code (the pairs are few: codes × needs).
_DEPTHS: dict[tuple[str, str], int] = {}


def _match_depth(code: str, need: str) -> int:
    key = (code, need)
    found = _DEPTHS.get(key)
    if found is None:
        if len(_DEPTHS) > 100_000:
            _DEPTHS.clear()
        found = _DEPTHS[key] = min(_depth(code, need), len(code), len(need))
    return found


def _missing(key: str, weight: float, what: str) -> CriterionResult:
    return CriterionResult(
        key,
        weight,
        NEUTRAL,
        _("Mangler data: %(what)s.") % {"what": what},
        missing_data=True,
    )


def _not_applicable(key: str, weight: float, why: str) -> CriterionResult:
    """The same for every municipality of a ranking, so made once per ranking: nothing changes
    a criterion that does not apply (``fill_missing`` only touches missing data)."""
    cache = _translations.get()
    if cache is None:
        return CriterionResult(key, weight, NEUTRAL, why, applies=False)
    memo = ("not_applicable", key, weight, why)
    found = cache.get(memo)
    if found is None:
        found = cache[memo] = CriterionResult(key, weight, NEUTRAL, why, applies=False)
    return found


def score_work(household, facts, weight, names: Lookups) -> CriterionResult:
    workers = [a for a in household.adults if a.occupations]
    if not workers:
        return _not_applicable("work", weight, _("Ingen voksne med oppgitt arbeidserfaring."))
    profile = facts.profile
    needs: list[LabourNeed] = list(profile.labour_needs if profile else []) + facts.partner_needs
    if not needs:
        return _missing("work", weight, _("ingen behov for arbeidskraft oppgitt"))
    scores, parts, sources = [], [], []
    for index, adult in enumerate(workers):
        best, best_need, best_code, best_depth = 0.0, None, "", 0
        for code in adult.occupations:
            for need in needs:
                depth = _match_depth(code, need.occupation)
                if depth == 0:
                    continue
                value = DEPTH_SCORE[min(depth, 4)] * SCALE_FACTOR.get(need.scale, 0.8)
                if need.partner:
                    value *= PARTNER_DISCOUNT
                key = (value, depth, -len(need.occupation))
                if best_need is None or key > (best, best_depth, -len(best_need.occupation)):
                    best, best_need, best_code, best_depth = value, need, code, depth
        scores.append(best)
        who = _("voksen %(n)s") % {"n": index + 1}
        if best_need is None:
            parts.append(
                _("%(who)s (%(codes)s): ingen treff i behovene")
                % {"who": who, "codes": ", ".join(adult.occupations)}
            )
            continue
        where = (
            _("hos samarbeidskommunen %(p)s")
            % {"p": names.municipalities.get(best_need.partner, best_need.partner)}
            if best_need.partner
            else ""
        )
        parts.append(
            _(
                "%(who)s: %(code)s treffer behovet for %(need)s på %(level)s (%(scale)s behov%(where)s)"
            )
            % {
                "who": who,
                "code": names.occupation(best_code),
                "need": names.occupation(best_need.occupation),
                "level": DEPTH_LABEL[min(best_depth, 4)],
                "scale": SCALE_LABEL.get(best_need.scale, "ukjent"),
                "where": f" {where}" if where else "",
            }
        )
        source_facts = facts
        if best_need.partner:
            sources.append(
                Source(
                    "profile",
                    _("Behov for arbeidskraft, %(p)s, rad %(r)s")
                    % {
                        "p": names.municipalities.get(best_need.partner, best_need.partner),
                        "r": best_need.row + 1,
                    },
                    section="labour",
                    row=best_need.row,
                    field="occupation",
                    round=profile.round_year if profile else None,
                    url=f"/kommuner/{best_need.partner}/#profil-labour",
                )
            )
        else:
            sources.append(
                source_facts.source(
                    "labour",
                    _("Behov for arbeidskraft, rad %(r)s") % {"r": best_need.row + 1},
                    best_need.row,
                    "occupation",
                )
            )
    score = sum(scores) / len(scores)
    return CriterionResult("work", weight, score, "; ".join(parts) + ".", sources)


def _relevant_offer_kinds(household: HouseholdSpec) -> set[str]:
    kinds: set[str] = set()
    for adult in household.adults:
        kinds.update({"introduction", "work_practice"})
        if adult.norwegian_level in ("", "none", "A1", "A2"):
            kinds.update({"norwegian", "language_practice"})
        if adult.education_level in ("none", "primary"):
            kinds.add("primary_adults")
        if adult.education_level in ("none", "primary", "upper_secondary") or adult.education_route:
            kinds.add("upper_secondary_adults")
        if adult.occupations or adult.education_route:
            kinds.add("vocational")
    return kinds


def shrunk_result(share: Decimal | None, participants: int | None) -> float:
    if share is None:
        return RESULT_PRIOR / 100
    n = participants or 0
    return (n * float(share) + RESULT_PRIOR_WEIGHT * RESULT_PRIOR) / (n + RESULT_PRIOR_WEIGHT) / 100


def score_qualification(household, facts, weight, names: Lookups) -> CriterionResult:
    wanted = _relevant_offer_kinds(household)
    if not wanted:
        return _not_applicable(
            "qualification", weight, _("Ingen voksne i husholdningen; kvalifisering gjelder ikke.")
        )
    profile = facts.profile
    if profile is None or not profile.offers:
        return _missing("qualification", weight, _("ingen kvalifiseringstilbud oppgitt"))
    relevant = [o for o in profile.offers if o.kind in wanted]
    if not relevant:
        return CriterionResult(
            "qualification",
            weight,
            0.0,
            _("Ingen av kommunens %(n)s tilbud passer husholdningen.") % {"n": len(profile.offers)},
            [facts.source("qualification", _("Kvalifiseringstilbud"))],
        )
    best = max(relevant, key=lambda o: (shrunk_result(o.result_share, o.participants), -o.row))
    best_value = shrunk_result(best.result_share, best.participants)
    coverage = len({o.kind for o in relevant}) / len(wanted)
    score = 0.6 * best_value + 0.4 * coverage
    warnings = []
    if best.result_share is None:
        result_text = _("uten oppgitt resultat (landsnivå %(p)s %% brukt)") % {
            "p": int(RESULT_PRIOR)
        }
    else:
        result_text = _(
            "%(share)s %% i arbeid eller utdanning, %(n)s deltakere, justert til %(adj)s %%"
        ) % {
            "share": str(best.result_share).replace(".", ","),
            "n": best.participants or 0,
            "adj": round(best_value * 100),
        }
        if (best.participants or 0) < FEW_PARTICIPANTS:
            warnings.append(_("få deltakere"))
    reason = ngettext(
        "%(n)s relevant tilbud: «%(name)s», %(result)s.",
        "%(n)s relevante tilbud; best: «%(name)s», %(result)s.",
        len(relevant),
    ) % {
        "n": len(relevant),
        "name": best.name,
        "result": result_text,
    }
    sources = [
        facts.source(
            "qualification",
            _("Kvalifiseringstilbud, rad %(r)s") % {"r": best.row + 1},
            best.row,
            "result_share",
        )
    ]
    return CriterionResult("qualification", weight, score, reason, sources, warnings=warnings)


def score_education(household, facts, weight, names: Lookups) -> CriterionResult:
    routes = [a.education_route for a in household.adults if a.education_route]
    youths = household.youths
    if not routes and not youths:
        return _not_applicable(
            "education", weight, _("Ingen utdanningsvei eller ungdom i videregående alder.")
        )
    profile = facts.profile
    offers = profile.upper_secondary if profile else []
    if not offers:
        return _missing("education", weight, _("ingen videregående tilbud oppgitt"))
    scores, parts, sources = [], [], []
    for route in routes:
        programme = route[:2]
        exact = [o for o in offers if o.programme_area == route]
        same = [o for o in offers if o.programme == programme or o.programme_area[:2] == programme]
        if exact:
            offer = max(exact, key=lambda o: (o.adapted_for_adults, -o.row))
            value = 1.0 if offer.adapted_for_adults else 0.8
            parts.append(
                _("%(area)s tilbys%(adapted)s")
                % {
                    "area": names.area(route),
                    "adapted": _(", tilpasset voksne") if offer.adapted_for_adults else "",
                }
            )
        elif same:
            offer = max(same, key=lambda o: (o.adapted_for_adults, -o.row))
            value = 0.6 if offer.adapted_for_adults else 0.5
            parts.append(
                _("samme utdanningsprogram som %(area)s tilbys") % {"area": names.area(route)}
            )
        else:
            offer = next((o for o in offers if o.adapted_for_adults), None)
            value = 0.3 if offer else 0.0
            parts.append(_("%(area)s tilbys ikke") % {"area": names.area(route)})
        scores.append(value)
        if offer is not None:
            sources.append(
                facts.source(
                    "upper_secondary",
                    _("Videregående tilbud, rad %(r)s") % {"r": offer.row + 1},
                    offer.row,
                    "programme_area",
                )
            )
    for age in youths:
        adapted = [o for o in offers if o.adapted_for_minority_language or o.combination_class]
        if adapted:
            offer, value = adapted[0], 1.0
            parts.append(
                _("ungdom %(age)s år: tilbud tilpasset minoritetsspråklige/kombinasjonsklasse")
                % {"age": age}
            )
        else:
            offer, value = offers[0], 0.5
            parts.append(
                _("ungdom %(age)s år: videregående uten særskilt tilpasning") % {"age": age}
            )
        scores.append(value)
        sources.append(
            facts.source(
                "upper_secondary",
                _("Videregående tilbud, rad %(r)s") % {"r": offer.row + 1},
                offer.row,
                "adapted_for_minority_language",
            )
        )
    reason = capfirst("; ".join(parts)) + "."
    return CriterionResult("education", weight, sum(scores) / len(scores), reason, sources)


def score_needs(household, facts, weight, names: Lookups) -> CriterionResult:
    if not household.needs:
        return _not_applicable("needs", weight, _("Ingen særlige behov oppgitt."))
    profile = facts.profile
    scores, parts, sources, missing = [], [], [], []
    for need in sorted(household.needs):
        if need == "accessible_dwelling":
            count = profile.wheelchair_dwellings if profile else None
            if count is None:
                missing.append(_("boliger for rullestolbrukere"))
                continue
            scores.append(min(1.0, count / 3))
            parts.append(_("%(n)s boliger tilrettelagt for rullestolbrukere") % {"n": count})
            sources.append(
                facts.source("capacity", _("Tilrettelagte boliger"), None, "wheelchair_dwellings")
            )
        elif need == "health_followup":
            value = profile.health_followup if profile else ""
            if not value:
                missing.append(_("kapasitet for helseoppfølging"))
                continue
            scores.append({"yes": 1.0, "limited": 0.5}.get(value, 0.0))
            parts.append(
                {
                    "yes": _("har kapasitet for helseoppfølging"),
                    "limited": _("begrenset kapasitet for helseoppfølging"),
                }.get(value, value)
            )
            sources.append(facts.source("capacity", _("Helseoppfølging"), None, "health_followup"))
        elif need == "adapted_schooling":
            offers = profile.upper_secondary if profile else []
            if not offers:
                missing.append(_("tilpassede skoletilbud"))
                continue
            adapted = [
                o
                for o in offers
                if o.adapted_for_minority_language or o.combination_class or o.adapted_for_adults
            ]
            scores.append(1.0 if adapted else 0.3)
            parts.append(_("%(n)s tilpassede videregående tilbud") % {"n": len(adapted)})
            sources.append(
                facts.source(
                    "upper_secondary",
                    _("Videregående tilbud"),
                    None,
                    "adapted_for_minority_language",
                )
            )
    if not scores:
        return _missing("needs", weight, ", ".join(str(m) for m in missing))
    reason = capfirst("; ".join(str(p) for p in parts))
    if missing:
        reason += ". " + _("Mangler data: %(what)s.") % {"what": ", ".join(str(m) for m in missing)}
    else:
        reason += "."
    value = (sum(scores) + NEUTRAL * len(missing)) / (len(scores) + len(missing))
    return CriterionResult("needs", weight, value, reason, sources, missing_data=bool(missing))


def score_connection(household, facts, weight, names: Lookups) -> CriterionResult:
    target = household.connection
    if not target:
        return _not_applicable("connection", weight, _("Ingen tilknytning oppgitt."))
    target_name = names.municipalities.get(target, target)
    if facts.number == target:
        return CriterionResult(
            "connection",
            weight,
            1.0,
            _("Husholdningen har tilknytning til kommunen."),
            [Source("household", _("Tilknytning oppgitt av IMDi"))],
        )
    if target in facts.partners:
        return CriterionResult(
            "connection",
            weight,
            CONNECTION_PARTNER,
            _("Samarbeider med %(name)s, som husholdningen har tilknytning til.")
            % {"name": target_name},
            [facts.source("cooperation", _("Interkommunalt samarbeid"), None, "partners")],
        )
    if facts.number in names.neighbours.get(target, ()):
        return CriterionResult(
            "connection",
            weight,
            CONNECTION_NEIGHBOUR,
            _("Nabokommune til %(name)s, som husholdningen har tilknytning til.")
            % {"name": target_name},
            [Source("register", _("Kommuneregisteret: nabokommuner"))],
        )
    target_county = target[:2]
    if facts.county == target_county:
        return CriterionResult(
            "connection",
            weight,
            CONNECTION_COUNTY,
            _("Samme fylke som %(name)s, som husholdningen har tilknytning til.")
            % {"name": target_name},
            [Source("register", _("Kommuneregisteret"))],
        )
    return CriterionResult(
        "connection",
        weight,
        0.0,
        _("Ingen tilknytning til kommunen eller området."),
        [Source("household", _("Tilknytning oppgitt av IMDi"))],
    )


def score_balance(household, facts, state: CapacityState, weight) -> CriterionResult:
    share = state.free_share
    source_label = _label(CapacitySource(state.source).label)
    reason = _("Ledig %(remaining)s av %(decided)s (%(share)s %%, %(source)s).") % {
        "remaining": state.remaining,
        "decided": state.decided,
        "share": round(share * 100),
        "source": source_label,
    }
    label = _("Kapasitet: %(source)s") % {"source": source_label}
    return CriterionResult(
        "balance",
        weight,
        share,
        reason,
        [Source("capacity", label, round=None, date=state.decided_on)],
    )


def score_track_record(household, facts, weight, round_year: int) -> CriterionResult:
    years = sorted(y for y, (d, s) in facts.track_record.items() if d and s is not None)
    if not years:
        return _missing("track_record", weight, _("IMDis tall for vedtak og bosatte"))
    decided = sum(facts.track_record[y][0] for y in years)
    settled = sum(facts.track_record[y][1] for y in years)
    ratio = min(1.0, settled / decided) if decided else NEUTRAL
    reason = _("Bosatte %(settled)s av %(decided)s vedtatte (%(share)s %%) i %(years)s.") % {
        "settled": settled,
        "decided": decided,
        "share": round(settled / decided * 100) if decided else 0,
        "years": "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else years[0],
    }
    sources = [
        Source(
            "statistics",
            _("IMDi: vedtak og faktisk bosetting"),
            indicator="bosatt",
            years=tuple(years),
        ),
        Source(
            "statistics", _("IMDi: vedtak om bosetting"), indicator="vedtak", years=tuple(years)
        ),
    ]
    return CriterionResult("track_record", weight, ratio, reason, sources)
