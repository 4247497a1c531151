"""Norwegian login and logout pages."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestLogin:
    def test_login_page_is_norwegian(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'lang="nb"' in html
        assert "Logg inn" in html and "Brukernavn" in html and "Passord" in html

    def test_wrong_password_gets_norwegian_error_and_no_session(self, client, users):
        response = client.post(reverse("login"), {"username": "imdi-test", "password": "feil"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Innloggingen mislyktes" in html
        assert "oppgi korrekt brukernavn og passord" in html
        assert "_auth_user_id" not in client.session

    def test_login_and_logout(self, client, users):
        response = client.post(
            reverse("login"), {"username": "fylke-a", "password": "pw", "next": "/kommuner/"}
        )
        assert response.status_code == 302
        assert response.url == "/kommuner/"
        assert client.session["_auth_user_id"] == str(users["fylke_a"].pk)
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_login_refuses_external_next(self, client, users):
        response = client.post(
            reverse("login"),
            {"username": "fylke-a", "password": "pw", "next": "https://evil.example/"},
        )
        assert response.status_code == 302
        assert response.url == "/"
