"""The relevance data set: 24 profiles in round 2031 written as county officers write them,
bokmål and nynorsk, each with what a placement officer would look for (occupations, offers,
minors, large families, special needs, housing). Used by the relevance test and ``make bench``.
Municipalities are named, not numbered; their numbers come from the register."""

from __future__ import annotations

ROUND = 2031


def offer(kind, name, description="", target_group="", result=None, participants=None):
    return {
        "kind": kind,
        "name": name,
        "target_group": target_group,
        "description": description,
        "seats": 20,
        "result_share": result,
        "result_cohort_year": 2029 if result else None,
        "result_participants": participants,
        "partners": "",
    }


def upper(area, provider, description="", adults=True, minority=True, combination=False):
    return {
        "programme_area": area,
        "level": "Vg1" if area.endswith("1----") else "Vg2",
        "provider": provider,
        "adapted_for_adults": adults,
        "adapted_for_minority_language": minority,
        "combination_class": combination,
        "description": description,
    }


def need(occupation, description="", competence="trade_certificate", scale="high"):
    return {
        "occupation": occupation,
        "competence_level": competence,
        "scale": scale,
        "sector": "both",
        "description": description,
    }


def capacity(
    number,
    *,
    minors=False,
    households=("family", "single"),
    housing="",
    special="",
    comment="",
    wants="yes",
):
    return {
        "wants_to_settle": wants,
        "capacity": number,
        "takes_unaccompanied_minors": minors,
        "unaccompanied_minors_number": 5 if minors else None,
        "unaccompanied_minors_age_group": "15_18" if minors else "",
        "household_types": list(households),
        "housing_situation": housing,
        "special_needs_capacity": special,
        "capacity_comment": comment,
    }


def profile(qualification=(), upper_secondary=(), labour=(), cap=None, cooperation=()):
    return {
        "qualification": list(qualification),
        "upper_secondary": list(upper_secondary),
        "cooperation": list(cooperation),
        "labour": list(labour),
        "capacity": cap or capacity(10),
    }


