"""Extension points (``portal.extensions``): the register's municipality page gets skjema's
panels from the registry, and an app above can add a column to the round dashboard and a
panel to the county's recommendations without the lower app importing it."""

import pytest
from django.urls import reverse

from portal import extensions
from skjema import panels, services

from .conftest import fill_profile

pytestmark = pytest.mark.django_db


def test_skjema_fills_the_municipality_page_through_the_registry():
    registered = extensions.providers(extensions.MUNICIPALITY_PAGE)
    assert registered[:2] == [panels.municipality_profiles, panels.minutes_for_municipality]


def test_municipality_page_shows_the_profile_panel(client, users, skien):
    fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    client.force_login(users["imdi"])
    response = client.get(reverse("register:municipality", args=["4003"]))
    html = response.content.decode()
    assert '<h2 id="profil-tittel">Kommuneprofil</h2>' in html
    assert "Historikk per runde" in html


def test_a_registered_column_shows_on_the_round_dashboard(client, users, opened):
    def free_places(*, request, keys, round_):
        assert round_ == opened
        return extensions.Column("Ledig", {key: f"Ledig {len(key)} av 20" for key in keys})

    extensions.register(extensions.ROUND_DASHBOARD)(free_places)
    try:
        client.force_login(users["imdi"])
        html = client.get(reverse("skjema:round-overview", args=[opened.year])).content.decode()
    finally:
        extensions.unregister(extensions.ROUND_DASHBOARD, free_places)
    assert '<th scope="col">Ledig</th>' in html
    assert html.count("<td>Ledig 2 av 20</td>") == 15  # one cell per county of the round
    client.force_login(users["imdi"])
    html = client.get(reverse("skjema:round-overview", args=[opened.year])).content.decode()
    assert "Ledig" not in html


def test_a_registered_panel_shows_with_the_county_recommendations(client, users, opened):
    def placement_panel(*, request, submission):
        return extensions.Panel(
            "extensions/text_panel.html", {"text": f"Plassering for {submission.county.name}"}
        )

    extensions.register(extensions.COUNTY_RECOMMENDATIONS)(placement_panel)
    try:
        client.force_login(users["fylke_b"])
        url = reverse("skjema:county-submission", args=[opened.year, "40"])
        html = client.get(url).content.decode()
    finally:
        extensions.unregister(extensions.COUNTY_RECOMMENDATIONS, placement_panel)
    assert "<p>Plassering for Telemark</p>" in html


def test_unknown_points_and_wrong_results_are_refused():
    with pytest.raises(ValueError, match="Ukjent utvidelsespunkt"):
        extensions.register("municipality_pgae")

    def wrong(*, request, municipality):
        return "<p>not a panel</p>"

    extensions.register(extensions.MUNICIPALITY_PAGE)(wrong)
    try:
        with pytest.raises(TypeError):
            extensions.panels(extensions.MUNICIPALITY_PAGE, request=None, municipality=None)
    finally:
        extensions.unregister(extensions.MUNICIPALITY_PAGE, wrong)
