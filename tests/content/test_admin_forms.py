"""The Wagtail editor opens for every page type, with Norwegian labels and help texts."""

import pytest

from portal.register.models import County


@pytest.mark.parametrize(
    ("model", "parent", "expected"),
    [
        ("guidancepage", "guidance_index", "Dokumentlenke"),
        ("meetingpage", "meeting_index", "Påkrevd for samarbeidsmøter med fylket"),
        ("minutespage", "meeting", "Kommuner referatet gjelder"),
    ],
)
def test_create_forms_open(client, users, tree, model, parent, expected):
    client.force_login(users["editor"])
    parent_page = tree["meetings"][1] if parent == "meeting" else tree[parent]
    response = client.get(f"/admin/pages/add/content/{model}/{parent_page.pk}/")
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_edit_forms_open(client, users, tree):
    client.force_login(users["editor"])
    for page in (tree["home"], tree["guidance"], tree["meetings"][1], tree["minutes"]):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_meeting_form_offers_only_current_counties(client, users, tree):
    County.objects.create(number="99", name="Nedlagt fylke", valid_to="2019-12-31")
    client.force_login(users["editor"])
    response = client.get(f"/admin/pages/add/content/meetingpage/{tree['meeting_index'].pk}/")
    html = response.content.decode()
    for county in County.objects.all():
        offered = f'<option value="{county.pk}">' in html
        assert offered == (county.valid_to is None), county
