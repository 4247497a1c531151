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
    skjemas = [fn for fn in registered if fn.__module__ == panels.__name__]
    assert skjemas == [panels.municipality_profiles, panels.minutes_for_municipality]
    # skjema's come first; the apps above (placement's capacity, the register's map) follow
    assert registered.index(panels.municipality_profiles) < len(skjemas)


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
        return extensions.Column("Testkolonne", {key: f"Test {len(key)} av 20" for key in keys})

    extensions.register(extensions.ROUND_DASHBOARD)(free_places)
    try:
        client.force_login(users["imdi"])
        html = client.get(reverse("skjema:round-overview", args=[opened.year])).content.decode()
    finally:
        extensions.unregister(extensions.ROUND_DASHBOARD, free_places)
    assert '<th scope="col">Testkolonne</th>' in html
    assert html.count("<td>Test 2 av 20</td>") == 15  # one cell per county of the round
    client.force_login(users["imdi"])
    html = client.get(reverse("skjema:round-overview", args=[opened.year])).content.decode()
    assert "Testkolonne" not in html


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


def test_unknown_points_and_wrong_results_are_refused(rf, register):
    from django.contrib.auth.models import AnonymousUser

    from portal.register.models import Municipality

    with pytest.raises(ValueError, match="Ukjent utvidelsespunkt"):
        extensions.register("municipality_pgae")

    def wrong(*, request, municipality):
        return "<p>not a panel</p>"

    request = rf.get("/kommuner/4003/")
    request.user = AnonymousUser()
    municipality = Municipality.objects.get(number="4003")
    before = len(
        extensions.panels(extensions.MUNICIPALITY_PAGE, request=request, municipality=municipality)
    )
    assert before >= 2  # skjema's two, and whatever the apps above add
    extensions.register(extensions.MUNICIPALITY_PAGE)(wrong)
    try:
        with pytest.raises(TypeError, match="wrong ga str, ikke Panel"):
            extensions.panels(
                extensions.MUNICIPALITY_PAGE, request=request, municipality=municipality
            )
    finally:
        extensions.unregister(extensions.MUNICIPALITY_PAGE, wrong)
    assert (
        len(
            extensions.panels(
                extensions.MUNICIPALITY_PAGE, request=request, municipality=municipality
            )
        )
        == before
    )
