"""Reading a municipality's statistics: old codes resolve to today's, and no year counts twice."""

import datetime
from decimal import Decimal

import pytest

from portal.register.lineage import codes_resolving_to
from portal.register.models import (
    Indicator,
    Municipality,
    StatisticValue,
)

Status = StatisticValue.Status
END_2019 = datetime.date(2019, 12, 31)


@pytest.fixture
def anmodning(db):
    return Indicator.objects.create(
        code="anmodning", name="Anmodning om bosetting", unit=Indicator.Unit.PERSONS
    )


@pytest.fixture
def record(anmodning):
    def _record(number, year, value=None, status=Status.VALUE, indicator=None):
        return StatisticValue.objects.create(
            indicator=indicator or anmodning,
            municipality=Municipality.objects.get(number=number),
            year=year,
            value=Decimal(value) if value is not None else None,
            status=status,
        )

    return _record


@pytest.fixture
def old_moss(register):
    """0104 Moss and 0136 Rygge, merged into 3002 Moss in 2020 (today 3103), as the grouping has them."""
    moss = Municipality.objects.get(number="3103")
    for number, name in (("0104", "Moss"), ("0136", "Rygge")):
        Municipality.objects.create(number=number, name=name, valid_to=END_2019, current=moss)
    return moss


def series(number, **options):
    municipality = Municipality.objects.get(number=number)
    return {
        s.indicator.code: [
            (v.year, v.plain_value, v.status, v.municipality.number) for v in s.values
        ]
        for s in StatisticValue.objects.series_for(municipality, **options)
    }


@pytest.mark.django_db
class TestCodesResolvingTo:
    def numbers(self, number):
        municipality = Municipality.objects.get(number=number)
        ids = codes_resolving_to(municipality)
        return sorted(Municipality.objects.filter(pk__in=ids).values_list("number", flat=True))

    def test_renumbering_and_grouping(self, old_moss):
        assert self.numbers("3103") == ["0104", "0136", "3002", "3103"]
        assert self.numbers("3101") == ["3001", "3101"]

    def test_a_split_counts_for_the_continuation_only(self, register):
        # 1507 Ålesund was split into 1508 Ålesund and 1580 Haram; SSB groups it with 1508.
        assert "1507" in self.numbers("1508")
        assert "1507" not in self.numbers("1580")

    def test_an_old_code_is_only_itself(self, old_moss):
        assert self.numbers("0104") == ["0104"]

    def test_one_query(self, old_moss, django_assert_num_queries):
        moss = Municipality.objects.get(number="3103")
        with django_assert_num_queries(1):
            codes_resolving_to(moss)


