"""The section forms: input to plain data (the shape sections.serialize_section produces),
register codes, blank and prelisted rows, plan documents."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse

from skjema import forms as section_forms
from skjema import services
from skjema.models import SectionEdit
from skjema.sections import get_section, serialize_section

from .conftest import fill_profile
from .test_county_views import form_data

pytestmark = pytest.mark.django_db


def bound(section_key, data, *, kind="profile", options=None):
    section = get_section(kind, section_key)
    options = options or section_forms.Options()
    editor = section_forms.build(section, kind, options, initial=[], data=data)
    return section, editor


class TestRoundTrip:
    @pytest.mark.parametrize(
        "key", ["qualification", "upper_secondary", "cooperation", "labour", "capacity"]
    )
    def test_opening_and_saving_unchanged_changes_nothing(self, client, skien, users, key):
        skien = fill_profile(
            skien,
            users["fylke_b"],
            cooperation=[
                {"partners": ["3806", "4001"], "area": "Norsk", "description": "Ny\\nlinje"}
            ],
        )
        before = serialize_section(skien, get_section("profile", key))
        client.force_login(users["fylke_b"])
        url = reverse("skjema:profile-section", args=[2027, "4003", key])
        data = form_data(client.get(url), f"{key}-form")
        assert client.post(url, {**data, "save": "1"}).status_code == 302
        latest = SectionEdit.objects.filter(submission=skien, section=key).latest("id")
        assert latest.data == before
        # A partner outside the round's structure (3806, from 2020–2023) is not dropped.
        if key == "cooperation":
            assert latest.data[0]["partners"] == ["3806", "4001"]

    def test_saving_a_carried_section_unchanged_keeps_it_unchanged(self, client, skien, users):
        skien.section_state = {
            **skien.section_state,
            "capacity": {"carried_from": 2026, "confirmed": False, "edited": False},
        }
        skien.save()
        client.force_login(users["fylke_b"])
        url = reverse("skjema:profile-section", args=[2027, "4003", "capacity"])
        data = form_data(client.get(url), "capacity-form")
        client.post(url, {**data, "save": "1"})
        skien.refresh_from_db()
        assert skien.section_state["capacity"]["edited"] is False


class TestToPlain:
    def test_field_section_types(self):
        section, form = bound(
            "capacity",
            {
                "capacity-wants_to_settle": "yes",
                "capacity-capacity": "12",
                "capacity-takes_unaccompanied_minors": "false",
                "capacity-household_types": ["single", "family"],
                "capacity-housing_situation": "",
            },
        )
        assert form.is_valid(), form.errors
        assert section_forms.to_plain(section, form) == {
            "wants_to_settle": "yes",
            "capacity": 12,
            "takes_unaccompanied_minors": False,
            "minors_under_15": None,
            "minors_15_18": None,
            "household_types": ["family", "single"],
            "largest_household": None,
            "wheelchair_dwellings": None,
            "health_followup": "",
            "housing_situation": "",
            "special_needs_capacity": "",
            "capacity_comment": "",
        }

    def test_negative_numbers_and_words_are_type_errors(self):
        _section, form = bound("capacity", {"capacity-capacity": "-3"})
        assert not form.is_valid() and "capacity" in form.errors
        _section, form = bound("capacity", {"capacity-capacity": "tolv"})
        assert not form.is_valid()

    def test_rows_keep_uids_drop_blank_new_rows_and_removed_rows(self):
        uid = str(uuid.uuid4())
        section, formset = bound(
            "qualification",
            {
                "qualification-TOTAL_FORMS": "4",
                "qualification-INITIAL_FORMS": "1",
                "qualification-0-uid": uid,
                "qualification-0-name": "Beholdt",
                "qualification-0-result_share": "72,5",
                "qualification-1-name": "Ny",
                "qualification-1-seats": "10",
                "qualification-2-name": "Fjernes",
                "qualification-2-DELETE": "on",
                # row 3: left blank
            },
        )
        assert formset.is_valid(), formset.errors
        rows = section_forms.to_plain(section, formset)
        assert [row.get("uid") for row in rows] == [uid, None]
        assert rows[0]["result_share"] == "72.5"
        assert rows[1]["seats"] == 10 and rows[1]["kind"] == ""
        assert list(rows[1]) == list(section.fields)

    def test_occupation_codes_any_level_and_with_name(self):
        options = section_forms.Options(occupations={"5": "Salg", "53": "Pleie", "5321": "Helse"})
        section, formset = bound(
            "labour",
            {
                "labour-TOTAL_FORMS": "3",
                "labour-INITIAL_FORMS": "0",
                "labour-0-occupation": "5",
                "labour-1-occupation": " 5321 Helsefagarbeidere ",
                "labour-2-occupation": "0301",
            },
            options=options,
        )
        assert not formset.is_valid()
        assert formset.forms[2].errors["occupation"] == [
            "Ukjent STYRK-08-kode «0301». Skriv en kode fra listen, for eksempel 53."
        ]
        assert formset.forms[1].cleaned_data["occupation"] == "5321"

    def test_prelisted_rows_with_only_their_municipality_are_not_saved(self):
        options = section_forms.Options(
            county_municipalities={"4001": "Porsgrunn", "4003": "Skien"}
        )
        section, formset = bound(
            "recommendations",
            {
                "recommendations-TOTAL_FORMS": "2",
                "recommendations-INITIAL_FORMS": "2",
                "recommendations-0-municipality": "4001",
                "recommendations-1-municipality": "4003",
                "recommendations-1-number": "0",
            },
            kind="county",
            options=options,
        )
        assert formset.is_valid(), formset.errors
        assert section_forms.to_plain(section, formset) == [
            {"municipality": "4003", "number": 0, "justification": ""}
        ]

    def test_a_municipality_twice_is_refused(self):
        section, formset = bound(
            "recommendations",
            {
                "recommendations-TOTAL_FORMS": "2",
                "recommendations-INITIAL_FORMS": "2",
                "recommendations-0-municipality": "4001",
                "recommendations-1-municipality": "4001",
            },
            kind="county",
        )
        assert not formset.is_valid()
        assert formset.non_form_errors() == ["Kommune 4001 står flere ganger."]

    def test_prelisted_initial_rows_list_every_municipality_then_others(self):
        options = section_forms.Options(
            county_municipalities={"4001": "Porsgrunn", "4003": "Skien"}
        )
        section = get_section("county", "recommendations")
        saved = [
            {"uid": "a", "municipality": "0301", "number": 3, "justification": ""},
            {"uid": "b", "municipality": "4003", "number": 5, "justification": "x"},
        ]
        rows = section_forms.initial_rows(section, saved, options)
        assert [row["municipality"] for row in rows] == ["4001", "4003", "0301"]
        assert rows[1]["uid"] == "b"


class TestHelpers:
    def test_with_extra_row(self):
        data = QueryDict("q-TOTAL_FORMS=2&q-0-name=a", mutable=False)
        extended = section_forms.with_extra_row(data, "q")
        assert extended["q-TOTAL_FORMS"] == "3" and extended["q-0-name"] == "a"
        assert data["q-TOTAL_FORMS"] == "2"
        assert (
            section_forms.with_extra_row(QueryDict("q-TOTAL_FORMS=x"), "q")["q-TOTAL_FORMS"] == "1"
        )

    def test_hide_errors_renders_input_without_judging_it(self):
        _section, formset = bound(
            "qualification",
            {
                "qualification-TOTAL_FORMS": "1",
                "qualification-INITIAL_FORMS": "0",
                "qualification-0-seats": "abc",
            },
        )
        section_forms.hide_errors(formset)
        rendered = str(formset.forms[0]["seats"])
        assert 'value="abc"' in rendered and "aria-invalid" not in rendered

    def test_yes_no_select_shows_the_stored_value(self):
        section = get_section("profile", "capacity")
        form = section_forms.build(
            section,
            "profile",
            section_forms.Options(),
            initial={"takes_unaccompanied_minors": True},
        )
        assert '<option value="true" selected>Ja</option>' in str(
            form["takes_unaccompanied_minors"]
        )


class TestDocuments:
    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("plan.pdf", b"%PDF-1.4 x"),
            ("Plan.DOCX", b"PK\x03\x04 x"),
            ("plan.odt", b"PK\x03\x04 x"),
        ],
    )
    def test_accepted(self, name, content):
        section_forms.validate_document(SimpleUploadedFile(name, content))

    @pytest.mark.parametrize(
        ("name", "content", "code"),
        [
            ("plan.txt", b"tekst", "document_type"),
            ("plan", b"%PDF-1.4", "document_type"),
            ("plan.docx", b"%PDF-1.4", "document_content"),
            ("plan.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "document_size"),
        ],
    )
    def test_refused(self, name, content, code):
        with pytest.raises(ValidationError) as exc:
            section_forms.validate_document(SimpleUploadedFile(name, content))
        assert exc.value.code == code

    def test_exactly_20_mb_is_allowed(self):
        section_forms.validate_document(
            SimpleUploadedFile("plan.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 - 5))
        )


def test_edit_page_options_cost_a_query_each(client, skien, users, django_assert_max_num_queries):
    client.force_login(users["fylke_b"])
    ids = services.latest_edit_ids(skien)
    services.save_section(
        skien,
        "cooperation",
        [{"partners": ["4001", "4005"], "area": f"Område {n}"} for n in range(10)],
        users["fylke_b"],
        base_edit_id=ids["cooperation"],
    )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("skjema:profile-section", args=[2027, "4003", "cooperation"]))
    assert response.status_code == 200
