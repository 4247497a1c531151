"""The search page: who may use it, filters, facets, sorting, paging, highlighted reasons,
bad input, the plain notice when Elasticsearch is down, Wagtail's page search as its own
group, accessible markup, and a fixed number of queries whatever the number of hits."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from skjema import services
from skjema.models import MunicipalityProfile
from sok import bench
from sok.index import rebuild_database_index
from tests.skjema.conftest import OFFER, fill_profile

pytestmark = pytest.mark.django_db

URL = "/sok/"


@pytest.fixture
def indexed(search_data, database_backend):
    rebuild_database_index()
    return search_data


def get(client, user, query="", **kwargs):
    if user is not None:
        client.force_login(user)
    return client.get(URL + (f"?{query}" if query else ""), **kwargs)


def found(response) -> list[str]:
    """Municipality numbers of the hits, in order (from the anchors of the result list)."""
    return [hit.number for hit in response.context["hits"]]


class Markup(HTMLParser):
    """Ids, h1 count, form controls and labels of a page."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.h1 = 0
        self.controls: list[dict] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append(attrs)


def markup(response) -> Markup:
    parser = Markup()
    parser.feed(response.content.decode())
    return parser


# ---------------------------------------------------------------------------------------------
# who may search


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["editor", "outsider"])
def test_roles_without_search_are_refused(client, users, role):
    assert get(client, users[role]).status_code == 403


@pytest.mark.parametrize("role", ["imdi", "ks", "admin", "fylke_a", "fylke_b"])
def test_readers_of_submitted_profiles_search_every_county_but_never_drafts(
    client, users, indexed, role
):
    response = get(client, users[role], "sort=name")
    assert response.status_code == 200
    # Oslo (county A, returned), Telemark's submitted and accepted ones (county B).
    assert found(response) == ["4012", "0301", "4001", "4003"]
    assert "Notodden" not in response.content.decode()  # 4005 is a draft


# ---------------------------------------------------------------------------------------------
# searching


def test_free_text_finds_and_explains(client, users, indexed):
    response = get(client, users["imdi"], "q=helse")
    html = response.content.decode()
    assert set(found(response)) == {"4003", "0301"}
    assert "Hvorfor treff:" in html
    assert "<mark>Helsefagarbeidere</mark>" in html
    assert '<a href="/kommuner/4003/">Skien</a>' in html


def test_profile_text_is_escaped_in_highlights(client, users, indexed):
    profile = MunicipalityProfile.objects.get(round=indexed, municipality__number="4005")
    fill_profile(
        profile,
        users["fylke_b"],
        qualification=[{**OFFER, "description": "<script>alert(1)</script> helsefag for alle"}],
    )
    services.submit(profile, users["fylke_b"])
    rebuild_database_index()  # the workflow signals fire after commit, never inside a test
    html = get(client, users["imdi"], "q=helsefag").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>helsefag</mark>" in html


def test_filters_facets_and_checked_boxes(client, users, indexed):
    response = get(client, users["ks"], "county=40&takes_minors=no")
    assert set(found(response)) == {"4001", "4012"}
    html = response.content.decode()
    assert 'name="county" value="40" id="f-county-1" checked' in html
    # Counts are those of the filtered result: both are submitted, neither takes minors.
    assert 'Sendt inn <span class="facet-count">(2<span class="visually-hidden"> treff' in html
    assert 'Nei <span class="facet-count">(2' in html
    occupations = {
        o.value: o for g in response.context["groups"] for o in g.options if g.name == "occupation"
    }
    assert occupations["71"].count == 1 and occupations["71"].label == "Byggearbeidere"
    # A chosen group still offers its other values, counted with the other filters: «Ja»
    # counts Skien in Telemark; Oslo takes minors, so with «Nei» chosen no other county has hits.
    counties = {
        o.value: o for g in response.context["groups"] for o in g.options if g.name == "county"
    }
    assert (counties["40"].count, counties["40"].selected) == (2, True)
    assert "03" not in counties
    minors = {
        o.value: o.count
        for g in response.context["groups"]
        for o in g.options
        if g.name == "takes_minors"
    }
    assert minors == {"yes": 1, "no": 2}


