"""Bokmål formats: Django's, with a thin no-break space between thousands (Språkrådet)."""

from django.conf.locale.nb.formats import *  # noqa: F403

DATE_FORMAT = "j. F Y"  # prose: «6. desember 2026»
SHORT_DATE_FORMAT = "d.m.Y"  # tables: «06.12.2026»
DATETIME_FORMAT = r"j. F Y \k\l. H.i"  # «6. desember 2026 kl. 14.30»
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space: «12 345»
NUMBER_GROUPING = 3