@pytest.mark.django_db
class TestSeries:
    def test_values_under_old_codes_appear_under_todays(self, record, old_moss):
        record("0104", 2019, "36")
        record("3002", 2021, "42")
        record("3103", 2024, "40")
        assert series("3103") == {
            "anmodning": [
                (2019, "36", Status.VALUE, "0104"),
                (2021, "42", Status.VALUE, "3002"),
                (2024, "40", Status.VALUE, "3103"),
            ]
        }
        assert StatisticValue.objects.for_municipality(old_moss).count() == 3

    def test_the_code_in_force_that_year_wins(self, record, register):
        record("3001", 2022, "10")  # Halden 2020–2023
        record("3101", 2022, "11")  # the same year, re-published under today's code
        record("3001", 2024, "12")
        record("3101", 2024, "13")
        assert series("3101")["anmodning"] == [
            (2022, "10", Status.VALUE, "3001"),
            (2024, "13", Status.VALUE, "3101"),
        ]

    def test_a_back_cast_year_takes_the_nearest_code(self, record, register):
        # IMDi publishes Halden's history back to 1995 under 3001; neither code existed then.
        record("3001", 1995, "20")
        record("3101", 1995, "21")
        assert series("3101")["anmodning"] == [(1995, "20", Status.VALUE, "3001")]

    def test_an_empty_cell_gives_way_to_a_value_or_symbol(self, record, register):
        record("3001", 2022, status=Status.MISSING)
        record("3101", 2022, status=Status.SUPPRESSED)
        assert series("3101")["anmodning"] == [(2022, None, Status.SUPPRESSED, "3101")]

    def test_parts_of_a_merger_are_each_kept_once(self, record, old_moss):
        record("0104", 2019, "36")
        record("0136", 2019, "20")
        record("3002", 2019, "56")  # IMDi's back-cast of the merged municipality
        assert series("3103")["anmodning"] == [
            (2019, "36", Status.VALUE, "0104"),
            (2019, "20", Status.VALUE, "0136"),
        ]

    def test_split_predecessor_is_not_counted_for_the_other_successor(self, record, register):
        record("1507", 2022, "76")
        assert series("1508")["anmodning"] == [(2022, "76", Status.VALUE, "1507")]
        assert series("1580") == {}

    def test_indicator_filter_and_order(self, record, register, anmodning):
        vedtak = Indicator.objects.create(
            code="vedtak", name="Vedtak om bosetting", unit="persons", position=5
        )
        record("3101", 2024, "3", indicator=vedtak)
        record("3101", 2024, "4")
        assert list(series("3101")) == ["vedtak", "anmodning"]
        assert list(series("3101", indicators=["anmodning"])) == ["anmodning"]

    def test_two_queries(self, record, old_moss, django_assert_num_queries):
        for year in range(1995, 2020):
            record("0104", year, "1")
            record("0136", year, "2")
        with django_assert_num_queries(2):
            StatisticValue.objects.series_for(old_moss)


@pytest.mark.django_db
def test_value_and_status_must_agree(record, register):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        record("3101", 2024, None, status=Status.VALUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        record("3101", 2024, "3", status=Status.SUPPRESSED)


@pytest.mark.django_db
class TestLatestSettlement:
    """The figures a search hit shows: the newest year before the round with any number."""

    @pytest.fixture
    def indicators(self, anmodning):
        return {
            "anmodning": anmodning,
            **{
                code: Indicator.objects.create(code=code, name=code, unit=Indicator.Unit.PERSONS)
                for code in ("vedtak", "bosatt")
            },
        }

    def latest(self, number, before_year):
        from portal.register.statistics_display import latest_settlement, settlement_series

        return latest_settlement(
            settlement_series(Municipality.objects.get(number=number)), before_year
        )

    def test_newest_year_before_the_round(self, register, record, indicators):
        for year, values in ((2021, (30, 25, 20)), (2022, (40, 35, 33)), (2027, (9, 9, 9))):
            for code, value in zip(("anmodning", "vedtak", "bosatt"), values, strict=True):
                record("4003", year, str(value), indicator=indicators[code])
        assert self.latest("4003", 2027) == {
            "year": 2022,
            "requested": 40,
            "decided": 35,
            "settled": 33,
        }
        assert self.latest("4003", 2022)["year"] == 2021
        assert self.latest("4003", 2021) is None

    def test_symbols_are_none_and_empty_years_are_passed_over(self, register, record, indicators):
        record("4003", 2021, "12", indicator=indicators["bosatt"])
        record("4003", 2022, None, status=Status.SUPPRESSED, indicator=indicators["bosatt"])
        record("4003", 2022, "15", indicator=indicators["anmodning"])
        record("4003", 2023, None, status=Status.MISSING, indicator=indicators["bosatt"])
        assert self.latest("4003", 2027) == {
            "year": 2022,
            "requested": 15,
            "decided": None,
            "settled": None,
        }

    def test_parts_of_a_merger_are_summed(self, old_moss, record, indicators):
        record("0104", 2019, "10", indicator=indicators["bosatt"])
        record("0136", 2019, "5", indicator=indicators["bosatt"])
        assert self.latest("3103", 2020) == {
            "year": 2019,
            "requested": None,
            "decided": None,
            "settled": 15,
        }

    def test_no_statistics_no_figures(self, register, indicators):
        assert self.latest("0301", 2027) is None
