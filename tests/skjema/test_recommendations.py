"""The county's recommendation page: context per municipality (stated capacity, IMDi's figures of
the last three years that have them, withheld figures withheld, the county's share), warnings
that never block, and the numbers refused on save (form, API and service), with nothing saved."""

import json
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from portal.register.models import Indicator, Municipality, StatisticValue
from skjema import recommendations, services
from skjema.models import CountyShare, CountySubmission, SectionEdit
from skjema.views.county.recommendation_page import municipality_context

from .conftest import fill_profile

Status = StatisticValue.Status
THIN = "\u202f"


@pytest.fixture
def county_b(client, users):
    client.force_login(users["fylke_b"])
    return client


@pytest.fixture
def submission(opened, counties):
    return CountySubmission.objects.get(round=opened, county=counties["40"])


@pytest.fixture
def url():
    return reverse("skjema:county-section", args=[2027, "40", "recommendations"])


@pytest.fixture
def indicators(db):
    return {
        code: Indicator.objects.create(code=code, name=code, unit=Indicator.Unit.PERSONS)
        for code in ("anmodning", "vedtak", "bosatt")
    }


@pytest.fixture
def record(indicators):
    def _record(number, year, code, value=None, status=Status.VALUE):
        return StatisticValue.objects.create(
            indicator=indicators[code],
            municipality=Municipality.objects.get(number=number),
            year=year,
            value=Decimal(value) if value is not None else None,
            status=status,
        )

    return _record


@pytest.fixture
def skien_statistics(record):
    """Skien (4003): figures 2019–2024, 2025 only an empty cell, 2026 withheld settlement, and
    2027 (the round's own year) which must not show."""
    for year in range(2019, 2025):
        record("4003", year, "anmodning", 40 + year - 2019)
        record("4003", year, "vedtak", 35)
        record("4003", year, "bosatt", 30)
    record("4003", 2025, "anmodning", status=Status.MISSING)
    record("4003", 2026, "anmodning", 1200)
    record("4003", 2026, "bosatt", status=Status.SUPPRESSED)
    record("4003", 2027, "anmodning", 99)


@pytest.fixture
def skien_capacity(skien, users):
    """Skien's profile sent in with a stated capacity of 25."""
    profile = fill_profile(skien, users["fylke_b"])
    services.submit(profile, users["fylke_b"])
    return 25


def form_data(page_html: str) -> dict:
    soup = BeautifulSoup(page_html, "html.parser")
    form = soup.select_one("#recommendations-form")
    data = {}
    for field in form.select("input, textarea"):
        if field.get("type") in ("submit", "checkbox") or not field.get("name"):
            continue
        data[field["name"]] = field.get("value", "") if field.name == "input" else field.text
    return data


def row_index(soup, number: str) -> str:
    hidden = soup.select_one(f'input[name$="-municipality"][value="{number}"]')
    return re.match(r"recommendations-(\d+)-municipality", hidden["name"]).group(1)


def saved(submission):
    fresh = CountySubmission.objects.get(pk=submission.pk)
    return (
        sorted(fresh.recommendations.values_list("municipality__number", "number")),
        SectionEdit.objects.filter(submission=submission).count(),
    )


# ---------------------------------------------------------------------------------------------
# context


