"""The county's workload: carried-forward parts confirmed before submitting (page, bulk and
API), bulk confirm and submit from the round list with one late reason and a result page, the
round list's filters and sorting, «Neste kommune», and who changed a submission last."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.register.models import County, Municipality
from skjema import services, worklist
from skjema.exceptions import SubmissionInvalid
from skjema.models import MunicipalityProfile, Status
from tests.fixtures.skjema import fill_profile

pytestmark = pytest.mark.django_db

OLD = datetime.date(2019, 12, 31)
CARRIED = {"carried_from": 2026, "confirmed": False, "edited": False}


def carried(profile, user):
    """Filled in as if carried forward from last year: nothing changed, nothing confirmed."""
    fill_profile(profile, user)
    profile.refresh_from_db()
    profile.section_state = {key: dict(CARRIED) for key in profile.section_state}
    profile.save(update_fields=["section_state"])
    return profile


def telemark(opened, numbers=("4001", "4003", "4005")):
    return {
        p.municipality.number: p
        for p in MunicipalityProfile.objects.filter(
            round=opened, municipality__number__in=numbers
        ).select_related("round", "county", "municipality")
    }


@pytest.fixture
def county_b(client, users):
    client.force_login(users["fylke_b"])
    return client


def bulk_url(year=2027):
    return reverse("skjema:bulk", args=[year])


def dashboard_url(year=2027):
    return reverse("skjema:dashboard", args=[year])


# ---------------------------------------------------------------------------------------------
# carried-forward parts must be confirmed


class TestConfirmBeforeSubmit:
    def test_unconfirmed_carried_parts_refuse_the_submission(self, skien, users):
        skien = carried(skien, users["fylke_b"])
        with pytest.raises(SubmissionInvalid) as refused:
            services.submit(skien, users["fylke_b"])
        sections = [p.section for p in refused.value.problems if p.field == services.UNCONFIRMED]
        assert sections == ["qualification", "upper_secondary", "cooperation", "labour", "capacity"]
        assert "overført fra 2026" in refused.value.problems[0].message
        skien.refresh_from_db()
        assert skien.status == Status.DRAFT and not skien.versions.exists()

    def test_confirmed_or_edited_parts_go_in(self, skien, users):
        officer = users["fylke_b"]
        skien = carried(skien, officer)
        services.confirm_section(skien, "qualification", officer)
        assert services.confirm_unchanged(skien, officer) == [
            "upper_secondary",
            "cooperation",
            "labour",
            "capacity",
        ]
        assert services.confirm_unchanged(skien, officer) == []
        services.submit(skien, officer)
        skien.refresh_from_db()
        assert skien.status == Status.SUBMITTED

    def test_the_page_links_each_unconfirmed_part(self, county_b, skien, users):
        skien = carried(skien, users["fylke_b"])
        response = county_b.post(reverse("skjema:profile-submit", args=[2027, "4003"]))
        page = response.content.decode()
        assert response.status_code == 200
        assert 'href="#del-capacity"' in page
        assert "Bekreft at delen er uendret" in page

    def test_another_county_cannot_confirm(self, skien, users):
        skien = carried(skien, users["fylke_b"])
        with pytest.raises(services.NotAllowed):
            services.confirm_unchanged(skien, users["fylke_a"])
        skien.refresh_from_db()
        assert services.unconfirmed_sections(skien)


class TestApi:
    def client(self, user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    def url(self, profile, action):
        return f"/api/v1/profiles/{profile.pk}/{action}/"

    def test_submit_lists_the_unconfirmed_parts_then_confirm_lets_it_in(self, skien, users):
        skien = carried(skien, users["fylke_b"])
        client = self.client(users["fylke_b"])
        refused = client.post(self.url(skien, "submit"), {}, format="json")
        assert refused.status_code == 400
        assert refused.json()["unconfirmed"] == [
            "qualification",
            "upper_secondary",
            "cooperation",
            "labour",
            "capacity",
        ]
        one = client.post(self.url(skien, "confirm"), {"sections": ["labour"]}, format="json")
        assert one.status_code == 200
        assert one.json()["confirmed"] == ["labour"]
        assert "labour" not in one.json()["unconfirmed"]
        rest = client.post(self.url(skien, "confirm"), {}, format="json")
        assert rest.json() == {
            "id": skien.pk,
            "confirmed": ["qualification", "upper_secondary", "cooperation", "capacity"],
            "unconfirmed": [],
        }
        assert client.post(self.url(skien, "submit"), {}, format="json").status_code == 200

    def test_unknown_section_is_refused_and_nothing_changes(self, skien, users):
        skien = carried(skien, users["fylke_b"])
        client = self.client(users["fylke_b"])
        response = client.post(
            self.url(skien, "confirm"), {"sections": ["labour", "nope"]}, format="json"
        )
        assert response.status_code == 400
        assert "Ukjent del «nope»" in response.json()["sections"][0]
        skien.refresh_from_db()
        assert len(services.unconfirmed_sections(skien)) == 5

    @pytest.mark.parametrize(("who", "status"), [("fylke_a", 404), ("ks", 403), (None, 401)])
    def test_refused_users(self, skien, users, who, status):
        skien = carried(skien, users["fylke_b"])
        services.confirm_unchanged(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])  # submitted, so KS can see it
        response = self.client(users.get(who)).post(self.url(skien, "confirm"), {}, format="json")
        assert response.status_code in {status, 403}
        assert response.status_code != 200


# ---------------------------------------------------------------------------------------------
# bulk actions


class TestBulk:
    def test_confirm_then_submit_the_selection_with_one_late_reason(self, county_b, opened, users):
        officer = users["fylke_b"]
        rows = telemark(opened)
        for number in ("4001", "4003"):
            carried(rows[number], officer)
        opened.deadline = timezone.now() - datetime.timedelta(days=1)
        opened.save(update_fields=["deadline"])
        ids = [str(p.pk) for p in rows.values()]

        confirmed = county_b.post(bulk_url(), {"handling": "bekreft", "valgt": ids})
        page = confirmed.content.decode()
        assert confirmed.status_code == 200
        assert "3 kommuner er bekreftet" in page
        assert "ingenting å bekrefte" in page  # 4005 has nothing carried forward

        # No reason after the deadline: nothing goes in, each says why.
        no_reason = county_b.post(bulk_url(), {"handling": "send", "valgt": ids})
        assert "0 kommuner er sendt inn" in no_reason.content.decode()
        assert not MunicipalityProfile.objects.filter(pk__in=ids, status=Status.SUBMITTED)

        sent = county_b.post(
            bulk_url(),
            {"handling": "send", "valgt": ids, "submit-late_reason": "Kommunestyret var sent."},
        )
        page = sent.content.decode()
        assert "2 kommuner er sendt inn, 1 ble ikke" in page
        assert "Ikke sendt inn (1)" in page
        assert "Ønsker å bosette" in page  # why the empty draft was refused
        submitted = MunicipalityProfile.objects.filter(pk__in=ids, status=Status.SUBMITTED)
        assert {p.municipality.number for p in submitted} == {"4001", "4003"}
        for profile in submitted:
            version = profile.latest_version()
            assert version.is_late and version.late_reason == "Kommunestyret var sent."

    def test_submit_is_refused_while_carried_parts_are_unconfirmed(self, county_b, opened, users):
        rows = telemark(opened)
        carried(rows["4003"], users["fylke_b"])
        response = county_b.post(bulk_url(), {"handling": "send", "valgt": [rows["4003"].pk]})
        page = response.content.decode()
        assert "0 kommuner er sendt inn" in page
        assert "overført fra 2026" in page
        rows["4003"].refresh_from_db()
        assert rows["4003"].status == Status.DRAFT

    def test_select_all_shown_works_without_javascript(self, county_b, opened, users):
        rows = telemark(opened)
        for profile in rows.values():
            carried(profile, users["fylke_b"])
        shown = [rows["4001"].pk, rows["4003"].pk]
        response = county_b.post(
            bulk_url(), {"handling": "bekreft", "alle_viste": "1", "viste": shown}
        )
        assert "2 kommuner er bekreftet" in response.content.decode()
        rows["4005"].refresh_from_db()
        assert len(services.unconfirmed_sections(rows["4005"])) == 5

    def test_another_countys_profiles_are_ignored(self, county_b, opened, users, oslo):
        carried(oslo, users["fylke_a"])
        response = county_b.post(bulk_url(), {"handling": "bekreft", "valgt": [oslo.pk]})
        assert response.status_code == 302
        oslo.refresh_from_db()
        assert len(services.unconfirmed_sections(oslo)) == 5

    def test_nothing_chosen_or_no_action_changes_nothing(self, county_b, opened, users):
        rows = telemark(opened)
        carried(rows["4003"], users["fylke_b"])
        for data in ({"handling": "bekreft"}, {"valgt": [rows["4003"].pk]}):
            response = county_b.post(bulk_url(), {**data, "tilbake": "?status=draft"})
            assert response.status_code == 302
            assert response["Location"] == dashboard_url() + "?status=draft"
        rows["4003"].refresh_from_db()
        assert len(services.unconfirmed_sections(rows["4003"])) == 5

    def test_back_goes_only_to_the_list(self, county_b, opened):
        response = county_b.post(bulk_url(), {"tilbake": "//evil.example/"})
        assert response["Location"] == dashboard_url()

    @pytest.mark.parametrize("who", ["ks", "imdi", "fylke_a"])
    def test_refused_users(self, client, opened, users, who):
        rows = telemark(opened)
        carried(rows["4003"], users["fylke_b"])
        client.force_login(users[who])
        response = client.post(bulk_url(), {"handling": "bekreft", "valgt": [rows["4003"].pk]})
        assert response.status_code in {302, 403}
        rows["4003"].refresh_from_db()
        assert len(services.unconfirmed_sections(rows["4003"])) == 5

    def test_anonymous_is_sent_to_log_in(self, client, opened):
        response = client.post(bulk_url(), {"handling": "bekreft"})
        assert response.status_code == 302 and "logg-inn" in response["Location"]

    def test_get_is_not_allowed(self, county_b, opened):
        assert county_b.get(bulk_url()).status_code == 405


# ---------------------------------------------------------------------------------------------
# the round list


class TestRoundList:
    def page(self, client, **params):
        response = client.get(dashboard_url(), params)
        assert response.status_code == 200
        return response.content.decode()

    def names(self, page):
        body = page.split("<tbody>")[1].split("</tbody>")[0]
        return [part.split("</a>")[0].split(">")[-1] for part in body.split('<th scope="row">')[1:]]

    def test_filter_by_status_and_text(self, county_b, opened, users, skien):
        fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        assert self.names(self.page(county_b, status="submitted")) == ["Skien"]
        assert "Skien" not in self.names(self.page(county_b, status="ikke-ferdig"))
        assert self.names(self.page(county_b, q="porsg")) == ["Porsgrunn"]
        assert self.names(self.page(county_b, q="4003")) == ["Skien"]
        assert "Ingen kommuner passer" in self.page(county_b, q="finnes ikke")

    def test_bad_filter_values_show_everything_with_no_error_page(self, county_b, opened):
        page = self.page(county_b, status="tull", sorter="ukjent")
        assert "Viser 17 av 17 kommuner" in page

    def test_sort_by_any_column(self, county_b, opened):
        by_name = self.names(self.page(county_b, sorter="kommune"))
        assert by_name == sorted(by_name, key=str.lower)
        assert self.names(self.page(county_b, sorter="-kommune")) == by_name[::-1]
        for key, _label in worklist.SORT_KEYS.items():
            page = self.page(county_b, sorter=key)
            assert 'aria-sort="ascending"' in page
        page = self.page(county_b, sorter="-nummer")
        assert 'aria-sort="descending"' in page
        assert "sorter=nummer" in page  # the header link turns it round again

    def test_region_is_the_county_before_2020(self, county_b, opened, counties):
        old_county, _created = County.objects.update_or_create(
            number="08", defaults={"name": "Telemark", "valid_to": OLD}
        )
        skien = Municipality.objects.get(number="4003")
        Municipality.objects.update_or_create(
            number="0806",
            defaults={"name": "Skien", "valid_to": OLD, "current": skien},
        )
        porsgrunn = Municipality.objects.get(number="4001")
        Municipality.objects.update_or_create(
            number="0805",
            defaults={"name": "Porsgrunn", "valid_to": OLD, "current": porsgrunn},
        )
        County.objects.update_or_create(number="07", defaults={"name": "Vestfold", "valid_to": OLD})
        bamble = Municipality.objects.get(number="4012")
        Municipality.objects.update_or_create(
            number="0714",
            defaults={"name": "Bamble", "valid_to": OLD, "current": bamble},
        )
        page = self.page(county_b, region="Vestfold")
        assert self.names(page) == ["Bamble"]
        telemark_before = self.names(self.page(county_b, region=old_county.name))
        assert "Skien" in telemark_before and "Bamble" not in telemark_before
        assert 'id="filter-region"' in page

    def test_query_count_does_not_grow_with_the_municipalities(
        self, county_b, opened, users, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(14):
            self.page(county_b)

    def test_other_roles(self, client, opened, users):
        client.force_login(users["imdi"])
        assert client.get(dashboard_url()).status_code == 302  # IMDi's overview
        client.force_login(users["editor"])
        assert client.get(dashboard_url()).status_code == 403


class TestNextMunicipality:
    def test_next_not_done_wraps_around(self, opened, users):
        rows = {
            p.municipality.number: p
            for p in MunicipalityProfile.objects.filter(round=opened, county__number="40")
        }
        numbers = sorted(rows)
        last = rows[numbers[-1]]
        assert worklist.next_not_done(rows[numbers[0]]).municipality.number == numbers[1]
        assert worklist.next_not_done(last).municipality.number == numbers[0]
        MunicipalityProfile.objects.filter(pk=rows[numbers[1]].pk).update(status=Status.SUBMITTED)
        assert worklist.next_not_done(rows[numbers[0]]).municipality.number == numbers[2]

    def test_shown_after_saving_and_submitting(self, county_b, opened, users, skien):
        fill_profile(skien, users["fylke_b"])
        page = county_b.get(skien.get_absolute_url()).content.decode()
        assert "Neste kommune:" in page
        version = services.submit(skien, users["fylke_b"])
        receipt = county_b.get(reverse("skjema:receipt", args=[2027, version.pk]))
        assert "Neste kommune:" in receipt.content.decode()

    def test_not_shown_to_imdi(self, client, opened, users, skien):
        fill_profile(skien, users["fylke_b"])
        version = services.submit(skien, users["fylke_b"])
        client.force_login(users["imdi"])
        receipt = client.get(reverse("skjema:receipt", args=[2027, version.pk]))
        assert "Neste kommune" not in receipt.content.decode()


def test_last_changed_by_names_imdi_after_a_return(opened, users, skien):
    fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    services.return_submission(skien, users["imdi"], reason="Rett opp.")
    skien.refresh_from_db()
    assert skien.updated_by == users["imdi"]


def test_table_of_contents_marks_sections_with_comments(county_b, opened, users, skien):
    fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    services.return_submission(
        skien, users["imdi"], reason="", comments=[("labour", "", "Mer konkret.")]
    )
    page = county_b.get(skien.get_absolute_url()).content.decode()
    toc = page.split('id="innhold-tittel"')[1].split("</nav>")[0]
    assert toc.count("kommentar fra IMDi") == 1
    assert toc.index("kommentar fra IMDi") > toc.index("#del-labour")