def test_occupation_select_and_code_field_share_the_parameter(client, users, indexed):
    response = get(client, users["imdi"], "occupation=5&occupation=")
    assert found(response) == ["4003"]
    html = response.content.decode()
    assert '<select name="occupation" id="id_occupation" multiple' in html
    assert (
        '<input type="text" class="input--code" name="occupation" id="id_occupation_code"' in html
    )


def test_sort_and_pagination(client, users, indexed):
    first = get(client, users["imdi"], "sort=capacity&page_size=2")
    assert found(first) == ["0301", "4003"]
    html = first.content.decode()
    assert "<strong>4</strong> kommuneprofiler i runden 2027, viser 1–2." in html
    assert 'href="?sort=capacity&amp;page_size=2&amp;page=2" rel="next"' in html
    second = get(client, users["imdi"], "sort=capacity&page_size=2&page=2")
    assert found(second) == ["4001", "4012"]
    assert 'rel="prev"' in second.content.decode()
    beyond = get(client, users["imdi"], "sort=capacity&page_size=2&page=9")
    assert beyond.status_code == 200 and found(beyond) == []
    assert "Ingen treff på side 9" in beyond.content.decode()


def test_round_defaults_to_the_newest_with_profiles(client, users, indexed):
    response = get(client, users["imdi"])
    assert response.context["query"].round_year == 2027
    assert '<option value="2027" selected>2027</option>' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "Sidetallet må være et helt tall"),
        ("capacity_min=-5", "Kapasitet må være et helt tall, 0 eller mer."),
        ("sort=foo", "Ukjent sortering «foo»"),
        ("round=xyz", "Runden må være et årstall"),
        ("county=99", "Ukjent fylkesnummer: «99»"),
        ("q=" + "x" * 10_000, "høyst 500 tegn"),
    ],
)
def test_bad_input_is_explained_on_the_page(client, users, indexed, query, message):
    response = get(client, users["imdi"], query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="feiloppsummering"' in html and message in html
    assert response.context.get("hits") is None


def test_valid_choices_survive_an_error_elsewhere(client, users, indexed):
    html = get(
        client, users["imdi"], "county=40&sort=name&capacity_min=-5&q=helse"
    ).content.decode()
    assert 'name="county" value="40" id="f-county-1" checked' in html
    assert '<option value="name" selected>' in html
    assert 'value="helse"' in html and 'value="-5"' in html


def test_a_round_without_profiles_is_kept_selected(client, users, indexed):
    response = get(client, users["imdi"], "round=2026")
    assert found(response) == []
    assert '<option value="2026" selected>2026</option>' in response.content.decode()


@pytest.mark.parametrize("text", ["%00%07helse", "%22(unclosed+AND+OR+*+%3F+~+%5E+%5B", "æøå+ÆØÅ"])
def test_absurd_text_never_fails(client, users, indexed, text):
    assert get(client, users["imdi"], f"q={text}").status_code == 200


# ---------------------------------------------------------------------------------------------
# Elasticsearch down


def test_unreachable_elasticsearch_gives_a_plain_notice_and_database_results(
    client, users, indexed, settings
):
    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    response = get(client, users["imdi"], "q=helse")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="callout callout--warning sok-degraded" role="status">' in html
    assert "Søkemotoren er midlertidig utilgjengelig. Resultatene kommer fra reservesøket" in html
    assert set(found(response)) == {"4003", "0301"}
    assert response.context["result"].backend == "database"


def test_no_notice_when_the_engine_answers(client, users, indexed):
    html = get(client, users["imdi"], "q=helse").content.decode()
    assert "midlertidig utilgjengelig" not in html


# ---------------------------------------------------------------------------------------------
# guidance and minutes (Wagtail's page search)


@pytest.fixture
def guidance_tree(db):
    from portal.content.models import GuidanceIndexPage, GuidancePage, HomePage

    cache.clear()  # Wagtail caches the site's root paths
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title="Bosettingsportalen", slug="sok-test-forside", intro="<p>Hei</p>")
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    index = home.add_child(instance=GuidanceIndexPage(title="Veiledning", slug="veiledning"))
    public = index.add_child(
        instance=GuidancePage(
            title="Slik beskriver dere kvalifiseringstilbud",
            slug="kvalifiseringstilbud",
            body=[{"type": "paragraph", "value": "<p>Skriv om sjøsprøytkurs og fagbrev.</p>"}],
        )
    )
    secret = index.add_child(
        instance=GuidancePage(
            title="Intern rutine for sjøsprøytkurs",
            slug="intern-rutine",
            body=[{"type": "paragraph", "value": "<p>Bare for IMDi: sjøsprøytkurs.</p>"}],
        )
    )
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="IMDi")])
    yield {"public": public, "secret": secret}
    cache.clear()


