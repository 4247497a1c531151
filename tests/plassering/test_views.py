"""The placement pages: IMDi only (county officers, KS, editors 403; households 403/404
everywhere), the household form (protected fields refused), the ranking page and the choice
(a reason outside the top 3), capacity import with preview and confirm, allocations and
batches, and the administrators' statistics. Query counts are bounded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from plassering import services
from plassering.models import (
    Allocation,
    Capacity,
    Household,
    HouseholdAccess,
    PlacementChoice,
    Ranking,
)
from portal.register.models import Municipality

pytestmark = pytest.mark.django_db

HOUSEHOLD_POST = {
    "case_reference": "26/0042",
    "adult0_present": "on",
    "adult0_occupations": "7212",
    "adult0_education_level": "upper_secondary",
    "adult1_present": "on",
    "adult1_occupations": "2221",
    "adult1_education_level": "higher",
    "children_ages": "4, 9, 15",
    "connection_municipality": "4003",
}


@pytest.fixture
def household(placement_round, users):
    return services.save_household(
        {
            "case_reference": "26/0001",
            "adults": [
                {"occupations": ["7212"], "education_level": "upper_secondary"},
                {"occupations": ["2221"], "education_level": "higher"},
            ],
            "children_ages": [4, 9],
        },
        by=users["imdi"],
    )


def pages(household):
    return [
        "/plassering/",
        "/plassering/2027/kapasitet/",
        "/plassering/2027/kapasitet/4003/",
        "/plassering/2027/kapasitet/import/",
        "/plassering/husholdninger/",
        "/plassering/husholdninger/ny/",
        f"/plassering/husholdninger/{household.pk}/",
        f"/plassering/husholdninger/{household.pk}/rangering/?runde=2027",
        "/plassering/2027/tildelinger/",
        "/plassering/2027/fordeling/",
        "/plassering/statistikk/",
    ]


@pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "ks", "editor", "outsider"])
def test_other_roles_are_refused_everywhere(client, users, household, who):
    client.force_login(users[who])
    for url in pages(household):
        response = client.get(url)
        assert response.status_code == 403, url
        assert household.case_reference not in response.content.decode()
    assert not HouseholdAccess.objects.filter(action="view").exists()


def test_anonymous_is_sent_to_login(client, household):
    for url in pages(household):
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_households_are_not_in_any_admin(client, users, household):
    client.force_login(users["editor"])
    assert client.get("/django-admin/plassering/household/").status_code in (302, 403, 404)
    client.force_login(users["admin"])
    assert client.get("/django-admin/plassering/household/").status_code == 404


def test_imdi_sees_every_page(client, users, household, django_assert_max_num_queries):
    client.force_login(users["imdi"])
    for url in pages(household)[:-1]:
        with django_assert_max_num_queries(40):
            response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/plassering/statistikk/").status_code == 403  # administrators only
    client.force_login(users["admin"])
    assert client.get("/plassering/statistikk/").status_code == 200


def test_household_form_creates_and_logs(client, users, placement_round):
    client.force_login(users["imdi"])
    response = client.post("/plassering/husholdninger/ny/", HOUSEHOLD_POST)
    assert response.status_code == 302
    household = Household.objects.get(case_reference="26/0042")
    assert household.persons == 5
    assert [a.occupations for a in household.adults.all()] == [["7212"], ["2221"]]
    assert household.connection_municipality.number == "4003"
    client.get(f"/plassering/husholdninger/{household.pk}/")
    assert set(
        HouseholdAccess.objects.filter(household_id_value=household.pk).values_list(
            "action", flat=True
        )
    ) == {"create", "view"}


@pytest.mark.parametrize("key", ["nationality", "adult0_gender", "religion", "adult1_language"])
def test_household_form_refuses_protected_fields(client, users, placement_round, key):
    client.force_login(users["imdi"])
    response = client.post("/plassering/husholdninger/ny/", {**HOUSEHOLD_POST, key: "x"})
    assert response.status_code == 400
    assert "kan ikke registreres" in response.content.decode()
    assert not Household.objects.exists()


def test_household_form_explains_bad_input(client, users, placement_round):
    client.force_login(users["imdi"])
    response = client.post(
        "/plassering/husholdninger/ny/",
        {**HOUSEHOLD_POST, "children_ages": "fire", "adult0_occupations": "99"},
    )
    assert response.status_code == 400
    assert "hele tall" in response.content.decode()
    assert not Household.objects.exists()


def test_ranking_page_shows_reasons_sources_and_excluded(
    client, users, household, django_assert_max_num_queries
):
    client.force_login(users["imdi"])
    with django_assert_max_num_queries(31):  # 30 + the header badge
        response = client.get(f"/plassering/husholdninger/{household.pk}/rangering/?runde=2027")
    page = response.content.decode()
    assert '1. <a href="/kommuner/4003/">Skien</a>' in page
    assert "Ledig 20 av 20" in page
    assert "/kommuner/4003/#profil-labour" in page
    assert "ønsker ikke å bosette" in page  # Notodden, excluded with its reason
    assert "mangler data" in page
    ranking = Ranking.objects.get()
    assert ranking.household == household and ranking.weights.version == 1


def test_what_if_weights(client, users, household):
    client.force_login(users["imdi"])
    url = f"/plassering/husholdninger/{household.pk}/rangering/?runde=2027&w_balance=1&w_work=0"
    response = client.get(url)
    assert "Egne vekter" in response.content.decode()
    assert Ranking.objects.get().custom_weights["balance"] == 1.0


def test_choice_outside_top_3_needs_a_reason(client, users, household):
    client.force_login(users["imdi"])
    ranking, _result = services.make_ranking(
        household_round(),
        services.spec_from_household(household),
        by=users["imdi"],
        household=household,
    )
    ranking.results = [["4001", 0.9], ["4010", 0.8], ["4012", 0.7], ["4003", 0.6]]
    ranking.save()
    url = f"/plassering/husholdninger/{household.pk}/velg/"
    response = client.post(url, {"ranking": ranking.pk, "municipality": "4003"}, follow=True)
    assert "ikke blant de tre øverste" in response.content.decode()
    assert not Allocation.objects.exists() and not PlacementChoice.objects.exists()
    response = client.post(url, {"ranking": ranking.pk, "municipality": "4001"})
    assert response.status_code == 302
    choice = PlacementChoice.objects.get()
    assert choice.in_top_3 and choice.position == 1 and choice.reason == ""
    assert choice.allocation.persons == 4 and choice.allocation.status == "proposed"


def household_round():
    from skjema.models import Round

    return Round.objects.get(year=2027)


def test_override_with_reason_is_logged_and_counted(client, users, household):
    ranking, _result = services.make_ranking(
        household_round(),
        services.spec_from_household(household),
        by=users["imdi"],
        household=household,
    )
    ranking.results = [["4001", 0.9], ["4012", 0.8], ["4014", 0.7], ["4003", 0.6]]
    ranking.save()
    client.force_login(users["imdi"])
    client.post(
        f"/plassering/husholdninger/{household.pk}/velg/",
        {"ranking": ranking.pk, "municipality": "4003", "reason": "Nær familie"},
    )
    choice = PlacementChoice.objects.get()
    assert (choice.in_top_3, choice.position, choice.reason) == (False, 4, "Nær familie")
    client.force_login(users["admin"])
    page = client.get("/plassering/statistikk/").content.decode()
    assert "Nær familie" in page


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("vedtak.xlsx", buffer.getvalue())


def test_capacity_import_previews_then_saves_everything(client, users, placement_round):
    client.force_login(users["imdi"])
    url = "/plassering/2027/kapasitet/import/"
    upload = xlsx(
        [
            [
                "Kommunenummer",
                "Vedtak",
                "Enslige mindreårige under 15",
                "Enslige mindreårige 15–18",
                "Vedtaksdato",
                "Kilde",
            ],
            ["4001", 12, 0, 2, "12.10.2026", "Sak 41/26"],
            ["4012", 5, None, None, None, ""],
        ]
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Forhåndsvisning" in response.content.decode()
    assert not Capacity.objects.filter(municipality__number="4001").exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    porsgrunn = Capacity.objects.get(municipality__number="4001")
    assert (porsgrunn.decided, porsgrunn.decided_minors_15_18, porsgrunn.source) == (
        12,
        2,
        "Sak 41/26",
    )


def test_capacity_import_refuses_numbers_as_municipality_codes(client, users, placement_round):
    client.force_login(users["imdi"])
    upload = xlsx([["Kommunenummer", "Vedtak"], [301, 12], ["4001", -1]])
    response = client.post("/plassering/2027/kapasitet/import/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "må være tekst med fire sifre" in page and "helt tall" in page
    assert "Ingenting er lagret" in page
    assert client.post("/plassering/2027/kapasitet/import/", {"confirm": "1"}).status_code == 302
    assert not Capacity.objects.filter(municipality__number="4001").exists()


def test_capacity_edit_page(client, users, placement_round):
    client.force_login(users["imdi"])
    response = client.post(
        "/plassering/2027/kapasitet/4003/",
        {"decided": 3, "decided_minors_under_15": 0, "decided_minors_15_18": 4},
    )
    assert response.status_code == 200
    assert "kan ikke være flere" in response.content.decode()
    assert Capacity.objects.get(municipality__number="4003").decided == 20


def test_allocation_transitions_on_the_page(client, users, placement_round, household):
    client.force_login(users["imdi"])
    allocation = services.propose_allocation(
        placement_round,
        Municipality.objects.get(number="4003"),
        persons=4,
        case_reference="26/0001",
        by=users["imdi"],
        household=household,
    )
    page = client.get("/plassering/2027/tildelinger/").content.decode()
    assert "26/0001" in page and "Kommunen har akseptert" in page
    client.post(f"/plassering/tildelinger/{allocation.pk}/decline/", {"reason": ""})
    allocation.refresh_from_db()
    assert allocation.status == "proposed"
    client.post(f"/plassering/tildelinger/{allocation.pk}/decline/", {"reason": "Ingen bolig"})
    allocation.refresh_from_db()
    assert allocation.status == "declined"


def test_batch_page_solves_and_confirms(client, users, placement_round):
    client.force_login(users["imdi"])
    households = [
        services.save_household(
            {"case_reference": f"26/{i}", "adults": [{"occupations": ["7212"]}]}, by=users["imdi"]
        )
        for i in range(4)
    ]
    response = client.post(
        "/plassering/2027/fordeling/", {"households": [str(h.pk) for h in households]}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Samlet poengsum" in page and "Tap" in page
    from plassering.models import BatchProposal

    proposal = BatchProposal.objects.exclude(municipality=None).first()
    client.post(f"{response['Location']}{proposal.pk}/bekreft/")
    proposal.refresh_from_db()
    assert proposal.allocation.status == "proposed"


def test_ranking_map_numbers_the_top_10_and_hatches_the_excluded(client, users, household):
    from bs4 import BeautifulSoup

    client.force_login(users["imdi"])
    response = client.get(f"/plassering/husholdninger/{household.pk}/rangering/?runde=2027")
    figure = BeautifulSoup(response.content, "html.parser").select_one("#kart-rangering")
    regions = {a["data-number"]: a for a in figure.select("a.geo-map__region")}
    rows = {tr["data-number"]: tr for tr in figure.select("table[data-geo-map-table] tbody tr")}
    assert set(regions) == set(rows)
    skien = regions["4003"]
    assert skien["aria-label"].startswith("Skien: nr. 1,") and "nr. 1" in skien["aria-label"]
    assert rows["4003"].find("td").get_text() == "1"  # the marker column
    notodden = regions["3808"] if "3808" in regions else regions["4005"]
    assert (
        "utelatt: " in notodden["aria-label"] and "ønsker ikke å bosette" in notodden["aria-label"]
    )
    number = notodden["data-number"]
    assert "ønsker ikke å bosette" in rows[number].get_text()
    for key, region in regions.items():
        assert region.find("path")["fill"] == rows[key].select_one("rect")["fill"], key
    assert figure.select_one("path.geo-map__hatch") is not None
    assert len(figure.select(".geo-map__markers text")) == min(
        10, len(response.context["result"].results)
    )
