"""The demo's statistics are IMDi's real figures, carried in the project's own format.

The fixture ``portal/register/fixtures/statistics-imdi.csv`` must load on a fresh register, name
its source and licence, agree cell for cell with IMDi's download in ../shared/data/imdi/, and be
what the municipality page, the API and the statistics display show.
"""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from portal.register.demo import DEMO_STATISTICS, load_demo_statistics
from portal.register.models import Municipality, StatisticValue
from portal.register.statistics import StatisticsFileError, import_statistics
from portal.register.statistics_display import latest_settlement, settlement_series
from portal.register.statistics_files import PORTAL, read_statistics_file
from tests.conftest import require_service

SHARED_WIDE = (
    next(p for p in Path(__file__).resolve().parents if (p / "manage.py").is_file()).parent
    / "shared"
    / "data"
    / "imdi"
    / "bosatt_anmodede.csv"
)
MEASURES = {"Anmodning om bosetting", "Vedtak om bosetting", "Faktisk bosetting"}


def _cells(parsed):
    return {
        (c.region, c.measure, c.unit, c.year): (c.value, c.status)
        for c in parsed.cells
        if c.status != StatisticValue.Status.MISSING
    }


class TestTheFixture:
    def test_lives_in_the_project_and_names_source_and_licence(self):
        text = DEMO_STATISTICS.read_text(encoding="utf-8")
        assert "shared" not in text
        head = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
        assert "Integrerings- og mangfoldsdirektoratet (IMDi)" in head
        assert "Bosatt og anmodede" in head and "NLOD" in head

    def test_agrees_cell_for_cell_with_imdis_download(self):
        require_service(SHARED_WIDE.is_file(), f"shared reference data ({SHARED_WIDE})")
        ours = read_statistics_file(DEMO_STATISTICS.name, DEMO_STATISTICS.read_bytes())
        assert ours.format == PORTAL
        theirs = read_statistics_file(SHARED_WIDE.name, SHARED_WIDE.read_bytes())
        ours_cells = _cells(ours)
        # Requests, decisions and settlement in persons, for every code the register holds
        # (0102, 0103 and 2001 ended before SSB's grouping begins).
        codes = {region for region, *_ in ours_cells}
        wanted = {
            key: value
            for key, value in _cells(theirs).items()
            if key[1] in MEASURES and key[2] == "persons" and key[0] in codes
        }
        assert ours_cells == wanted
        assert len(ours_cells) == 35247
        assert {c.region for c in theirs.cells} - codes == {"0102", "0103", "2001"}


@pytest.mark.django_db
class TestLoading:
    def test_loads_on_the_register_alone_then_changes_nothing(self, register):
        first = load_demo_statistics()
        assert (first.municipalities, first.created, first.skipped) == (486, 35247, [])
        second = load_demo_statistics()
        assert (second.created, second.updated, second.unchanged) == (0, 0, 35247)
        assert StatisticValue.objects.count() == 35247

    def test_oslo_on_the_page_in_the_api_and_in_search_figures(self, client, register, users):
        load_demo_statistics()
        html = client.get("/kommuner/0301/").content.decode()
        # IMDi: Oslo 2016 – requested 1 000, decided 1 000, settled 913.
        assert '<th scope="row">2016</th>' in html
        assert "1\u202f000" in html and ">913<" in html
        api = APIClient()
        api.force_authenticate(users["ks"])
        body = api.get("/api/v1/municipalities/0301/statistics/?indicator=bosatt").json()
        assert {"year": 2021, "value": "188", "status": "value", "recorded_as": "0301"} in (
            body[0]["values"]
        )
        oslo = Municipality.objects.get(number="0301")
        assert latest_settlement(settlement_series(oslo), 2022) == {
            "year": 2021,
            "requested": 206,
            "decided": 206,
            "settled": 188,
        }


@pytest.mark.django_db
class TestBadFiles:
    HEADER = "kommunenummer,kommune,måltall,enhet,2021,2022"

    def _refused(self, text: str, match: str):
        with pytest.raises(StatisticsFileError, match=match):
            import_statistics(text.encode("utf-8"), filename="egen.csv")
        assert not StatisticValue.objects.exists()

    def test_a_value_that_is_not_a_number(self, register):
        rows = [self.HEADER, "0301,Oslo,Faktisk bosetting,personer,10,x"]
        self._refused("\n".join(rows), r"linje 2, kolonne F \(0301 Oslo, Faktisk bosetting, 2022\)")

    def test_a_code_that_lost_its_zero(self, register):
        rows = ["# kilde", self.HEADER, "301,Oslo,Faktisk bosetting,personer,10,12"]
        self._refused("\n".join(rows), "linje 3: «301» er ikke et kommunenummer")

    def test_an_unknown_unit(self, register):
        rows = [self.HEADER, "0301,Oslo,Faktisk bosetting,stk,10,12"]
        self._refused("\n".join(rows), "verken «personer» eller «prosent»")

    def test_a_header_without_years(self, register):
        self._refused("kommunenummer,kommune,måltall,enhet\n", "deretter årstallene")

    def test_a_row_given_twice(self, register):
        rows = [self.HEADER, *["0301,Oslo,Faktisk bosetting,personer,10,12"] * 2]
        self._refused("\n".join(rows), "står også på linje 2")
