"""Administrators manage users with their role and county in the Wagtail admin."""

import pytest

from portal.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "username": "ny-fylke",
        "email": "ny@bosetting.example",
        "first_name": "Ny",
        "last_name": "Bruker",
        "password1": "et-langt-passord-123",
        "password2": "et-langt-passord-123",
        "role": Role.COUNTY_OFFICER,
        "county": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_county_officer(client, users, counties):
    client.force_login(users["admin"])
    page = client.get("/admin/users/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="role"' in html and 'name="county"' in html
    response = client.post("/admin/users/new/", _form(county=counties["40"].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="ny-fylke")
    assert user.county == counties["40"] and user.role == Role.COUNTY_OFFICER
    assert user.groups.filter(name="Fylkeskommune").exists()


def test_county_officer_without_county_is_refused(client, users):
    client.force_login(users["admin"])
    response = client.post("/admin/users/new/", _form())
    assert response.status_code == 200
    assert "Velg fylket saksbehandleren hører til." in response.content.decode()
    assert not User.objects.filter(username="ny-fylke").exists()


@pytest.mark.parametrize("who", ["fylke_a", "ks", "outsider"])
def test_users_without_admin_access_are_refused(client, users, who):
    client.force_login(users[who])
    response = client.get("/admin/users/new/")
    assert response.status_code in (302, 403)
    assert not response.headers.get("Location", "").startswith("/admin/users")


@pytest.mark.parametrize("who", ["imdi", "editor"])
def test_staff_without_user_permission_cannot_manage_users(client, users, who):
    client.force_login(users[who])
    response = client.post("/admin/users/new/", _form(role=Role.ADMINISTRATOR))
    assert response.status_code in (302, 403)
    assert not User.objects.filter(username="ny-fylke").exists()


def test_admin_changes_role_and_county(client, users, counties):
    client.force_login(users["admin"])
    officer = users["fylke_a"]
    page = client.get(f"/admin/users/edit/{officer.pk}/")
    assert 'name="county"' in page.content.decode()
    response = client.post(
        f"/admin/users/edit/{officer.pk}/",
        {
            "username": officer.username,
            "email": "fylke-a@bosetting.example",
            "first_name": "A",
            "last_name": "B",
            "is_active": "on",
            "role": Role.COUNTY_OFFICER,
            "county": counties["40"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.county == counties["40"]
