"""One suppression rule for a merged municipality with a withheld part, wherever its figures show.

3103 Moss is 0104 Moss and 0136 Rygge before 2020 (SSB's grouping, in the register fixture). In
2019 IMDi withholds Moss's request («:») and publishes Rygge's (12): the merged municipality's
request for 2019 is withheld as a whole – never shown as 12, the sum of the visible part – on the
register page, in the API, in the search document built from Moss's submitted profile, and in
IMDi's preparatory document (its statistics and its summary table, where no deviation is computed
from a withheld figure). Decisions, with both parts visible (20 + 10), are summed. The rule is
``portal.register.statistics_display.combine``; every reader gets there through the register.
"""

import re

import pytest
from rest_framework.test import APIClient

from portal.register.models import Municipality, StatisticValue
from portal.register.statistics import import_statistics
from portal.register.statistics_display import (
    combine,
    latest_settlement,
    settlement_overview,
    settlement_series,
    year_totals,
)

Status = StatisticValue.Status
FILE = "\n".join(
    [
        "Region;Navn;Bosetting: Anmodning om bosetting;Bosetting: Vedtak om bosetting;"
        "Bosetting: Faktisk bosetting;Bosetting: Faktisk bosetting",
        ";;Enhet: Personer;Enhet: Personer;Enhet: Personer;Enhet: Prosent",
        ";;År: 2019;År: 2019;År: 2019;År: 2019",
        "K0104;Moss (t.o.m. 2019);:;20;:;:",
        "K0136;Rygge (t.o.m. 2019);12;10;7;70",
    ]
).encode("latin-1")


@pytest.fixture
def moss(register):
    import_statistics(FILE, filename="bosatt.csv")
    return Municipality.objects.get(number="3103")


@pytest.mark.django_db
class TestAMergerWithAWithheldPart:
    def test_the_register_page(self, client, moss):
        html = client.get("/kommuner/3103/").content.decode()
        row = re.search(r'<tr><th scope="row">2019</th>(.*?)</tr>', html, re.S).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert len(cells) == 3
        requested, decided, settled = cells
        assert "skjermet" in requested and "12" not in requested
        assert decided.startswith("30") and "sum av 0104 Moss og 0136 Rygge" in decided
        assert "skjermet" in settled and "7" not in settled

    def test_the_api(self, moss, users):
        api = APIClient()
        api.force_authenticate(users["imdi"])
        body = api.get("/api/v1/municipalities/3103/statistics/").json()
        totals = {s["indicator"]: s["totals"] for s in body}
        assert totals["anmodning"] == [
            {"year": 2019, "value": None, "status": "suppressed", "parts": ["0104", "0136"]}
        ]
        assert totals["vedtak"] == [
            {"year": 2019, "value": "30", "status": "value", "parts": ["0104", "0136"]}
        ]
        assert totals["bosatt_prosent"][0]["status"] == "suppressed"
        # The parts stay visible as IMDi published them, each on its own code.
        values = {s["indicator"]: s["values"] for s in body}
        assert {v["recorded_as"]: v["status"] for v in values["anmodning"]} == {
            "0104": "suppressed",
            "0136": "value",
        }

    def test_the_statistics_display_and_search_figures(self, moss):
        overview = settlement_overview(moss)
        ((year, (requested, decided, settled)),) = overview.rows
        assert year == 2019
        assert (requested.status, requested.value, requested.text) == (Status.SUPPRESSED, None, ":")
        assert (decided.status, decided.text, decided.summed) == (Status.VALUE, "30", True)
        assert settled.status == Status.SUPPRESSED
        # Search hits show these figures (sok.documents reads latest_settlement).
        assert latest_settlement(settlement_series(moss), 2020) == {
            "year": 2019,
            "requested": None,
            "decided": 30,
            "settled": None,
        }
        series = {s.indicator.code: s for s in StatisticValue.objects.series_for(moss)}
        assert [cell.status for _, cell in year_totals(series["anmodning"])] == [Status.SUPPRESSED]

    def test_the_preparatory_document(self, moss):
        from skjema.preparatory import statistics

        table = statistics(moss, 2020)
        assert table["rows"] == [{"year": 2019, "values": [":", "30", ":"]}]

    def test_the_rule_itself(self, moss):
        values = list(
            StatisticValue.objects.filter(indicator__code="anmodning").select_related(
                "municipality"
            )
        )
        assert combine(values).status == Status.SUPPRESSED
        visible = [v for v in values if v.status == Status.VALUE]
        assert combine(visible).value == 12  # one part alone is that part


@pytest.fixture
def moss_profile(moss, make_user):
    """Moss's profile submitted in the 2027 round (Østfold, 31), for search and the document."""
    import datetime

    from django.utils import timezone

    from portal.accounts.models import Role
    from portal.register.models import County
    from skjema import services
    from skjema.models import MunicipalityProfile
    from tests.fixtures.skjema import fill_profile, make_round

    ostfold = County.objects.get(number="31")
    round_ = make_round(2027, deadline=timezone.now() + datetime.timedelta(days=30))
    services.open_round(round_, counties=[ostfold])
    officer = make_user("fylke-31", Role.COUNTY_OFFICER, ostfold)
    profile = fill_profile(
        MunicipalityProfile.objects.get(round=round_, municipality=moss), officer
    )
    services.submit(profile, officer)
    return round_, ostfold, profile


@pytest.mark.django_db
def test_every_reader_withholds_the_same_figures(client, moss_profile, users):
    """Register page, API, search document and preparatory data, side by side: 2019's request
    and settlement withheld, the decision 30."""
    from types import SimpleNamespace

    from skjema.preparatory import build_content
    from skjema.reading import latest_version
    from sok.documents import build

    round_, ostfold, profile = moss_profile
    expected = {"requested": None, "decided": 30, "settled": None}

    html = client.get("/kommuner/3103/").content.decode()
    row = re.search(r'<tr><th scope="row">2019</th>(.*?)</tr>', html, re.S).group(1)
    page = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    shown = {
        key: 30 if cell.split()[0] == "30" else None
        for key, cell in zip(expected, page, strict=True)
    }
    assert shown == expected and all("skjermet" in page[i] for i in (0, 2))

    api = APIClient()
    api.force_authenticate(users["imdi"])
    body = api.get("/api/v1/municipalities/3103/statistics/").json()
    totals = {s["indicator"]: s["totals"][0] for s in body}
    from_api = {
        key: int(totals[code]["value"]) if totals[code]["status"] == "value" else None
        for key, code in zip(expected, ("anmodning", "vedtak", "bosatt"), strict=True)
    }
    assert from_api == expected

    document = build(profile, latest_version(submission=profile))
    statistics = document.payload["statistics"]
    assert {key: statistics[key] for key in expected} == expected
    assert statistics["year"] == 2019

    meeting = SimpleNamespace(title="Samarbeidsmøte med Østfold", starts_at=None, location="")
    content = build_content(round_, meeting, ostfold)
    [moss_row] = [r for r in content["municipalities"] if r["number"] == "3103"]
    assert moss_row["statistics"]["rows"] == [{"year": 2019, "values": [":", "30", ":"]}]
    [summary] = [r for r in content["summary"]["rows"] if r["number"] == "3103"]
    assert content["summary"]["years"] == [2019]
    assert (summary["requested"], summary["decided"], summary["settled"]) == (":", ["30"], [":"])
    assert not [d for d in content["summary"]["deviations"] if d["number"] == "3103"]
