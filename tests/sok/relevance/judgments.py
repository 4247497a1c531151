"""The judged queries: what a placement officer types or chooses, and how useful each profile
of the data set is for it (3 = what they need, 2 = good, 1 = marginal; unnamed = not useful).
Bokmål and nynorsk, free text and filters."""

from __future__ import annotations

# (label, query parameters for ProfileQuery, {municipality name: grade})
JUDGED = [
    (
        "helsefagarbeider",
        {"text": "helsefagarbeider"},
        {"Oslo": 3, "Bergen": 3, "Skien": 3, "Trondheim": 3, "Drammen": 2, "Askøy": 2},
    ),
    (
        "helsefagarbeidar (nn)",
        {"text": "helsefagarbeidar"},
        {"Oslo": 3, "Bergen": 3, "Skien": 3, "Trondheim": 3, "Drammen": 2, "Askøy": 2},
    ),
    ("sykepleier", {"text": "sykepleier"}, {"Oslo": 3, "Bergen": 3, "Bodø": 3}),
    ("sjukepleiar (nn)", {"text": "sjukepleiar"}, {"Oslo": 3, "Bergen": 3, "Bodø": 3}),
    (
        "sveiser",
        {"text": "sveiser"},
        {"Voss": 3, "Stavanger": 3, "Trondheim": 3, "Stord": 3, "Hammerfest": 2},
    ),
    (
        "sveisar (nn)",
        {"text": "sveisar"},
        {"Voss": 3, "Stavanger": 3, "Trondheim": 3, "Stord": 3, "Hammerfest": 2},
    ),
    (
        "sveising",
        {"text": "sveising"},
        {"Stavanger": 3, "Stord": 3, "Voss": 2, "Trondheim": 2, "Hammerfest": 2},
    ),
    ("særskilte behov", {"text": "særskilte behov"}, {"Drammen": 3, "Voss": 3, "Trondheim": 3}),
    ("særlige behov", {"text": "særlige behov"}, {"Trondheim": 3, "Drammen": 3, "Voss": 3}),
    (
        "universell utforming",
        {"text": "universell utforming"},
        {"Trondheim": 3, "Askøy": 3, "Voss": 2, "Drammen": 2},
    ),
    ("rullestol", {"text": "rullestol"}, {"Voss": 3, "Trondheim": 3, "Drammen": 3, "Askøy": 2}),
    (
        "tilrettelagt bolig",
        {"text": "tilrettelagt bolig"},
        {"Drammen": 3, "Voss": 3, "Trondheim": 2, "Askøy": 2},
    ),
    (
        "stor familie",
        {"text": "stor familie"},
        {"Kristiansand": 3, "Bergen": 3, "Voss": 2, "Ålesund": 2},
    ),
    (
        "store familiar (nn)",
        {"text": "store familiar"},
        {"Kristiansand": 3, "Bergen": 3, "Voss": 2, "Ålesund": 2},
    ),
    (
        "enslige mindreårige",
        {"text": "enslige mindreårige"},
        {"Sogndal": 3, "Alta": 3, "Oslo": 1, "Bergen": 1},
    ),
    ("einslege mindreårige (nn)", {"text": "einslege mindreårige"}, {"Sogndal": 3, "Alta": 3}),
    ("busetjing (nn)", {"text": "busetjing"}, {"Sogndal": 3}),
    (
        "norskopplæring",
        {"text": "norskopplæring"},
        {"Bergen": 3, "Kristiansand": 3, "Askøy": 3, "Drammen": 1},
    ),
    ("språkpraksis", {"text": "språkpraksis"}, {"Porsgrunn": 3, "Molde": 3, "Bergen": 3}),
    (
        "fagbrev",
        {"text": "fagbrev"},
        {"Skien": 3, "Trondheim": 3, "Voss": 3, "Stavanger": 3, "Stord": 3, "Hammerfest": 3},
    ),
    (
        "fagbrev helsefagarbeider",
        {"text": "fagbrev helsefagarbeider"},
        {"Trondheim": 3, "Skien": 3, "Oslo": 1, "Bergen": 1},
    ),
    (
        "helsefagarbeider norskopplæring jobb",
        {"text": "helsefagarbeider norskopplæring jobb"},
        {"Bergen": 3, "Askøy": 2, "Oslo": 1, "Drammen": 1},
    ),
    ("tømrer", {"text": "tømrer"}, {"Porsgrunn": 3}),
    ("kokk restaurant", {"text": "kokk restaurant"}, {"Molde": 3}),
    ("fiskeindustri", {"text": "fiskeindustri"}, {"Kinn": 3, "Ålesund": 3}),
    ("havbruk sjømat", {"text": "havbruk sjømat"}, {"Kinn": 3, "Ålesund": 2}),
    ("barnehagelærer", {"text": "barnehagelærer"}, {"Kristiansand": 3}),
    ("lærer", {"text": "lærer"}, {"Tromsø": 3, "Sogndal": 3, "Kristiansand": 1}),
    (
        "kombinasjonsklasse",
        {"text": "kombinasjonsklasse"},
        {"Sogndal": 3, "Oslo": 2, "Stavanger": 2, "Porsgrunn": 2},
    ),
    ("Bergen", {"text": "Bergen"}, {"Bergen": 3}),
    ("Storfjord", {"text": "Storfjord"}, {"Storfjord": 3}),
    ("jobbsjansen kvinner", {"text": "jobbsjansen kvinner"}, {"Oslo": 3}),
    ("elektriker", {"text": "elektriker"}, {"Hammerfest": 3}),
    ("sjåfør", {"text": "sjåfør"}, {"Fredrikstad": 3}),
    ("landbruk", {"text": "landbruk"}, {"Hamar": 3, "Storfjord": 2}),
    (
        "occupation 7212",
        {"filters": {"occupation": ["7212"]}},
        {"Voss": 3, "Stavanger": 3, "Trondheim": 3, "Stord": 3, "Hammerfest": 3},
    ),
    (
        "occupation 53",
        {"filters": {"occupation": ["53"]}},
        {
            "Oslo": 3,
            "Bergen": 3,
            "Skien": 3,
            "Trondheim": 3,
            "Drammen": 3,
            "Askøy": 3,
            "Kristiansand": 2,
            "Alta": 2,
        },
    ),
    (
        "occupations 2223 + 5321",
        {"filters": {"occupation": ["2223", "5321"]}},
        {"Oslo": 3, "Bergen": 3, "Skien": 2, "Trondheim": 2, "Drammen": 2, "Bodø": 2},
    ),
    (
        "minors + large families",
        {"filters": {"takes_minors": ["yes"], "household_type": ["large_family"]}},
        {"Bergen": 3},
    ),
    (
        "large families",
        {"filters": {"household_type": ["large_family"]}},
        {"Bergen": 3, "Voss": 3, "Kristiansand": 3, "Ålesund": 3},
    ),
    (
        "minors, sorted by relevance",
        {"filters": {"takes_minors": ["yes"]}},
        {
            "Oslo": 3,
            "Bergen": 3,
            "Sogndal": 3,
            "Trondheim": 3,
            "Skien": 3,
            "Hammerfest": 3,
            "Hamar": 3,
            "Alta": 3,
        },
    ),
    (
        "adaptation: adults + combination class",
        {"filters": {"adaptation": ["adults", "combination_class"]}},
        {"Oslo": 3, "Sogndal": 3, "Stavanger": 3, "Porsgrunn": 3, "Bergen": 1, "Voss": 1},
    ),
    (
        "sveiser in Vestland (46)",
        {"text": "sveiser", "filters": {"county": ["46"]}},
        {"Voss": 3, "Stord": 3},
    ),
    (
        "helsefagarbeider, capacity ≥ 100",
        {"text": "helsefagarbeider", "capacity_min": 100},
        {"Oslo": 3, "Bergen": 3, "Trondheim": 3},
    ),
    (
        "HS programme + minors",
        {"filters": {"programme": ["HS"], "takes_minors": ["yes"]}},
        {"Oslo": 3, "Bergen": 3, "Skien": 3},
    ),
    ('"særskilte behov" (quoted)', {"text": '"særskilte behov"'}, {"Drammen": 3}),
]