def test_guidance_pages_are_a_group_of_their_own(client, users, indexed, guidance_tree):
    response = get(client, users["ks"], "q=sjøsprøytkurs")
    html = response.content.decode()
    assert '<h2 id="sider">Veiledning og referater</h2>' in html
    titles = [page.title for page in response.context["pages"]]
    assert titles == ["Slik beskriver dere kvalifiseringstilbud"]  # not the IMDi-only page
    assert f'href="{guidance_tree["public"].url}"' in html
    assert "Veiledningsside" in html
    assert found(response) == []  # and no municipality profile mentions it


def test_restricted_pages_are_found_by_their_group(client, users, indexed, guidance_tree):
    response = get(client, users["imdi"], "q=sjøsprøytkurs")
    titles = {page.title for page in response.context["pages"]}
    assert titles == {"Slik beskriver dere kvalifiseringstilbud", "Intern rutine for sjøsprøytkurs"}


def test_no_page_group_without_free_text(client, users, indexed, guidance_tree):
    html = get(client, users["imdi"], "county=40").content.decode()
    assert "Veiledning og referater" not in html


# ---------------------------------------------------------------------------------------------
# markup


@pytest.mark.parametrize("query", ["", "q=helse&county=40", "page=abc"])
def test_one_h1_unique_ids_and_a_label_for_every_control(client, users, indexed, query):
    page = markup(get(client, users["imdi"], query))
    assert page.h1 == 1
    assert len(page.ids) == len(set(page.ids)), sorted(i for i in page.ids if page.ids.count(i) > 1)
    for control in page.controls:
        assert control.get("id") in page.label_for, control


# ---------------------------------------------------------------------------------------------
# bounded queries


def _count_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return len(queries)


def test_queries_are_bounded_whatever_the_number_of_hits(
    client, users, database_backend, django_assert_max_num_queries, extensions_only_from
):
    """Seeded synthetic profiles (the benchmark's generator): the same number of queries for
    a handful of hits as for fifty, with free text, filters and every facet."""
    client.force_login(users["imdi"])
    query = "q=helse+bygg&sort=relevance&page_size=50"
    bench.seed(users["imdi"], rounds=[2031], municipalities=8)
    rebuild_database_index()
    client.get(f"{URL}?{query}")  # warm the cached register names and rounds
    few = _count_queries(client, query)
    bench.seed(users["imdi"], rounds=[2032], municipalities=80, seed_value=7)
    rebuild_database_index()
    query = query.replace("q=", "round=2032&q=")
    client.get(f"{URL}?{query}")  # the rebuild dropped the cached rounds
    many = _count_queries(client, query)
    assert len(get(client, None, query).context["hits"]) > 20
    assert many == few
    extensions_only_from("sok", "skjema", "portal")  # placement bounds its column itself
    # 12 for the page, 3 for the map's search of every hit (sok.maps.all_hits).
    with django_assert_max_num_queries(15):
        client.get(f"{URL}?{query}&county=46&occupation=5&programme=HS")