class TestContext:
    def test_last_three_years_with_figures_labelled_and_withheld(
        self, submission, skien_statistics
    ):
        context = municipality_context(submission=submission, numbers=["4003", "4001"])
        years = [line.year for line in context["4003"].years]
        # 2027 is the round's own year, 2025 has only an empty cell: neither counts.
        assert years == [2023, 2024, 2026]
        latest = context["4003"].years[-1]
        assert [(f.label, f.text, f.withheld) for f in latest.figures] == [
            ("Anmodet", f"1{THIN}200", False),
            ("Vedtatt", "mangler", False),
            ("Bosatt", "skjermet", True),
        ]
        assert [f.text for f in context["4003"].years[0].figures] == ["44", "35", "30"]
        assert context["4001"].years == []

    def test_merger_parts_by_the_registers_one_suppression_rule(self, submission, record):
        """0104 Moss and 0136 Rygge (merged, today 3103): requests are summed and say so, and a
        withheld part withholds the whole year's settled figure (never the visible part)."""
        record("0104", 2019, "anmodning", 5)
        record("0136", 2019, "anmodning", 7)
        record("0104", 2019, "bosatt", 10)
        record("0136", 2019, "bosatt", status=Status.SUPPRESSED)
        [line] = municipality_context(submission=submission, numbers=["3103"])["3103"].years
        assert line.year == 2019
        requested, decided, settled = line.figures
        assert (requested.text, requested.note) == ("12", "sum av 0104 Moss, 0136 Rygge")
        assert decided.text == "mangler"
        assert (settled.text, settled.withheld) == ("skjermet", True)
        moss = Municipality.objects.get(number="3103")
        bulk = StatisticValue.objects.series_for_many([moss])[moss.pk]
        one = StatisticValue.objects.series_for(moss)
        assert [(s.indicator.code, s.values) for s in bulk] == [
            (s.indicator.code, s.values) for s in one
        ]

    def test_capacity_from_the_sent_in_profile(self, submission, skien_capacity):
        context = municipality_context(submission=submission, numbers=["4003", "4001"])
        assert (context["4003"].capacity, context["4003"].capacity_text) == (25, "25")
        assert context["4001"].capacity is None
        assert context["4001"].capacity_text == "profilen er ikke sendt inn"

    def test_page_shows_share_capacity_and_years(
        self,
        county_b,
        url,
        submission,
        counties,
        skien_statistics,
        skien_capacity,
        django_assert_max_num_queries,
    ):
        CountyShare.objects.create(round=submission.round, county=counties["40"], share=1500)
        with django_assert_max_num_queries(60):
            response = county_b.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        share = soup.select_one(".recommendation-context__share").get_text(" ", strip=True)
        assert "for 2027" in share and f"1{THIN}500" in share
        row = soup.select_one(f"#recommendations-{row_index(soup, '4003')}")
        assert row["data-capacity"] == "25"
        assert row.select_one(".recommendation-capacity").get_text(strip=True) == "25"
        history = row.select_one(".recommendation-history").get_text(" ", strip=True)
        assert "2023:" in history and "2026:" in history and "2022:" not in history
        assert "bosatt skjermet" in history
        assert soup.select_one("[data-sum-output]")["data-share"] == "1500"
        # The words of the typing script come from the page, translated.
        assert "negativt" in soup.select_one("[data-sum-output]")["data-msg-negative"]

    def test_query_count_does_not_grow_with_rows(
        self, county_b, url, submission, skien_statistics, django_assert_max_num_queries
    ):
        """Telemark's 17 rows cost the same as one would: the context is read in bulk."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            county_b.get(url)
        statistics = [q for q in queries if "register_statisticvalue" in q["sql"]]
        assert len(statistics) == 1

    def test_map_and_its_table_are_on_the_page(self, county_b, url, submission, skien_capacity):
        response = county_b.get(url)
        soup = BeautifulSoup(response.content, "html.parser")
        figure = soup.select_one("figure#kart-anbefaling-40")
        assert figure is not None
        regions = figure.select("a.geo-map__region")
        rows = figure.select("table[data-geo-map-table] tbody tr")
        assert len(regions) == len(rows) == 17
        assert figure.select_one("a.geo-map__skip")["href"] == "#kart-anbefaling-40-tabell"

    def test_another_county_cannot_open_the_page(self, client, users, url, submission):
        client.force_login(users["fylke_a"])
        assert client.get(url).status_code in (403, 404)


# ---------------------------------------------------------------------------------------------
# warnings (saved, not blocked) and refusals (nothing saved)


class TestSaving:
    def test_warnings_after_save_do_not_block(
        self, county_b, url, submission, counties, skien_capacity
    ):
        CountyShare.objects.create(round=submission.round, county=counties["40"], share=100)
        page = county_b.get(url).content.decode()
        soup = BeautifulSoup(page, "html.parser")
        data = form_data(page)
        data[f"recommendations-{row_index(soup, '4003')}-number"] = "30"
        data["save"] = "1"
        response = county_b.post(url, data, follow=True)
        assert saved(submission)[0] == [("4003", 30)]
        texts = [str(m) for m in response.context["messages"]]
        assert any(
            "Skien: anbefalt 30, over kapasiteten kommunen har oppgitt (25)" in t for t in texts
        )
        assert any("Summen er 70 under fylkets andel" in t for t in texts)

        # Without JavaScript the edit page shows the saved number's warnings.
        soup = BeautifulSoup(county_b.get(url).content, "html.parser")
        warning = soup.select_one(f"#recommendations-{row_index(soup, '4003')}-number_warning")
        assert not warning.has_attr("hidden")
        assert "Over kapasiteten kommunen har oppgitt (25)." in warning.text
        number = soup.select_one(f"#recommendations-{row_index(soup, '4003')}-number")
        assert warning["id"] in number["aria-describedby"].split()
        assert "Summen er 70 under" in soup.select_one("[data-sum-warning]").text

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("-5", "Tallet kan ikke være negativt."),
            ("5001", f"Tallet kan ikke være over 5{THIN}000."),
        ],
    )
    def test_refused_numbers_change_nothing(self, county_b, url, submission, typed, message):
        page = county_b.get(url).content.decode()
        soup = BeautifulSoup(page, "html.parser")
        data = form_data(page)
        skien = row_index(soup, "4003")
        data[f"recommendations-{row_index(soup, '4001')}-number"] = "10"
        data[f"recommendations-{skien}-number"] = typed
        data["save"] = "1"
        before = saved(submission)
        response = county_b.post(url, data)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        summary = soup.select_one("[data-error-summary]").get_text(" ", strip=True)
        assert f"Skien (4003), Anbefalt antall: {message}" in summary
        assert soup.select_one(f"#recommendations-{skien}-number")["value"] == typed
        assert saved(submission) == before

    def test_service_refuses_before_writing(self, submission, users):
        """The workbook import and any other caller meet the same rule in the service."""
        before = saved(submission)
        with pytest.raises(ValidationError) as refused:
            services.save_section(
                submission,
                "recommendations",
                [
                    {"municipality": "4001", "number": 10, "justification": ""},
                    {"municipality": "4003", "number": -3, "justification": ""},
                ],
                users["fylke_b"],
                base_edit_id=services.latest_edit_ids(submission).get("recommendations"),
            )
        assert "Kommune 4003, anbefalt antall: Tallet kan ikke være negativt." in str(
            refused.value.messages
        )
        assert saved(submission) == before


class TestApi:
    @pytest.mark.parametrize(
        ("number", "message"),
        [(-1, "Tallet kan ikke være negativt."), (5001, f"kan ikke være over 5{THIN}000")],
    )
    def test_refused_with_norwegian_message(self, submission, users, number, message):
        client = APIClient()
        client.force_authenticate(users["fylke_b"])
        url = f"/api/v1/county-submissions/{submission.pk}/"
        bases = client.get(url).json()["base_edits"]
        before = saved(submission)
        response = client.patch(
            url,
            {
                "sections": {"recommendations": [{"municipality": "4003", "number": number}]},
                "base_edits": {"recommendations": bases.get("recommendations")},
            },
            format="json",
        )
        assert response.status_code == 400
        assert message in json.dumps(response.json(), ensure_ascii=False)
        assert saved(submission) == before


class TestRule:
    def test_bounds(self):
        assert recommendations.number_problem(None) is None
        assert recommendations.number_problem(0) is None
        assert recommendations.number_problem(recommendations.MAX_RECOMMENDED) is None
        assert "negativt" in recommendations.number_problem(-1)
        assert "over" in recommendations.number_problem(recommendations.MAX_RECOMMENDED + 1)
        assert "heltall" in recommendations.number_problem(True)

    def test_warnings(self):
        rows = [
            {"municipality": "4003", "number": 30},
            {"municipality": "4001", "number": 10},
            {"municipality": "4005", "number": None},
        ]
        found = recommendations.warnings_for(
            rows=rows, capacities={"4003": 25, "4001": 10}, share=40, names={"4003": "Skien"}
        )
        assert [(w.kind, w.municipality) for w in found] == [("over_capacity", "4003")]
        found = recommendations.warnings_for(rows=rows, capacities={}, share=1000)
        assert [w.message for w in found] == [
            f"Summen er 960 under fylkets andel av det nasjonale behovet (1{THIN}000)."
        ]
        assert recommendations.warnings_for(rows=rows, capacities={}, share=None) == []
