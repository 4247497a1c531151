"""The county's pages: dashboard, profile, section forms (rows without JavaScript, validation,
conflicts), submitting (errors, late), the county submission, receipts, and every refusal."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from skjema import services
from skjema.models import (
    CountyShare,
    CountySubmission,
    MunicipalityProfile,
    SectionEdit,
    Status,
    Version,
)

from .conftest import OFFER, fill_profile

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# helpers: read a rendered form back as the browser would post it


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None
        self._text = ""
        self._template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self._template += 1
        if self._template:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "template" and self._template:
            self._template -= 1
        elif tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_data(response, form_id) -> dict:
    """The form's successful controls as a dict of lists (what a browser would send)."""
    reader = _FormReader(form_id)
    reader.feed(response if isinstance(response, str) else response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


def post(client, url, data: dict, **extra):
    """Post a dict of lists/values; lists become repeated keys."""
    return client.post(url, data, **extra)


def section_url(profile, key):
    return reverse(
        "skjema:profile-section", args=[profile.round.year, profile.municipality.number, key]
    )


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def county_b(client, users):
    client.force_login(users["fylke_b"])
    return client


# ---------------------------------------------------------------------------------------------
# dashboard


class TestDashboard:
    def test_lists_the_countys_municipalities_with_status_and_section_states(
        self, county_b, skien, users
    ):
        skien = fill_profile(skien, users["fylke_b"])
        porsgrunn = MunicipalityProfile.objects.get(round=skien.round, municipality__number="4001")
        porsgrunn.section_state = {
            **porsgrunn.section_state,
            "qualification": {"carried_from": 2026, "confirmed": False, "edited": False},
            "labour": {"carried_from": 2026, "confirmed": True, "edited": False},
        }
        porsgrunn.save()
        response = county_b.get(reverse("skjema:dashboard", args=[2027]))
        assert response.status_code == 200
        page = html(response)
        assert page.count("<h1>") == 1
        assert "Kommuneprofiler i Telemark (17 vist)" in page
        assert "Oslo" not in page.split("<main")[1]
        assert "1 må bekreftes, 3 ikke påbegynt, 1 bekreftet" in page  # Porsgrunn
        assert "4 endret" in page  # Skien (its empty cooperation list is unchanged)
        assert "fylke-b" in page  # who changed Skien
        assert skien.get_absolute_url() in page
        assert "29 dager igjen" in page or "30 dager igjen" in page
        assert reverse("skjema:county-submission", args=[2027, "40"]) in page

    def test_late_submissions_are_marked(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(
            skien,
            users["fylke_b"],
            now=skien.round.deadline + datetime.timedelta(hours=2),
            late_reason="Sent vedtak.",
        )
        page = html(county_b.get(reverse("skjema:dashboard", args=[2027])))
        assert "status--late" in page
        assert "1 av 17 kommuneprofiler er sendt inn, 1 etter fristen" in page

    def test_query_count_does_not_grow_with_the_municipalities(
        self, client, users, opened, django_assert_max_num_queries
    ):
        # Telemark has 17 municipalities, Oslo one: the same bound holds for both.
        for who in ("fylke_b", "fylke_a"):
            client.force_login(users[who])
            with django_assert_max_num_queries(9):
                response = client.get(reverse("skjema:dashboard", args=[2027]))
            assert response.status_code == 200

    def test_index_redirects_to_the_open_round(self, county_b, opened):
        response = county_b.get(reverse("skjema:index"))
        assert response.status_code == 302
        assert response.url == reverse("skjema:dashboard", args=[2027])

    @pytest.mark.parametrize("who", ["imdi", "ks", "admin"])
    def test_imdi_and_ks_go_to_the_round_overview(self, client, users, opened, who):
        client.force_login(users[who])
        response = client.get(reverse("skjema:dashboard", args=[2027]))
        assert response.status_code == 302
        assert response.url == "/skjema/2027/oversikt/"

    @pytest.mark.parametrize("who", ["editor", "outsider"])
    def test_others_are_refused(self, client, users, opened, who):
        client.force_login(users[who])
        assert client.get(reverse("skjema:dashboard", args=[2027])).status_code == 403


# ---------------------------------------------------------------------------------------------
# profile page


class TestProfilePage:
    def test_shows_every_section_with_edit_links(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        response = county_b.get(skien.get_absolute_url())
        page = html(response)
        assert response.status_code == 200
        assert page.count("<h1>") == 1
        assert "Tilbud 1: Introduksjonsprogram med fagbrev" in page
        assert "72,5" in page  # decimal comma
        assert "53 Pleie- og omsorgsarbeidere" in page
        for key in ("qualification", "upper_secondary", "cooperation", "labour", "capacity"):
            assert f'href="{section_url(skien, key)}"' in page
        assert 'action="/skjema/2027/kommuner/4003/send-inn/"' in page

    def test_confirm_a_carried_section(self, county_b, skien):
        skien.section_state = {
            **skien.section_state,
            "capacity": {"carried_from": 2026, "confirmed": False, "edited": False},
        }
        skien.save()
        page = html(county_b.get(skien.get_absolute_url()))
        assert "uendret siden 2026" in page
        confirm_url = reverse("skjema:profile-confirm", args=[2027, "4003", "capacity"])
        assert f'action="{confirm_url}"' in page
        response = county_b.post(confirm_url)
        assert response.status_code == 302
        skien.refresh_from_db()
        assert skien.section_state["capacity"]["confirmed"] is True
        page = html(county_b.get(skien.get_absolute_url()))
        assert "bekreftet uendret" in page
        assert f'action="{confirm_url}"' not in page

    def test_review_comments_are_shown_where_they_belong(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        services.return_submission(
            skien,
            users["imdi"],
            reason="Noen tall mangler kilde.",
            comments=[
                ("capacity", "capacity", "Er 25 riktig for hele året?"),
                ("qualification", "result_share", "Hvilket kull gjelder dette?"),
            ],
        )
        page = html(county_b.get(skien.get_absolute_url()))
        assert "IMDi har returnert skjemaet for retting" in page
        assert "Noen tall mangler kilde." in page
        capacity = page.split('id="del-capacity"')[1].split("</section>")[0]
        assert "Er 25 riktig for hele året?" in capacity
        qualification = page.split('id="del-qualification"')[1].split("</section>")[0]
        assert "Hvilket kull gjelder dette?" in qualification
        assert "om feltet «Resultat: andel i arbeid eller utdanning (%)»" in qualification
        # ... and on the edit page, at the field.
        edit = html(county_b.get(section_url(skien, "capacity")))
        assert '<div class="review-comments" id="capacity-capacity_comment">' in edit
        assert 'aria-describedby="capacity-capacity_helptext capacity-capacity_comment"' in edit

    def test_imdi_sees_the_submitted_version_not_the_working_copy(self, client, skien, users):
        county = users["fylke_b"]
        skien = fill_profile(skien, county)
        services.submit(skien, county)
        services.return_submission(skien, users["imdi"], reason="Sjekk navnet.")
        offer = skien.qualification_offers.get()
        ids = services.latest_edit_ids(skien)
        services.save_section(
            skien,
            "qualification",
            [{**OFFER, "uid": str(offer.uid), "name": "Nytt navn i utkastet"}],
            county,
            base_edit_id=ids["qualification"],
        )
        client.force_login(users["imdi"])
        page = html(client.get(skien.get_absolute_url()))
        assert "Introduksjonsprogram med fagbrev" in page
        assert "Nytt navn i utkastet" not in page
        assert "Rediger" not in page and "send-inn" not in page

    def test_query_count_does_not_grow_with_rows(
        self, county_b, skien, users, django_assert_max_num_queries
    ):
        skien = fill_profile(skien, users["fylke_b"])
        # 16: one of them finds «Neste kommune».
        with django_assert_max_num_queries(17) as one_row:
            county_b.get(skien.get_absolute_url())
        many = [{**OFFER, "name": f"Tilbud {n}"} for n in range(12)]
        ids = services.latest_edit_ids(skien)
        services.save_section(
            skien, "qualification", many, users["fylke_b"], base_edit_id=ids["qualification"]
        )
        services.save_section(
            skien,
            "cooperation",
            [{"partners": ["4001", "4005"], "area": f"Område {n}"} for n in range(8)],
            users["fylke_b"],
            base_edit_id=ids["cooperation"],
        )
        with django_assert_max_num_queries(len(one_row.captured_queries)):
            response = county_b.get(skien.get_absolute_url())
        assert "Tilbud 12: Tilbud 11" in html(response)


# ---------------------------------------------------------------------------------------------
# section forms


class TestFieldSection:
    def test_form_has_labels_hints_and_the_base_edit(self, county_b, skien):
        response = county_b.get(section_url(skien, "capacity"))
        page = html(response)
        base = services.latest_edit_ids(skien)["capacity"]
        assert f'name="base_edit" value="{base}"' in page
        assert '<label for="capacity-capacity">Antall kommunen kan bosette</label>' in page
        assert 'id="capacity-capacity_helptext"' in page
        assert "<legend>Husholdningstyper kommunen kan ta imot</legend>" in page
        assert page.count("<h1>") == 1

    def test_save_converts_to_plain_data(self, county_b, skien):
        data = form_data(county_b.get(section_url(skien, "capacity")), "capacity-form")
        data.update(
            {
                "capacity-wants_to_settle": "partly",
                "capacity-capacity": "12",
                "capacity-takes_unaccompanied_minors": "true",
                "capacity-household_types": ["family", "single_parent"],
                "capacity-housing_situation": "Få boliger.",
                "save": "1",
            }
        )
        response = post(county_b, section_url(skien, "capacity"), data)
        assert response.status_code == 302
        assert response.url == skien.get_absolute_url() + "#del-capacity"
        skien.refresh_from_db()
        assert (skien.wants_to_settle, skien.capacity) == ("partly", 12)
        assert skien.takes_unaccompanied_minors is True
        assert skien.household_types == ["family", "single_parent"]
        edit = SectionEdit.objects.filter(submission=skien, section="capacity").latest("id")
        assert edit.data["capacity"] == 12 and edit.by.username == "fylke-b"

    def test_a_type_error_keeps_every_input_and_writes_nothing(self, county_b, skien):
        edits = SectionEdit.objects.count()
        data = form_data(county_b.get(section_url(skien, "capacity")), "capacity-form")
        data.update(
            {
                "capacity-capacity": "tolv",
                "capacity-housing_situation": "Skrevet før feilen.",
                "capacity-household_types": ["couple"],
                "save": "1",
            }
        )
        response = post(county_b, section_url(skien, "capacity"), data)
        page = html(response)
        assert response.status_code == 200
        assert 'role="alert"' in page and "Endringene er ikke lagret" in page
        assert (
            '<a href="#capacity-capacity">Antall kommunen kan bosette: Oppgi et heltall.</a>'
            in page
        )
        assert 'value="tolv"' in page
        assert "Skrevet før feilen." in page
        assert 'value="couple" id="capacity-household_types_1" checked' in page
        assert 'aria-invalid="true"' in page
        assert page.startswith("<!DOCTYPE html>") and "<title>Feil: " in page
        assert SectionEdit.objects.count() == edits

    def test_submitted_profile_cannot_be_edited(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        response = county_b.get(section_url(skien, "capacity"))
        assert response.status_code == 302
        response = county_b.post(section_url(skien, "capacity"), {"capacity-capacity": "1"})
        assert response.status_code == 302
        skien.refresh_from_db()
        assert skien.capacity == 25


class TestRowsWithoutJavaScript:
    def test_add_fill_add_save_then_remove(self, county_b, skien):
        url = section_url(skien, "qualification")
        page = county_b.get(url)
        assert "Ingen rader ennå" in html(page)
        data = form_data(page, "qualification-form")
        assert data["qualification-TOTAL_FORMS"] == ["0"]

        # «Legg til rad» re-renders with one empty row and no errors.
        page = post(county_b, url, {**data, "add_row": "1"})
        assert page.status_code == 200
        assert "<legend>Tilbud 1</legend>" in html(page)
        assert 'role="alert"' not in html(page)
        data = form_data(page, "qualification-form")
        data.update(
            {
                "qualification-0-kind": "norwegian",
                "qualification-0-name": "Norsk med arbeidspraksis",
                "qualification-0-seats": "abc",  # kept, not judged yet
            }
        )
        page = post(county_b, url, {**data, "add_row": "1"})
        text = html(page)
        assert "<legend>Tilbud 2</legend>" in text
        assert 'value="Norsk med arbeidspraksis"' in text and 'value="abc"' in text
        assert 'role="alert"' not in text and "aria-invalid" not in text
        assert 'formaction="/skjema/2027/kommuner/4003/qualification/#qualification-2"' in text

        data = form_data(page, "qualification-form")
        data.update(
            {
                "qualification-0-seats": "15",
                "qualification-0-result_share": "72,5",
                "qualification-1-kind": "work_practice",
                "qualification-1-name": "Arbeidspraksis i kommunen",
                "save": "1",
            }
        )
        response = post(county_b, url, data)
        assert response.status_code == 302
        offers = list(skien.qualification_offers.order_by("position"))
        assert [(o.name, o.seats) for o in offers] == [
            ("Norsk med arbeidspraksis", 15),
            ("Arbeidspraksis i kommunen", None),
        ]
        assert str(offers[0].result_share) == "72.5"
        kept_uid = offers[1].uid

        # Remove the first row with its «Fjern» checkbox.
        data = form_data(county_b.get(url), "qualification-form")
        assert data["qualification-0-uid"] == [str(offers[0].uid)]
        data.update({"qualification-0-DELETE": "on", "save": "1"})
        assert post(county_b, url, data).status_code == 302
        assert list(skien.qualification_offers.values_list("uid", flat=True)) == [kept_uid]

    def test_a_blank_new_row_is_not_saved(self, county_b, skien):
        url = section_url(skien, "labour")
        data = form_data(
            post(county_b, url, {**form_data(county_b.get(url), "labour-form"), "add_row": "1"}),
            "labour-form",
        )
        assert post(county_b, url, {**data, "save": "1"}).status_code == 302
        assert not skien.labour_needs.exists()

    def test_error_in_a_row_links_to_the_field_and_keeps_all_rows(self, county_b, skien):
        url = section_url(skien, "labour")
        data = form_data(county_b.get(url), "labour-form")
        data.update(
            {
                "labour-TOTAL_FORMS": "2",
                "labour-0-occupation": "53 Pleie- og omsorgsarbeidere",
                "labour-0-scale": "high",
                "labour-1-occupation": "9999",
                "labour-1-description": "Ukjent kode",
                "save": "1",
            }
        )
        response = post(county_b, url, data)
        page = html(response)
        assert response.status_code == 200
        assert (
            '<a href="#labour-1-occupation">Behov 2, Yrke (STYRK-08): Ukjent STYRK-08-kode «9999».'
            in page
        )
        assert 'value="9999"' in page and "Ukjent kode" in page
        assert not skien.labour_needs.exists()
        # The datalist offers the register's codes.
        assert '<datalist id="styrk-koder">' in page and '<option value="53">' in page

    def test_decimals_are_shown_with_a_comma(self, county_b, skien, users):
        fill_profile(skien, users["fylke_b"])
        page = html(county_b.get(section_url(skien, "qualification")))
        assert 'name="qualification-0-result_share" value="72,5"' in page

    def test_an_unknown_code_refused_by_the_service_is_summarised(self, county_b, opened):
        # The municipality of a prelisted row is a hidden field; a tampered number reaches
        # sections.apply_section, whose ValidationError is shown and nothing is written.
        url = reverse("skjema:county-section", args=[2027, "40", "recommendations"])
        data = form_data(county_b.get(url), "recommendations-form")
        data.update(
            {
                "recommendations-0-municipality": "9999",
                "recommendations-0-number": "5",
                "save": "1",
            }
        )
        edits = SectionEdit.objects.count()
        response = post(county_b, url, data)
        assert response.status_code == 200
        assert 'href="#recommendations-form">Ukjent kode «9999» for kommune.' in html(response)
        assert SectionEdit.objects.count() == edits
        assert not CountySubmission.objects.get(
            round=opened, county__number="40"
        ).recommendations.exists()

    def test_programme_areas_are_grouped_and_partners_are_municipalities(self, county_b, skien):
        page = html(county_b.get(section_url(skien, "upper_secondary")))
        assert '<optgroup label="Helse- og oppvekstfag">' in page
        data = form_data(county_b.get(section_url(skien, "cooperation")), "cooperation-form")
        data.update(
            {
                "cooperation-TOTAL_FORMS": "1",
                "cooperation-0-partners": ["4001", "4005"],
                "cooperation-0-area": "Norskopplæring",
                "save": "1",
            }
        )
        assert post(county_b, section_url(skien, "cooperation"), data).status_code == 302
        row = skien.cooperations.get()
        assert sorted(row.partners.values_list("number", flat=True)) == ["4001", "4005"]


class TestConflicts:
    def test_second_save_from_the_same_base_sees_the_other_change(
        self, client, skien, users, make_user
    ):
        from portal.accounts.models import Role

        colleague = make_user(
            "fylke-b2", Role.COUNTY_OFFICER, skien.county, first_name="Kari", last_name="Kollega"
        )
        url = section_url(skien, "capacity")
        client.force_login(users["fylke_b"])
        mine = form_data(client.get(url), "capacity-form")

        from django.test import Client

        other = Client()
        other.force_login(colleague)
        theirs = form_data(other.get(url), "capacity-form")
        theirs.update({"capacity-capacity": "40", "capacity-wants_to_settle": "yes", "save": "1"})
        assert post(other, url, theirs).status_code == 302

        mine.update(
            {"capacity-capacity": "10", "capacity-housing_situation": "Min tekst.", "save": "1"}
        )
        response = post(client, url, mine)
        page = html(response)
        assert response.status_code == 409
        assert "Noen andre har lagret denne delen" in page
        assert "Sist lagret av <strong>Kari Kollega</strong>" in page
        # The diff shows what the colleague changed ...
        diff = page.split('id="konflikt-endringer"')[1].split("</section>")[0]
        assert "Antall kommunen kan bosette" in diff and "<ins>40</ins>" in diff
        # ... and the form keeps the user's input, ready to save over it.
        assert 'value="10"' in page and "Min tekst." in page
        latest = SectionEdit.objects.filter(submission=skien, section="capacity").latest("id")
        assert f'name="base_edit" value="{latest.pk}"' in page
        assert 'name="force" value="1"' in page
        assert "Lagre min versjon likevel" in page
        assert f'href="{url}">Forkast mine endringer' in page
        skien.refresh_from_db()
        assert skien.capacity == 40

        again = form_data(response, "capacity-form")
        assert again["force"] == ["1"]
        response = post(client, url, {**again, "save": "1"})
        assert response.status_code == 302
        skien.refresh_from_db()
        assert (skien.capacity, skien.housing_situation) == (10, "Min tekst.")

    def test_a_third_save_after_the_conflict_page_is_still_detected(self, county_b, skien, users):
        url = section_url(skien, "capacity")
        mine = form_data(county_b.get(url), "capacity-form")
        base = services.latest_edit_ids(skien)["capacity"]
        services.save_section(
            skien, "capacity", {"capacity": 1}, users["fylke_b"], base_edit_id=base
        )
        conflict_page = post(county_b, url, {**mine, "capacity-capacity": "2", "save": "1"})
        assert conflict_page.status_code == 409
        retry = form_data(conflict_page, "capacity-form")
        latest = services.latest_edit_ids(skien)["capacity"]
        services.save_section(
            skien, "capacity", {"capacity": 3}, users["fylke_b"], base_edit_id=latest
        )
        assert post(county_b, url, {**retry, "save": "1"}).status_code == 409
        skien.refresh_from_db()
        assert skien.capacity == 3


# ---------------------------------------------------------------------------------------------
# submitting


def submit_url(profile):
    return reverse("skjema:profile-submit", args=[profile.round.year, profile.municipality.number])


class TestSubmit:
    def test_errors_are_summarised_with_links_and_nothing_changes(self, county_b, skien):
        response = county_b.post(submit_url(skien))
        page = html(response)
        assert response.status_code == 200
        summary = page.split('id="feiloppsummering"')[1].split("</div>")[0]
        assert 'role="alert"' in page.split('id="feiloppsummering"')[0][-200:] + summary
        assert "Skjemaet kan ikke sendes inn ennå" in summary
        link = f'href="{section_url(skien, "capacity")}?kontroll=1#capacity-wants_to_settle"'
        assert link in summary
        assert "Ønsker å bosette må fylles ut." in summary
        skien.refresh_from_db()
        assert (
            skien.status == Status.DRAFT and not Version.objects.filter(submission=skien).exists()
        )

        # Following the link shows the problem at the field.
        check = html(county_b.get(section_url(skien, "capacity") + "?kontroll=1"))
        assert 'id="capacity-wants_to_settle_note"' in check
        assert "Dette må rettes før skjemaet kan sendes inn" in check

    def test_row_problems_link_to_the_row_field(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"], qualification=[OFFER, {**OFFER, "name": ""}])
        page = html(county_b.post(submit_url(skien)))
        assert (
            f'href="{section_url(skien, "qualification")}?kontroll=1#qualification-1-name"' in page
        )
        check = html(county_b.get(section_url(skien, "qualification") + "?kontroll=1"))
        assert 'id="qualification-1-name_note"' in check

    def test_a_complete_profile_is_submitted_and_gets_a_receipt(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        response = county_b.post(submit_url(skien))
        version = Version.objects.get(submission=skien)
        assert response.status_code == 302
        assert response.url == reverse("skjema:receipt", args=[2027, version.pk])
        skien.refresh_from_db()
        assert skien.status == Status.SUBMITTED

    def test_late_submission_requires_a_reason(self, county_b, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        round_ = skien.round
        round_.deadline = timezone.now() - datetime.timedelta(days=2)
        round_.save()
        page = html(county_b.get(skien.get_absolute_url()))
        assert '<label for="submit-late_reason">' in page
        assert "fristen gikk ut for 2 dager siden" in page

        response = county_b.post(submit_url(skien), {"submit-late_reason": "  "})
        page = html(response)
        assert response.status_code == 200
        assert '<a href="#submit-late_reason">' in page
        assert 'id="submit-late_reason_error"' in page
        assert not Version.objects.filter(submission=skien).exists()

        response = county_b.post(
            submit_url(skien), {"submit-late_reason": "Vedtak i kommunestyret kom sent."}
        )
        assert response.status_code == 302
        version = Version.objects.get(submission=skien)
        assert version.is_late and version.late_reason == "Vedtak i kommunestyret kom sent."


# ---------------------------------------------------------------------------------------------
# county submission


class TestCountySubmission:
    def url(self, name="county-submission", *args):
        return reverse(f"skjema:{name}", args=[2027, "40", *args])

    def test_own_county_shortcut(self, county_b, opened):
        response = county_b.get(reverse("skjema:county-submission-own", args=[2027]))
        assert response.status_code == 302 and response.url == self.url()

    def test_recommendations_are_prelisted_and_summed_against_the_share(
        self, county_b, opened, counties
    ):
        CountyShare.objects.create(round=opened, county=counties["40"], share=100)
        url = self.url("county-section", "recommendations")
        page = county_b.get(url)
        data = form_data(page, "recommendations-form")
        assert data["recommendations-TOTAL_FORMS"] == ["17"]
        assert "Anbefalt antall for Skien (4003)" in html(page)
        data.update(
            {
                "recommendations-0-number": "30",
                "recommendations-0-justification": "Gode tilbud.",
                "recommendations-1-number": "45",
                "save": "1",
            }
        )
        bad = post(county_b, url, {**data, "recommendations-1-number": "mange"})
        assert (
            '<a href="#recommendations-1-number">Skien (4003), Anbefalt antall: Oppgi et heltall.'
            in html(bad)
        )
        assert 'value="mange"' in html(bad) and "Gode tilbud." in html(bad)
        assert post(county_b, url, data).status_code == 302
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        assert sorted(submission.recommendations.values_list("municipality__number", "number")) == [
            ("4001", 30),
            ("4003", 45),
        ]
        page = html(county_b.get(self.url()))
        assert (
            "Sum anbefalt: <strong>75</strong> av fylkets andel på <strong>100</strong> (25 under andelen)"
            in page
        )

        # Submitting reports the municipalities still missing, linked to the table.
        page = html(county_b.post(self.url("county-submit")))
        assert "Mangler anbefalt antall for 4005" in page
        assert f'href="{url}?kontroll=1#recommendations-rows"' in page

    def test_plan_document_upload(self, county_b, opened, counties, users):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from wagtail.documents import get_document_model

        url = self.url("county-section", "plans")
        data = form_data(county_b.get(url), "plans-form")
        data.update(
            {"plans-plan_title": "Integreringsplan", "plans-plan_period": "2026–2029", "save": "1"}
        )
        pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        response = post(county_b, url, {**data, "plans-plan_document": pdf})
        assert response.status_code == 302
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        document = get_document_model().objects.get(pk=submission.plan_document_id)
        assert document.title == "Telemark: Integreringsplan"
        page = html(county_b.get(self.url()))
        assert f'<a href="{document.url}">Telemark: Integreringsplan</a>' in page
        # A draft plan is not public: only portal roles may download it.
        assert county_b.get(document.url).status_code == 200
        county_b.force_login(users["outsider"])
        assert county_b.get(document.url).status_code == 403
        county_b.logout()
        assert county_b.get(document.url).status_code == 302  # to the login page

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("plan.exe", b"MZ", "må være en PDF-, DOCX- eller ODT-fil"),
            ("plan.pdf", b"not a pdf", "ser ikke ut til å være en gyldig PDF-fil"),
            ("plan.docx", b"PK\x03\x04" + b"0" * (20 * 1024 * 1024), "Det kan være høyst 20 MB"),
        ],
    )
    def test_bad_documents_are_refused_and_nothing_is_written(
        self, county_b, opened, counties, name, content, message
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from wagtail.documents import get_document_model

        url = self.url("county-section", "plans")
        data = form_data(county_b.get(url), "plans-form")
        data.update({"plans-plan_title": "Planen", "save": "1"})
        response = post(
            county_b, url, {**data, "plans-plan_document": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200
        assert message in html(response)
        assert 'value="Planen"' in html(response)
        assert not get_document_model().objects.exists()
        assert CountySubmission.objects.get(round=opened, county=counties["40"]).plan_title == ""

    def test_a_full_upload_storage_is_explained_and_nothing_is_saved(
        self, county_b, opened, counties, monkeypatch, caplog
    ):
        """The disk for uploads is full (ENOSPC from the storage): the officer gets the form
        back with a Norwegian explanation and their input, and nothing of the section is
        saved: no document row, no file, no edit."""
        import errno

        from django.core.files.storage import FileSystemStorage
        from django.core.files.uploadedfile import SimpleUploadedFile
        from wagtail.documents import get_document_model

        from skjema.models import SectionEdit

        written = []

        def full(storage, name, content):
            written.append(name)
            raise OSError(errno.ENOSPC, "No space left on device")

        url = self.url("county-section", "plans")
        data = form_data(county_b.get(url), "plans-form")
        data.update({"plans-plan_title": "Integreringsplan", "save": "1"})
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        edits = SectionEdit.objects.filter(submission=submission).count()
        monkeypatch.setattr(FileSystemStorage, "_save", full)
        pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        response = post(county_b, url, {**data, "plans-plan_document": pdf})

        assert written  # the storage was asked, and refused
        assert response.status_code == 200
        page = html(response)
        assert "lagringsplassen for vedlegg er full eller utilgjengelig" in page
        assert "Ingenting i denne delen er lagret." in page
        assert 'value="Integreringsplan"' in page
        assert not get_document_model().objects.exists()
        submission.refresh_from_db()
        assert submission.plan_title == "" and submission.plan_document_id is None
        assert SectionEdit.objects.filter(submission=submission).count() == edits
        assert "Could not store the plan document" in caplog.text


# ---------------------------------------------------------------------------------------------
# receipts


@pytest.fixture
def submitted(skien, users):
    skien = fill_profile(skien, users["fylke_b"])
    return services.submit(skien, users["fylke_b"])


class TestReceipt:
    def test_receipt_page_shows_what_was_submitted(self, county_b, submitted):
        response = county_b.get(reverse("skjema:receipt", args=[2027, submitted.pk]))
        page = html(response)
        assert response.status_code == 200
        assert "Kommuneprofil for Skien" in page
        assert "Versjon" in page and "<dd>1</dd>" in page
        assert timezone.localtime(submitted.created_at).strftime("%d.%m.%Y kl. %H.%M") in page
        assert "Introduksjonsprogram med fagbrev" in page
        assert "Familier med barn, Enslige voksne" in page

    def test_receipt_document(self, county_b, submitted):
        from docx import Document

        response = county_b.get(reverse("skjema:receipt-docx", args=[2027, submitted.pk]))
        assert response.status_code == 200
        assert (
            response["Content-Disposition"] == 'attachment; filename="kvittering-2027-4003-v1.docx"'
        )
        document = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
        assert "Kommuneprofil for Skien" in text + cells
        assert timezone.localtime(submitted.created_at).strftime("%d.%m.%Y kl. %H.%M") in text
        assert "Introduksjonsprogram med fagbrev" in cells
        assert "Skien videregående skole" in cells

    @pytest.mark.parametrize("who", ["imdi", "ks"])
    def test_imdi_and_ks_may_read_it(self, client, users, submitted, who):
        client.force_login(users[who])
        assert client.get(reverse("skjema:receipt", args=[2027, submitted.pk])).status_code == 200

    @pytest.mark.parametrize("who", ["fylke_a", "editor", "outsider"])
    def test_others_get_404(self, client, users, submitted, who):
        client.force_login(users[who])
        for name in ("skjema:receipt", "skjema:receipt-docx"):
            assert client.get(reverse(name, args=[2027, submitted.pk])).status_code == 404

    def test_wrong_year_is_404(self, county_b, submitted):
        assert county_b.get(reverse("skjema:receipt", args=[2026, submitted.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# refusals


def telemark_urls(skien):
    return {
        "profile": skien.get_absolute_url(),
        "section": section_url(skien, "capacity"),
        "county": reverse("skjema:county-submission", args=[2027, "40"]),
        "county-section": reverse("skjema:county-section", args=[2027, "40", "plans"]),
    }


class TestRefusals:
    def test_another_county_gets_404_everywhere_and_nothing_changes(self, client, skien, users):
        client.force_login(users["fylke_a"])
        for url in telemark_urls(skien).values():
            assert client.get(url).status_code == 404, url
        before = SectionEdit.objects.count()
        posts = [
            (section_url(skien, "capacity"), {"capacity-capacity": "99", "save": "1"}),
            (submit_url(skien), {}),
            (reverse("skjema:profile-confirm", args=[2027, "4003", "capacity"]), {}),
            (reverse("skjema:county-submit", args=[2027, "40"]), {}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
        skien.refresh_from_db()
        assert skien.capacity is None and skien.status == Status.DRAFT
        assert SectionEdit.objects.count() == before

    def test_anonymous_is_sent_to_login(self, client, skien):
        for url in [
            reverse("skjema:index"),
            reverse("skjema:dashboard", args=[2027]),
            *telemark_urls(skien).values(),
        ]:
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith("/logg-inn/?next=")
        assert client.post(submit_url(skien)).url.startswith("/logg-inn/")

    @pytest.mark.parametrize("who", ["imdi", "ks", "editor", "outsider", "admin"])
    def test_nobody_else_edits_a_draft(self, client, skien, users, who):
        client.force_login(users[who])
        assert client.get(section_url(skien, "capacity")).status_code == 404
        assert client.post(submit_url(skien)).status_code == 404

    @pytest.mark.parametrize("who", ["imdi", "ks"])
    def test_readers_of_a_submitted_profile_cannot_edit_it(self, client, skien, users, who):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        client.force_login(users[who])
        assert client.get(skien.get_absolute_url()).status_code == 200
        assert client.get(section_url(skien, "capacity")).status_code == 403
        assert client.post(submit_url(skien)).status_code == 403

    def test_unknown_section_is_404(self, county_b, skien):
        assert county_b.get(section_url(skien, "nonsense")).status_code == 404


# ---------------------------------------------------------------------------------------------
# page structure (the browser tests run axe-core; these catch the basics on every page fast)


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.h1 = 0
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self.tables = self.captions = 0
        self._template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            self.controls.append(attrs.get("id", "<no id>"))
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1


def assert_well_formed(page: str):
    structure = _Structure()
    structure.feed(page)
    duplicates = {i for i in structure.ids if structure.ids.count(i) > 1}
    assert not duplicates, duplicates
    assert structure.h1 == 1
    unlabelled = [c for c in structure.controls if c not in structure.labels]
    assert not unlabelled, unlabelled
    assert structure.tables == structure.captions


def test_every_county_page_is_well_formed(county_b, skien, users, opened):
    skien = fill_profile(
        skien,
        users["fylke_b"],
        cooperation=[{"partners": ["4001"], "area": "Norsk", "description": ""}],
    )
    urls = [reverse("skjema:dashboard", args=[2027]), skien.get_absolute_url()]
    urls += [
        section_url(skien, key) + "?kontroll=1"
        for key in ("qualification", "upper_secondary", "cooperation", "labour", "capacity")
    ]
    urls += [reverse("skjema:county-submission", args=[2027, "40"])]
    urls += [
        reverse("skjema:county-section", args=[2027, "40", key])
        for key in ("plans", "recommendations", "comment")
    ]
    for url in urls:
        response = county_b.get(url)
        assert response.status_code == 200, url
        assert_well_formed(html(response))
    # The error and conflict pages too.
    assert_well_formed(
        html(
            county_b.post(
                submit_url(
                    MunicipalityProfile.objects.get(round=opened, municipality__number="4001")
                )
            )
        )
    )
    data = form_data(county_b.get(section_url(skien, "labour")), "labour-form")
    assert_well_formed(
        html(
            post(
                county_b,
                section_url(skien, "labour"),
                {**data, "labour-0-occupation": "x", "save": "1"},
            )
        )
    )
    base = services.latest_edit_ids(skien)["capacity"]
    stale = form_data(county_b.get(section_url(skien, "capacity")), "capacity-form")
    services.save_section(skien, "capacity", {"capacity": 2}, users["fylke_b"], base_edit_id=base)
    conflict = post(county_b, section_url(skien, "capacity"), {**stale, "save": "1"})
    assert conflict.status_code == 409
    assert_well_formed(html(conflict))
    version = services.submit(skien, users["fylke_b"])
    assert_well_formed(html(county_b.get(reverse("skjema:receipt", args=[2027, version.pk]))))
