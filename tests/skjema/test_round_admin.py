"""Rounds in the Wagtail admin and «Åpne runden»: IMDi and administrators manage them, everyone
else is refused, from the refused side."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import ROLE_GROUPS, Role
from skjema.models import CountyShare, MunicipalityProfile, Round, Submission
from skjema.signals_setup import ensure_round_permissions

from .conftest import make_round

pytestmark = pytest.mark.django_db

ROUNDS_URL = "/admin/runder/"
# What the Draftail editor posts for a rich text field.
CRITERIA = (
    '{"blocks":[{"key":"a","text":"Kriterier fra KD.","type":"unstyled","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)
SHARES_URL = "/admin/fylkesandeler/"


def group_codenames(role):
    group = Group.objects.get(name=ROLE_GROUPS[role])
    return set(
        group.permissions.filter(content_type__app_label="skjema").values_list(
            "codename", flat=True
        )
    )


class TestPermissionsAfterMigrate:
    def test_imdi_and_administrators_get_round_permissions(self, db):
        expected = {
            "add_round",
            "change_round",
            "add_countyshare",
            "change_countyshare",
            "delete_countyshare",
        }
        assert group_codenames(Role.IMDI_OFFICER) == expected
        assert group_codenames(Role.ADMINISTRATOR) == expected
        for role in (Role.EDITOR, Role.COUNTY_OFFICER, Role.KS_READER):
            assert group_codenames(role) == set()

    def test_is_idempotent(self, db):
        before = Permission.objects.count()
        ensure_round_permissions()
        ensure_round_permissions()
        assert Permission.objects.count() == before
        assert len(group_codenames(Role.IMDI_OFFICER)) == 5


class TestRoundAdmin:
    @pytest.mark.parametrize("who", ["imdi", "admin"])
    def test_imdi_and_admin_list_rounds(self, client, users, current_round, who):
        client.force_login(users[who])
        response = client.get(ROUNDS_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Bosetting 2027" in html
        assert reverse("skjema:open-round", args=[2027]) in html
        assert reverse("skjema:round-overview", args=[2027]) in html
        assert client.get(SHARES_URL).status_code == 200

    def test_imdi_officer_without_superuser_rights_creates_a_round(self, client, users, register):
        client.force_login(users["imdi"])
        response = client.post(
            ROUNDS_URL + "new/",
            {
                "year": "2028",
                "status": "planning",
                "title": "Bosetting 2028",
                "deadline": "2027-06-10 23:59",
                "national_need": "4500",
                "criteria": CRITERIA,
            },
        )
        assert response.status_code == 302
        created = Round.objects.get(year=2028)
        assert created.structure.code == "2024"
        assert created.status == Round.Status.PLANNING
        assert "Kriterier fra KD." in created.criteria

    def test_opening_by_editing_the_status_is_refused(self, client, users, current_round):
        client.force_login(users["imdi"])
        response = client.post(
            f"{ROUNDS_URL}edit/{current_round.pk}/",
            {
                "year": "2027",
                "status": "open",
                "title": "Bosetting 2027",
                "deadline": "2026-06-10 23:59",
                "national_need": "4000",
                "criteria": CRITERIA,
            },
        )
        assert response.status_code == 200
        assert "Bruk «Åpne runden»" in response.content.decode()
        current_round.refresh_from_db()
        assert current_round.status == Round.Status.PLANNING
        assert not Submission.objects.filter(round=current_round).exists()

    def test_county_share_outside_the_rounds_structure_is_refused(
        self, client, users, current_round
    ):
        from portal.register.models import County

        viken = County.objects.get(number="30")  # 2020–2023 only
        client.force_login(users["imdi"])
        response = client.post(
            SHARES_URL + "new/", {"round": current_round.pk, "county": viken.pk, "share": "100"}
        )
        assert response.status_code == 200
        assert "finnes ikke i kommunestrukturen for 2027" in response.content.decode()
        assert not CountyShare.objects.exists()

    @pytest.mark.parametrize("who", ["editor", "fylke_a", "ks", "outsider"])
    def test_others_cannot_reach_it(self, client, users, current_round, who):
        client.force_login(users[who])
        for url in (ROUNDS_URL, f"{ROUNDS_URL}edit/{current_round.pk}/", SHARES_URL + "new/"):
            response = client.get(url)
            assert response.status_code in {302, 403}, (who, url)
            assert "Bosetting 2027" not in response.content.decode()
        response = client.post(
            f"{ROUNDS_URL}edit/{current_round.pk}/",
            {
                "year": "2027",
                "status": "closed",
                "title": "Hacket",
                "deadline": "2026-06-10 23:59",
                "criteria": CRITERIA,
            },
        )
        assert response.status_code in {302, 403}
        current_round.refresh_from_db()
        assert current_round.title == "Bosetting 2027"

    def test_a_stray_group_permission_does_not_let_an_editor_in(self, client, users, current_round):
        editors = Group.objects.get(name=ROLE_GROUPS[Role.EDITOR])
        editors.permissions.add(Permission.objects.get(codename="change_round"))
        client.force_login(users["editor"])
        assert client.get(ROUNDS_URL).status_code in {302, 403}
        assert client.get(f"{ROUNDS_URL}edit/{current_round.pk}/").status_code in {302, 403}


class TestOpenRound:
    def test_imdi_sees_a_confirmation_and_opens(self, client, users, current_round):
        client.force_login(users["imdi"])
        url = reverse("skjema:open-round", args=[2027])
        page = client.get(url)
        assert page.status_code == 200
        assert "357" in page.content.decode()  # the municipalities of the 2024 structure
        response = client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("skjema:round-overview", args=[2027])
        current_round.refresh_from_db()
        assert current_round.status == Round.Status.OPEN
        profiles = MunicipalityProfile.objects.filter(round=current_round).count()
        assert profiles == 357
        html = response.content.decode()
        assert "Opprettet 357 kommuneprofiler og 15 fylkesinnspill" in html
        assert "0 kommuneprofiler er forhåndsutfylt" in html

    def test_carried_forward_is_reported(self, client, users, counties, register):
        from skjema import services

        from .conftest import fill_profile

        last = make_round(2026, deadline=timezone.now() + datetime.timedelta(days=5))
        services.open_round(last, counties=[counties["40"]])
        skien = fill_profile(
            MunicipalityProfile.objects.get(round=last, municipality__number="4003"),
            users["fylke_b"],
        )
        services.submit(skien, users["fylke_b"])
        services.accept(skien, users["imdi"])
        upcoming = make_round(2027, deadline=timezone.now() + datetime.timedelta(days=30))
        services.open_round(upcoming, counties=[counties["03"]])  # a county that joined early
        client.force_login(users["admin"])
        response = client.post(reverse("skjema:open-round", args=[2027]), follow=True)
        assert "Opprettet 356 kommuneprofiler og 14 fylkesinnspill" in response.content.decode()
        assert "1 kommuneprofiler er forhåndsutfylt" in response.content.decode()

    def test_closed_round_is_refused_and_nothing_changes(self, client, users, current_round):
        current_round.status = Round.Status.CLOSED
        current_round.save()
        client.force_login(users["imdi"])
        page = client.get(reverse("skjema:open-round", args=[2027]))
        assert "kan ikke åpnes" in page.content.decode()
        response = client.post(reverse("skjema:open-round", args=[2027]), follow=True)
        assert "Runden er lukket og kan ikke åpnes på nytt." in response.content.decode()
        assert not Submission.objects.filter(round=current_round).exists()

    @pytest.mark.parametrize("who", ["editor", "fylke_a", "fylke_b", "ks", "outsider"])
    def test_others_cannot_open(self, client, users, current_round, who):
        client.force_login(users[who])
        url = reverse("skjema:open-round", args=[2027])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        current_round.refresh_from_db()
        assert current_round.status == Round.Status.PLANNING
        assert not Submission.objects.filter(round=current_round).exists()

    def test_anonymous_goes_to_login(self, client, current_round):
        response = client.post(reverse("skjema:open-round", args=[2027]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not Submission.objects.filter(round=current_round).exists()


class TestDjangoAdmin:
    def test_submissions_are_read_only_and_drafts_are_not_listed(
        self, client, users, opened, skien
    ):
        from skjema import services

        from .conftest import fill_profile

        services.submit(fill_profile(skien, users["fylke_b"]), users["fylke_b"])
        draft = MunicipalityProfile.objects.get(round=opened, municipality__number="0301")
        client.force_login(users["admin"])
        html = client.get("/django-admin/skjema/submission/").content.decode()
        assert f"/django-admin/skjema/submission/{skien.pk}/change/" in html
        assert f"/django-admin/skjema/submission/{draft.pk}/change/" not in html
        page = client.get(f"/django-admin/skjema/submission/{skien.pk}/change/")
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()  # view only
        assert client.get(f"/django-admin/skjema/submission/{draft.pk}/change/").status_code in {
            302,
            404,
        }
        assert client.get("/django-admin/skjema/submission/add/").status_code == 403

    def test_round_admin_refuses_status_open(self, client, users, current_round):
        client.force_login(users["admin"])
        response = client.post(
            f"/django-admin/skjema/round/{current_round.pk}/change/",
            {
                "year": "2027",
                "title": "Bosetting 2027",
                "criteria": "",
                "national_need": "4000",
                "deadline_0": "10.06.2026",
                "deadline_1": "23:59",
                "status": "open",
                "county_shares-TOTAL_FORMS": "0",
                "county_shares-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert "Bruk «Åpne runden»" in response.content.decode()
        current_round.refresh_from_db()
        assert current_round.status == Round.Status.PLANNING


class TestSupportViews:
    """Read-only lists for support: notifications with their delivery errors, and the search
    updates Elasticsearch has not received."""

    def test_an_administrator_sees_failed_notifications(self, client, users, opened):
        from skjema.models import Notification
        from sok.models import PendingIndexUpdate

        Notification.objects.create(
            recipient=users["fylke_b"],
            kind=Notification.Kind.REMINDER,
            dedupe_key="test",
            subject="Fristen nærmer seg",
            status=Notification.Status.FAILED,
            attempts=2,
            error="SMTP svarte ikke",
        )
        PendingIndexUpdate.objects.create(key="2027-4003", last_error="avvist")
        client.force_login(users["admin"])
        page = client.get("/django-admin/skjema/notification/?status__exact=failed")
        assert page.status_code == 200
        assert "Fristen nærmer seg" in page.content.decode()
        assert client.get("/django-admin/skjema/notification/add/").status_code == 403
        page = client.get("/django-admin/sok/pendingindexupdate/")
        assert page.status_code == 200 and "2027-4003" in page.content.decode()

    @pytest.mark.parametrize("who", ["imdi", "fylke_b", "ks", "editor"])
    def test_nobody_else(self, client, users, who):
        client.force_login(users[who])
        response = client.get("/django-admin/skjema/notification/")
        assert response.status_code in {302, 403}
