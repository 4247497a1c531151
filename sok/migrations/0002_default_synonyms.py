from django.db import migrations

DEFAULT_SYNONYMS = [
    "helsefagarbeider, helsearbeider, helsefag",
    "sykepleier, sykepleie",
    "barnehagelærer, førskolelærer",
    "lærling, læreplass, lærekontrakt",
    "fagbrev, fagarbeider",
]


def add(apps, schema_editor):
    SynonymGroup = apps.get_model("sok", "SynonymGroup")
    for terms in DEFAULT_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [("sok", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
