"""IMDi's real downloads (../shared/data/imdi/): counts, known values, statuses, idempotent
re-import, historical codes resolved to today's municipalities, the long Telemark extract.

The wide file has historical codes (0104 Moss), which the project's register fixture holds. The
wide file is imported once for the module on that register alone (committed, removed again at
the end); each test runs in its own transaction on top.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from portal.register.models import Indicator, Municipality, StatisticValue
from portal.register.statistics import StatisticsFileError, import_statistics
from tests.conftest import require_service

Status = StatisticValue.Status


def _project_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "manage.py").is_file())


SHARED = _project_root().parent / "shared" / "data"
WIDE = SHARED / "imdi" / "bosatt_anmodede.csv"
TELEMARK = SHARED / "imdi" / "anmodninger_og_faktisk_bosetting_telemark.csv"


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    require_service(
        WIDE.is_file() and TELEMARK.is_file(),
        f"shared reference data ({SHARED})",
    )
    with django_db_blocker.unblock():
        before = set(Municipality.objects.values_list("pk", flat=True))
        try:
            report = import_statistics(WIDE)
        except BaseException:
            _clean_up(before)
            raise
    yield report
    with django_db_blocker.unblock():
        _clean_up(before)


def _clean_up(register_before: set[int]) -> None:
    StatisticValue.objects.all().delete()
    Indicator.objects.all().delete()
    Municipality.objects.exclude(pk__in=register_before).delete()


def get(code, number, year):
    return StatisticValue.objects.get(indicator__code=code, municipality__number=number, year=year)


def series(number, indicator):
    municipality = Municipality.objects.get(number=number)
    (found,) = StatisticValue.objects.series_for(municipality, indicators=[indicator])
    return {(v.year, v.municipality.number): v.plain_value or v.status for v in found.values}


pytestmark = pytest.mark.django_db


class TestWideFile:
    def test_counts(self, imported):
        assert imported.municipalities == 486  # 490 rows, 4 skipped
        assert (imported.created, imported.updated, imported.unchanged) == (70858, 0, 0)
        assert imported.empty == 65222  # 486 × 280 cells in all
        assert StatisticValue.objects.count() == 70858
        assert StatisticValue.objects.values("municipality").distinct().count() == 486
        assert Indicator.objects.count() == 10
        assert imported.by_indicator["anmodning"].created == 11989
        assert imported.warnings == []  # every name agrees with the register

    def test_skipped_rows_are_reported_with_reasons(self, imported):
        assert [(s.line, s.text) for s in imported.skipped] == [
            (432, "K9999 Uoppgitt kommune"),
            (434, "K0102"),
            (435, "K0103"),
            (444, "K2001"),
        ]
        assert "«Inf»" in imported.notes[0] and imported.notes[0].startswith("24 verdier")

    def test_known_values(self, imported):
        assert get("anmodning", "3001", 1995).value == 20  # K3001 Halden
        assert get("anmodning", "0104", 1995).value == 20  # K0104 Moss (t.o.m. 2019)
        assert get("anmodning", "0301", 2016).value == 1000  # Oslo
        assert get("vedtak", "0301", 2017).value == 850
        assert get("bosatt_prosent", "0301", 2021).value == Decimal("91.26213592")
        assert get("anmodning_prosent", "3001", 2017).plain_value == "100"  # "100.00"
        assert get("anmodning", "3002", 2020).value == 33  # Moss (f.o.m. 2020)

    def test_hvaler_statuses(self, imported):
        assert get("anmodning", "3011", 1995).value == 0
        assert get("anmodning", "3011", 1996).status == Status.NOT_APPLICABLE  # "."
        assert get("anmodning", "3011", 2020).status == Status.SUPPRESSED  # ":"
        assert get("bosatt", "3011", 2018).status == Status.SUPPRESSED
        assert get("vedtak_prosent", "3412", 2008).status == Status.NOT_APPLICABLE  # "Inf"
        assert not StatisticValue.objects.filter(
            indicator__code="anmodning_opprinnelig", municipality__number="3011", year=2019
        ).exists()  # empty cell, nothing stored

    def test_reimport_changes_nothing(self, imported):
        before = list(StatisticValue.objects.order_by("pk").values_list())
        report = import_statistics(WIDE)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 70858)
        assert list(StatisticValue.objects.order_by("pk").values_list()) == before

    def test_reimport_repairs_a_changed_value(self, imported):
        StatisticValue.objects.filter(
            indicator__code="anmodning", municipality__number="3001", year=1995
        ).update(value=99)
        report = import_statistics(WIDE)
        assert (report.created, report.updated) == (0, 1)
        assert get("anmodning", "3001", 1995).value == 20

    def test_historical_codes_appear_under_todays_municipality(self, imported):
        moss = series("3103", "anmodning")
        assert moss[(1995, "0104")] == "20"  # Moss (t.o.m. 2019)
        assert moss[(1995, "0136")] == "10"  # Rygge (t.o.m. 2019), merged into Moss in 2020
        assert moss[(2020, "3002")] == "33"
        assert {number for (year, number) in moss if year == 2020} == {"3002"}
        halden = series("3101", "anmodning")
        assert halden[(1995, "3001")] == "20"  # IMDi back-casts Halden under 3001
        assert len([year for year, _ in halden if year == 1995]) == 1

    def test_api_includes_historical_codes(self, imported, users):
        client = APIClient()
        client.force_authenticate(users["imdi"])
        body = client.get("/api/v1/municipalities/3103/statistics/?indicator=anmodning").json()
        values = body[0]["values"]
        assert {"year": 1995, "value": "20", "status": "value", "recorded_as": "0104"} in values

    def test_page_sums_the_merged_parts(self, imported, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            html = client.get("/kommuner/3103/").content.decode()
        assert "0104 Moss, 0136 Rygge, 3002 Moss" in html
        assert (
            '<th scope="row">1995</th><td class="num">30<span aria-hidden="true">*</span>' in html
        )


class TestTelemarkLongFile:
    def test_imports_on_todays_codes(self, imported):
        report = import_statistics(TELEMARK)
        assert report.municipalities == 17
        assert (report.created, report.updated, report.unchanged) == (1662, 0, 0)
        assert report.by_indicator["anmodning"].created == 544
        assert get("anmodning", "4012", 1995).value == 20  # Bamble
        assert get("vedtak", "4012", 1995).value == 7
        assert get("vedtak", "4012", 2026).value == 47
        assert get("anmodning_opprinnelig", "4012", 2025).value == 40
        again = import_statistics(TELEMARK)
        assert (again.created, again.updated) == (0, 0)

    def test_the_wide_file_wins_where_both_have_a_year(self, imported):
        import_statistics(TELEMARK)
        bamble = series("4012", "anmodning")
        # 1996: the wide file says "." under 3813; the extract says 0.0 under 4012.
        assert bamble[(1996, "3813")] == Status.NOT_APPLICABLE
        assert (1996, "4012") not in bamble
        assert bamble[(2025, "4012")]  # years only the extract has come from it

    def test_county_38_records_on_the_2020_codes(self, imported):
        report = import_statistics(TELEMARK, county="38", dry_run=True)
        assert report.unchanged > 700  # the same numbers as the wide file's 38xx rows
        assert report.updated > 0  # where the extract writes 0.0 for IMDi's "."

    def test_county_08_cannot_place_midt_telemark(self, imported):
        with pytest.raises(StatisticsFileError, match="linje 589: finner ingen kommune"):
            import_statistics(TELEMARK, county="08")
