"""The statistics import in the Wagtail admin: upload → preview (nothing written) → confirm.
Administrators only; refused from every other side."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.register.models import Indicator, StatisticValue
from portal.register.statistics_admin import SESSION_KEY

IMPORT_URL = "/admin/statistikk/import/"
CONFIRM_URL = "/admin/statistikk/import/bekreft/"

GOOD = "\n".join(
    [
        "Region;Navn;Bosetting: Anmodning om bosetting;Bosetting: Vedtak om bosetting",
        ";;Enhet: Personer;Enhet: Personer",
        ";;År: 2022;År: 2022",
        "K3001;Halden;10;8",
        "K3011;Hvaler;.;:",
        "K9999;Uoppgitt kommune;1;1",
    ]
).encode("latin-1")
BAD = GOOD.replace(b"K3011;Hvaler;.;:", b"K3011;Hvaler;.;abc")


def upload(client, content=GOOD, name="bosatt_anmodede.csv", **data):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), **data})


def token_of(client):
    return client.session[SESSION_KEY]["token"]


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


@pytest.mark.django_db
class TestRefused:
    @pytest.mark.parametrize("who", ["imdi", "editor"])
    def test_other_admin_users_are_refused(self, client, users, who):
        # Wagtail turns the view's PermissionDenied into a redirect to the dashboard.
        client.force_login(users[who])
        for response in (
            client.get(IMPORT_URL),
            upload(client),
            client.post(CONFIRM_URL, {"token": "x"}),
        ):
            assert (response.status_code, response.url) == (302, "/admin/")
        assert SESSION_KEY not in client.session
        assert not StatisticValue.objects.exists()

    def test_imdi_officer_cannot_confirm_an_administrators_upload(self, client, users):
        client.force_login(users["admin"])
        upload(client)
        token = token_of(client)
        client.force_login(users["imdi"])  # a new session: the upload is not in it either
        assert client.post(CONFIRM_URL, {"token": token}).url == "/admin/"
        assert not StatisticValue.objects.exists()

    @pytest.mark.parametrize("who", ["fylke_a", "ks", "outsider"])
    def test_users_without_admin_access_are_sent_away(self, client, users, who):
        client.force_login(users[who])
        response = upload(client)
        assert response.status_code in {302, 403}
        assert not StatisticValue.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, register):
        response = client.get(IMPORT_URL)
        assert response.status_code == 302 and "login" in response.url

    def test_menu_item_only_for_administrators(self, client, users):
        client.force_login(users["imdi"])
        assert IMPORT_URL not in client.get("/admin/").content.decode()
        client.force_login(users["admin"])
        assert IMPORT_URL in client.get("/admin/").content.decode()


@pytest.mark.django_db
class TestImport:
    def test_form(self, admin_client):
        html = admin_client.get(IMPORT_URL).content.decode()
        assert "Importer statistikk fra IMDi" in html
        assert 'enctype="multipart/form-data"' in html
        assert "Fylkesnummer (valgfritt)" in html

    def test_preview_writes_nothing_then_confirm_imports(self, admin_client):
        response = upload(admin_client)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Forhåndsvisning av bosatt_anmodede.csv" in html
        assert "Ingenting er lagret ennå." in html
        assert "Linje 6: K9999 Uoppgitt kommune – SSBs kode for uoppgitt kommune" in html
        assert "Importer 4 nye og 0 endrede verdier" in html
        assert not StatisticValue.objects.exists() and not Indicator.objects.exists()

        response = admin_client.post(CONFIRM_URL, {"token": token_of(admin_client)}, follow=True)
        assert "Importert bosatt_anmodede.csv: 4 nye, 0 endrede og 0 uendrede" in (
            response.content.decode()
        )
        assert StatisticValue.objects.count() == 4
        assert SESSION_KEY not in admin_client.session

    def test_preview_of_a_repeated_file_shows_no_changes(self, admin_client):
        upload(admin_client)
        admin_client.post(CONFIRM_URL, {"token": token_of(admin_client)})
        html = upload(admin_client).content.decode()
        assert "Filen gir ingen endringer" in html
        assert "Importer 0 nye" not in html

    def test_a_token_works_once(self, admin_client):
        upload(admin_client)
        token = token_of(admin_client)
        admin_client.post(CONFIRM_URL, {"token": token})
        StatisticValue.objects.all().delete()
        response = admin_client.post(CONFIRM_URL, {"token": token}, follow=True)
        assert "Fant ikke opplastingen" in response.content.decode()
        assert not StatisticValue.objects.exists()

    def test_a_wrong_token_imports_nothing(self, admin_client):
        upload(admin_client)
        response = admin_client.post(CONFIRM_URL, {"token": "gjettet"}, follow=True)
        assert "Fant ikke opplastingen" in response.content.decode()
        assert not StatisticValue.objects.exists()

    def test_the_confirmed_bytes_are_the_previewed_ones(self, admin_client):
        upload(admin_client)
        token = token_of(admin_client)
        # The browser may post anything alongside the token; only the stored upload counts.
        admin_client.post(
            CONFIRM_URL,
            {"token": token, "file": SimpleUploadedFile("x.csv", BAD), "county": "03"},
        )
        assert StatisticValue.objects.filter(municipality__number="3001").count() == 2

    def test_cancel(self, admin_client):
        upload(admin_client)
        response = admin_client.post(
            CONFIRM_URL, {"token": token_of(admin_client), "cancel": "1"}, follow=True
        )
        assert "Importen er avbrutt" in response.content.decode()
        assert SESSION_KEY not in admin_client.session
        assert not StatisticValue.objects.exists()

    def test_expired_upload(self, admin_client):
        upload(admin_client)
        session = admin_client.session
        session[SESSION_KEY]["uploaded"] -= 3 * 60 * 60
        session.save()
        response = admin_client.post(CONFIRM_URL, {"token": token_of(admin_client)}, follow=True)
        assert "Opplastingen er utløpt" in response.content.decode()
        assert not StatisticValue.objects.exists()

    def test_a_bad_file_shows_the_line_and_cannot_be_confirmed(self, admin_client):
        response = upload(admin_client, BAD)
        html = response.content.decode()
        assert "Filen bosatt_anmodede.csv ble ikke importert" in html
        assert "linje 5, kolonne D (K3011 Hvaler, Vedtak om bosetting, personer, 2022)" in html
        assert "«abc» er ikke et tall" in html
        assert 'name="token"' not in html
        assert SESSION_KEY not in admin_client.session
        assert not StatisticValue.objects.exists()

    def test_county_is_used_for_named_files(self, admin_client):
        content = "Kommune,År,Kategori,Antall\nHerøy,2021-01-01,Anmodning om bosetting,4.0\n"
        html = upload(admin_client, content.encode(), name="heroy.csv").content.decode()
        assert "«Herøy» er flertydig" in html
        upload(admin_client, content.encode(), name="heroy.csv", county="18")
        admin_client.post(CONFIRM_URL, {"token": token_of(admin_client)})
        assert StatisticValue.objects.get().municipality.number == "1818"

    def test_bad_county_field(self, admin_client):
        html = upload(admin_client, county="Telemark").content.decode()
        assert "Skriv fylkesnummeret med to sifre" in html
        assert SESSION_KEY not in admin_client.session


@pytest.mark.django_db
def test_indicators_in_wagtail_are_read_mostly(admin_client):
    upload(admin_client)
    admin_client.post(CONFIRM_URL, {"token": token_of(admin_client)})
    indicator = Indicator.objects.get(code="anmodning")
    listing = admin_client.get("/admin/snippets/register/indicator/")
    assert listing.status_code == 200 and "anmodning" in listing.content.decode()
    assert admin_client.get("/admin/snippets/register/indicator/add/").status_code in {302, 403}
    edit = f"/admin/snippets/register/indicator/edit/{indicator.pk}/"
    response = admin_client.post(
        edit,
        {
            "code": "endret",
            "name": "Endret",
            "unit": "percent",
            "source": "IMDi",
            "description": "Ny tekst.",
            "position": "1",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.code, indicator.name, indicator.unit) == (
        "anmodning",
        "Anmodning om bosetting",
        "persons",
    )
    assert indicator.description == "Ny tekst."