PROFILES = {
    "Oslo": profile(
        [
            offer(
                "introduction",
                "Jobbsjansen for kvinner",
                "Kvalifisering til arbeid i helse- og omsorgssektoren.",
                "Kvinner",
                "61",
                80,
            )
        ],
        [upper("HSHSF1----", "Oslo voksenopplæring", combination=True)],
        [
            need("2223", "Stort behov for sykepleiere på sykehjem."),
            need("5321", "Helsefagarbeidere i hjemmetjenesten."),
        ],
        capacity(
            200,
            minors=True,
            households=("family", "single", "single_parent"),
            housing="Kommunale boliger i flere bydeler.",
        ),
    ),
    "Bergen": profile(
        [
            offer(
                "norwegian",
                "Norskopplæring med språkpraksis",
                "Språkpraksis i barnehagar og sjukeheimar.",
                "Vaksne flyktningar",
                "55",
                60,
            )
        ],
        [upper("HSHSF1----", "Bergen vaksenopplæring")],
        [
            need("5321", "Helsefagarbeidarar i heimetenesta."),
            need("2223", "Sjukepleiarar til sjukeheimane.", "higher_education"),
        ],
        capacity(
            120,
            minors=True,
            housing="Kommunale bustader, også for store familiar.",
            households=("family", "large_family", "single"),
        ),
    ),
    "Voss": profile(
        [offer("vocational", "Fagbrev på jobb i industrien", "Lærlingplass i verkstadindustrien.")],
        [upper("TPTIP1----", "Voss vidaregåande skule", "Teknologi- og industrifag for vaksne.")],
        [need("7212", "Sveisarar til verkstadindustrien.")],
        capacity(
            30,
            households=("large_family", "family"),
            housing="Tilrettelagd bustad for rullestolbrukarar.",
            special="Kan ta imot personar med særskilde behov.",
        ),
    ),
    "Sogndal": profile(
        [
            offer(
                "introduction",
                "Introduksjonsprogram",
                "Eige løp for einslege mindreårige.",
                "Einslege mindreårige",
                "70",
                25,
            )
        ],
        [
            upper(
                "STUSP1----", "Sogndal vidaregåande skule", "Kombinasjonsklasse.", combination=True
            )
        ],
        [need("2341", "Lærarar i grunnskulen.", "higher_education")],
        capacity(
            15,
            minors=True,
            households=("single",),
            comment="Busetjing av einslege mindreårige i bufellesskap.",
        ),
    ),
    "Kinn": profile(
        [offer("work_practice", "Arbeidspraksis i sjømatnæringa")],
        [upper("NANAB1----", "Måløy vidaregåande skule", "Akvakultur og fiske.")],
        [need("8160", "Operatørar i fiskeindustrien og havbruk.", "none")],
        capacity(20, households=("family", "single")),
    ),
    "Trondheim": profile(
        [
            offer(
                "introduction",
                "Introduksjonsprogram med fagbrev",
                "Fagbrev som helsefagarbeider.",
                "Voksne flyktninger",
                "68",
                90,
            )
        ],
        [upper("TPTIP1----", "Trondheim voksenopplæring")],
        [need("7212", "Sveisere og platearbeidere."), need("5321", "Helsefagarbeidere.")],
        capacity(
            150,
            minors=True,
            housing="Universell utforming av nye kommunale boliger.",
            special="Boliger for rullestolbrukere og personer med særlige behov.",
        ),
    ),
    "Stavanger": profile(
        [offer("vocational", "Fagbrev i industrien", "Sveising og platearbeid.")],
        [upper("TPTIP1----", "Stavanger offshore tekniske skole", combination=True)],
        [need("7212", "Sveisere til leverandørindustrien."), need("7214", "Platearbeidere.")],
        capacity(80),
    ),
    "Skien": profile(
        [
            offer(
                "introduction",
                "Introduksjonsprogram med fagbrev",
                "Løp mot fagbrev i helsearbeiderfaget.",
                "Voksne flyktninger",
                "72.5",
                40,
            )
        ],
        [upper("HSHSF1----", "Skien videregående skole")],
        [need("5321", "Helsefagarbeidere i hjemmetjenesten.")],
        capacity(25, minors=True),
    ),
    "Porsgrunn": profile(
        [offer("language_practice", "Språkpraksis i byggebransjen")],
        [upper("BABAT1----", "Porsgrunn videregående skole", combination=True)],
        [need("7115", "Tømrere og betongarbeidere.")],
        capacity(10, households=("single",)),
    ),
    "Bamble": profile(cap=capacity(None, wants="no", households=())),
    "Kristiansand": profile(
        [
            offer(
                "norwegian",
                "Norskopplæring for foreldre",
                "Norsk og foreldreveiledning.",
                "Familier med barn",
            )
        ],
        [],
        [
            need("2342", "Barnehagelærere.", "higher_education"),
            need("5311", "Barne- og ungdomsarbeidere."),
        ],
        capacity(
            60,
            households=("large_family", "family"),
            housing="Store boliger til familier med mange barn.",
        ),
    ),
    "Ålesund": profile(
        [offer("work_practice", "Arbeidspraksis i sjømatindustrien")],
        [upper("NANAB1----", "Ålesund videregående skole")],
        [need("9329", "Hjelpearbeidere i fiskeindustrien.", "none")],
        capacity(40, households=("large_family", "family")),
    ),
    "Bodø": profile(
        [offer("introduction", "Introduksjonsprogram", result="48", participants=30)],
        [],
        [need("2223", "Sykepleiere ved sykehuset."), need("9112", "Renholdere.", "none")],
        capacity(35),
    ),
    "Tromsø": profile(
        [offer("upper_secondary_adults", "Videregående for voksne")],
        [upper("STUSP1----", "Tromsø voksenopplæring")],
        [need("2320", "Lærere i videregående skole.", "higher_education")],
        capacity(45, special="Særlig på natt er bemanningen lav; ikke for særlige behov nå."),
    ),
    "Drammen": profile(
        [offer("introduction", "Introduksjonsprogram", "Helsefag og norsk.")],
        [upper("HSHSF1----", "Drammen videregående skole")],
        [need("5321", "Helsearbeidere.")],
        capacity(
            70,
            housing="Tilrettelagt bolig med rullestoltilgang.",
            special="Erfaring med personer med særskilte behov.",
        ),
    ),
    "Storfjord": profile(
        [offer("other", "Lokalt tilbud")],
        [],
        [need("6121", "Gårdsarbeidere i landbruket.", "none", "low")],
        capacity(5, households=("single", "couple"), housing="Få og små boliger."),
    ),
    "Molde": profile(
        [offer("language_practice", "Språkpraksis i hotell og restaurant")],
        [upper("RMRMF1----", "Molde videregående skole", "Restaurant- og matfag.")],
        [need("5120", "Kokker til hotell og restaurant.")],
        capacity(30),
    ),
    "Hammerfest": profile(
        [offer("vocational", "Fagbrev på jobb", "Industri og energi.")],
        [upper("TPTIP1----", "Hammerfest videregående skole")],
        [need("7411", "Elektrikere."), need("7212", "Sveisere til verftet.", scale="medium")],
        capacity(20, minors=True),
    ),
    "Fredrikstad": profile(
        [offer("primary_adults", "Grunnskole for voksne")],
        [],
        [need("8322", "Sjåfører med førerkort.", "none"), need("9112", "Renholdere.", "none")],
        capacity(55, households=("family", "single_parent")),
    ),
    "Hamar": profile(
        [offer("introduction", "Introduksjonsprogram", "Landbruk og grønt arbeid.", result="52")],
        [upper("NANAB1----", "Hamar voksenopplæring")],
        [need("6121", "Gårdsarbeidere.", "none")],
        capacity(30, minors=True),
    ),
    "Stord": profile(
        [offer("vocational", "Fagbrev i verftsindustrien", "Sveising og sveisefag på verftet.")],
        [upper("TPTIP1----", "Stord vidaregåande skule")],
        [need("7212", "Sveisarar og platearbeidarar til verftet.")],
        capacity(25),
    ),
    "Askøy": profile(
        [offer("norwegian", "Norskopplæring", "Kveldskurs i norsk for vaksne.")],
        [],
        [need("5322", "Helsefagarbeidarar i heimesjukepleia.")],
        capacity(15, housing="Bustader med universell utforming.", households=("family",)),
    ),
    "Narvik": profile(
        [offer("introduction", "Introduksjonsprogram")],
        [],
        [need("8342", "Anleggsmaskinførere.", "none")],
        capacity(20),
    ),
    "Alta": profile(
        [
            offer(
                "introduction",
                "Introduksjonsprogram for enslige mindreårige",
                target_group="Enslige mindreårige",
            )
        ],
        [],
        [need("5311", "Barne- og ungdomsarbeidere.")],
        capacity(18, minors=True, households=("single",)),
    ),
}
