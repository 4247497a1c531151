"""The placement officers' words (issue 10): groups that mean the same in a search, bokmål and
nynorsk alike (nynorsk inflection is handled by the analysis; these are different words).
A group of several words is matched as adjacent words («særskilte behov»)."""

from django.db import migrations

DOMAIN_SYNONYMS = [
    "særskilte behov, særlige behov, spesielle behov, særskilde behov, tilretteleggingsbehov",
    "universell utforming, rullestol, rullestolbruker, tilrettelagt bolig, tilgjengelig bolig, "
    "livsløpsstandard",
    "sveiser, sveising, sveisefag, sveisearbeid",
    "helsefagarbeider, helsearbeider, helsefag, hjelpepleier",
    "enslige mindreårige, einslege mindreårige, mindreårige flyktninger, ema",
    "stor familie, store familier, storfamilie, mange barn",
    "norskopplæring, norskundervisning, opplæring i norsk, norskkurs",
    "bosetting, busetjing, bosetjing",
    "arbeid, jobb, sysselsetting",
    "fagbrev, fagarbeider, svennebrev",
    "introduksjonsprogram, introprogram",
    "voksenopplæring, vaksenopplæring",
    "kombinasjonsklasse, kombinasjonsklasser",
    "tømrer, snekker",
]


def add(apps, schema_editor):
    SynonymGroup = apps.get_model("sok", "SynonymGroup")
    for terms in DOMAIN_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=terms)


def remove(apps, schema_editor):
    apps.get_model("sok", "SynonymGroup").objects.filter(terms__in=DOMAIN_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("sok", "0005_pair_terms")]
    operations = [migrations.RunPython(add, remove)]
