"""The skjema API: the whole journey, conflicts, strict validation with nothing written, what
each reader sees, every refusal from the refused side, filters, query counts and the schema."""

import datetime

import pytest
from rest_framework.test import APIClient

from skjema import services
from skjema.models import (
    CountySubmission,
    MunicipalityProfile,
    ReviewComment,
    SectionEdit,
    Status,
    Transition,
)
from skjema.sections import serialize

from .conftest import COMPLETE_CAPACITY, OFFER, fill_profile, make_round

pytestmark = pytest.mark.django_db

UPPER_SECONDARY = {
    "programme_area": "HSHSF1----",
    "level": "Vg1",
    "provider": "Skien videregående skole",
    "adapted_for_adults": True,
    "adapted_for_minority_language": True,
    "combination_class": False,
    "description": "",
}
LABOUR = {
    "occupation": "53",
    "competence_level": "trade_certificate",
    "scale": "high",
    "sector": "public",
    "description": "Helsefagarbeidere i hjemmetjenesten.",
}
FULL_PROFILE = {
    "qualification": [OFFER],
    "upper_secondary": [UPPER_SECONDARY],
    "cooperation": [{"partners": ["4001"], "area": "Norskopplæring", "description": ""}],
    "labour": [LABOUR],
    "capacity": COMPLETE_CAPACITY,
}


def profile_url(submission, suffix=""):
    return f"/api/v1/profiles/{submission.pk}/{suffix}"


def county_url(submission, suffix=""):
    return f"/api/v1/county-submissions/{submission.pk}/{suffix}"


@pytest.fixture
def api_as(users):
    def _client(who):
        client = APIClient()
        if who is not None:
            client.force_authenticate(users[who] if isinstance(who, str) else who)
        return client

    return _client


def patch(client, url, sections, base_edits):
    return client.patch(url, {"sections": sections, "base_edits": base_edits}, format="json")


def save_all(client, url, sections):
    """PATCH the given sections on top of whatever the client last saw."""
    bases = client.get(url).json()["base_edits"]
    return patch(client, url, sections, {key: bases.get(key) for key in sections})


def submitted(profile, users):
    fill_profile(profile, users["fylke_b"])
    services.submit(profile, users["fylke_b"])
    return MunicipalityProfile.objects.get(pk=profile.pk)


def snapshot(submission):
    """Everything a refused write must leave untouched."""
    fresh = type(submission).objects.get(pk=submission.pk)
    return (
        fresh.status,
        serialize(fresh),
        SectionEdit.objects.filter(submission=submission).count(),
        fresh.versions.count(),
    )


class TestJourney:
    def test_draft_patch_submit_return_patch_submit_accept_reopen(self, skien, api_as):
        county, imdi = api_as("fylke_b"), api_as("imdi")  # Skien is in Telemark (40)
        url = profile_url(skien)

        draft = county.get(url).json()
        assert (draft["status"], draft["view"]) == ("draft", "working_copy")
        assert set(draft["base_edits"]) == set(FULL_PROFILE)
        response = patch(county, url, FULL_PROFILE, draft["base_edits"])
        assert response.status_code == 200, response.json()
        saved = response.json()
        assert saved["sections"]["qualification"][0]["name"] == OFFER["name"]
        assert saved["sections"]["cooperation"][0]["partners"] == ["4001"]
        assert saved["sections"]["capacity"]["capacity"] == 25
        assert saved["base_edits"]["capacity"] > draft["base_edits"]["capacity"]
        assert SectionEdit.objects.filter(submission=skien, source="api").count() == 5

        response = county.post(url + "submit/", {}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"
        assert response.json()["transition"]["version"] == 1

        seen_by_imdi = imdi.get(url).json()
        assert seen_by_imdi["view"] == "latest_version"
        assert seen_by_imdi["base_edits"] is None and seen_by_imdi["section_state"] is None
        assert seen_by_imdi["sections"] == saved["sections"]

        response = imdi.post(
            url + "return/",
            {
                "reason": "Resultatet mangler kilde.",
                "comments": [
                    {
                        "section": "qualification",
                        "field": "result_share",
                        "text": "Hvilket kull gjelder dette?",
                    }
                ],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "returned"

        returned = county.get(url).json()
        assert returned["status"] == "returned"
        [comment] = returned["comments"]
        assert (comment["section"], comment["field"], comment["version"]) == (
            "qualification",
            "result_share",
            1,
        )
        assert comment["by"]["username"] == "imdi-test"

        row = {**returned["sections"]["qualification"][0], "result_share": "75"}
        response = patch(
            county,
            url,
            {"qualification": [row]},
            {"qualification": returned["base_edits"]["qualification"]},
        )
        assert response.status_code == 200, response.json()
        assert response.json()["sections"]["qualification"][0]["uid"] == row["uid"]

        # While the county corrects it, IMDi still reads what was submitted.
        during = imdi.get(url).json()
        assert during["view"] == "latest_version"
        assert during["latest_version"]["number"] == 1
        assert during["sections"]["qualification"][0]["result_share"] == "72.5"
        assert county.get(url).json()["sections"]["qualification"][0]["result_share"] == "75"

        response = county.post(url + "submit/", {"late_reason": ""}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "resubmitted"

        versions = imdi.get(url + "versions/").json()
        assert [v["number"] for v in versions] == [1, 2]
        assert versions[0]["created_by"]["username"] == "fylke-b"
        first = imdi.get(url + "versions/1/").json()
        assert first["data"]["qualification"][0]["result_share"] == "72.5"

        changes = imdi.get(url + "diff/", {"from": 1, "to": 2}).json()
        assert (changes["from"]["number"], changes["to"]["number"]) == (1, 2)
        by_key = {section["key"]: section for section in changes["sections"]}
        [row_change] = by_key["qualification"]["rows"]
        assert row_change["change"] == "changed"
        assert row_change["label"] == OFFER["name"]
        assert [(f["field"], f["old"], f["new"]) for f in row_change["fields"]] == [
            ("result_share", "72.5", "75")
        ]
        assert not any(s["changed"] for key, s in by_key.items() if key != "qualification")
        assert imdi.get(url + "diff/").json() == changes  # defaults: latest against the one before

        response = imdi.post(url + "accept/", {"reason": ""}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "accepted"
        response = imdi.post(url + "reopen/", {"reason": "Nye tall fra kommunen."}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["transition"]["reason"] == "Nye tall fra kommunen."

        actions = list(skien.transitions.values_list("action", "by__username"))
        assert actions == [
            ("carry_forward", None),
            ("submit", "fylke-b"),
            ("return", "imdi-test"),
            ("submit", "fylke-b"),
            ("accept", "imdi-test"),
            ("reopen", "imdi-test"),
        ]
        assert MunicipalityProfile.objects.get(pk=skien.pk).status == Status.RETURNED

    def test_invalid_submission_lists_every_problem_and_changes_nothing(self, skien, api_as):
        before = snapshot(skien)
        response = api_as("fylke_b").post(profile_url(skien, "submit/"), {}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["detail"].startswith("Skjemaet kan ikke sendes inn")
        fields = {(p["section"], p["row"], p["field"]) for p in body["problems"]}
        assert ("capacity", None, "wants_to_settle") in fields
        assert all(p["message"] for p in body["problems"])
        assert snapshot(skien) == before

    def test_late_submission_needs_a_reason(self, skien, api_as, users):
        fill_profile(skien, users["fylke_b"])
        skien.round.deadline = skien.round.deadline - datetime.timedelta(days=60)
        skien.round.save()
        county = api_as("fylke_b")
        response = county.post(profile_url(skien, "submit/"), {}, format="json")
        assert response.status_code == 400
        assert [p["field"] for p in response.json()["problems"]] == ["late_reason"]
        response = county.post(
            profile_url(skien, "submit/"), {"late_reason": "Sent vedtak."}, format="json"
        )
        assert response.status_code == 200
        detail = api_as("imdi").get(profile_url(skien)).json()
        assert detail["is_late"] and detail["late_reason"] == "Sent vedtak."
        assert detail["latest_version"]["is_late"]


class TestConflicts:
    def test_same_base_twice_is_a_409_and_nothing_is_lost(self, skien, api_as, make_user, users):
        colleague = make_user("fylke-b2", "fylke", users["fylke_b"].county)
        first, second = api_as("fylke_b"), api_as(colleague)
        url = profile_url(skien)
        base = first.get(url).json()["base_edits"]["capacity"]
        assert second.get(url).json()["base_edits"]["capacity"] == base

        response = patch(
            first, url, {"capacity": {"wants_to_settle": "yes", "capacity": 10}}, {"capacity": base}
        )
        assert response.status_code == 200
        before = snapshot(skien)

        response = patch(second, url, {"capacity": {"wants_to_settle": "no"}}, {"capacity": base})
        assert response.status_code == 409
        body = response.json()
        assert body["section"] == "capacity"
        assert body["base_edit"] == base
        assert body["latest_edit"]["by"]["username"] == "fylke-b"
        assert body["latest_edit"]["source"] == "api"
        assert body["latest_edit"]["at"]
        assert body["latest_data"]["capacity"] == 10
        assert "Noen andre har lagret" in body["detail"]
        changed = {f["field"]: (f["old"], f["new"]) for f in body["changes"]["fields"]}
        assert changed["capacity"] == ("–", "10")
        assert snapshot(skien) == before  # the first save stands, the second wrote nothing

        # Having seen the other change, the colleague saves on top of it.
        response = patch(
            second,
            url,
            {"capacity": {"wants_to_settle": "no"}},
            {"capacity": body["latest_edit"]["id"]},
        )
        assert response.status_code == 200
        skien.refresh_from_db()
        assert (skien.wants_to_settle, skien.capacity) == ("no", 10)

    def test_a_conflict_in_one_section_writes_no_other_section(self, skien, api_as):
        county = api_as("fylke_b")
        url = profile_url(skien)
        bases = county.get(url).json()["base_edits"]
        assert patch(county, url, {"capacity": {"capacity": 3}}, bases).status_code == 200
        before = snapshot(skien)
        response = patch(county, url, {"labour": [LABOUR], "capacity": {"capacity": 4}}, bases)
        assert response.status_code == 409
        assert response.json()["section"] == "capacity"
        assert snapshot(skien) == before
        assert not skien.labour_needs.exists()

    def test_a_submitted_profile_cannot_be_changed(self, skien, api_as, users):
        skien = submitted(skien, users)
        county = api_as("fylke_b")
        before = snapshot(skien)
        response = save_all(county, profile_url(skien), {"capacity": {"capacity": 1}})
        assert response.status_code == 409
        assert "kan ikke endres" in response.json()["detail"]
        assert snapshot(skien) == before


class TestValidation:
    @pytest.mark.parametrize(
        ("sections", "path", "message"),
        [
            (
                {"cooperation": [{"partners": [301], "area": "Norsk"}]},
                ("sections", "cooperation", "0", "partners", "0", 0),
                "må skrives som tekst, for eksempel «0301», ikke som tallet 301",
            ),
            (
                {"cooperation": [{"partners": ["301"], "area": "Norsk"}]},
                ("sections", "cooperation", "0", "partners", "0", 0),
                "fire sifre",
            ),
            (
                {"labour": [{**LABOUR, "occupation": "9999"}]},
                ("sections", "labour", "0", "occupation", 0),
                "Ukjent kode «9999» for yrke (STYRK-08)",
            ),
            (
                {"upper_secondary": [{**UPPER_SECONDARY, "programme_area": "XX"}]},
                ("sections", "upper_secondary", "0", "programme_area", 0),
                "Ukjent kode «XX» for programområde",
            ),
            (
                {"capacity": {"capacity": -5}},
                ("sections", "capacity", "capacity", 0),
                "større enn eller lik 0",
            ),
            (
                {"capacity": {"capacity": "25"}},
                ("sections", "capacity", "capacity", 0),
                "Må være et heltall, ikke tekst",
            ),
            (
                {"capacity": {"takes_unaccompanied_minors": "ja"}},
                ("sections", "capacity", "takes_unaccompanied_minors", 0),
                "Må være true eller false",
            ),
            (
                {"capacity": {"household_types": ["castle"]}},
                ("sections", "capacity", "household_types", "0", 0),
                "ikke et gyldig valg",
            ),
            (
                {"qualification": [{**OFFER, "result_share": "abc"}]},
                ("sections", "qualification", "0", "result_share", 0),
                "Et gyldig nummer er nødvendig",
            ),
            (
                {"qualification": [{**OFFER, "seats": 10**12}]},
                ("sections", "qualification", "0", "seats", 0),
                "mindre enn eller lik 2147483647",
            ),
            (
                {"kapasitet": {"capacity": 5}},
                ("sections", "kapasitet", 0),
                "Ukjent del «kapasitet». Gyldige deler: qualification,",
            ),
            (
                {"capacity": {"capasity": 5}},
                ("sections", "capacity", "capasity", 0),
                "Ukjent felt «capasity»",
            ),
            (
                {"labour": [{"uid": "d4a3e2a4-1e8e-4b1a-9a55-1f0b2f6c8a10"}] * 2},
                ("sections", "labour", "non_field_errors", 0),
                "samme uid",
            ),
        ],
    )
    def test_bad_input_is_a_clear_400_and_writes_nothing(
        self, skien, api_as, sections, path, message
    ):
        county = api_as("fylke_b")
        url = profile_url(skien)
        bases = county.get(url).json()["base_edits"]
        # A valid section next to the bad one: all or nothing.
        payload = sections if "capacity" in sections else {"capacity": {"capacity": 7}, **sections}
        before = snapshot(skien)
        response = patch(county, url, payload, bases)
        assert response.status_code == 400
        error = response.json()
        for step in path:
            error = error[step]
        assert message in error
        assert snapshot(skien) == before

    def test_at_least_one_section(self, skien, api_as):
        before = snapshot(skien)
        response = patch(api_as("fylke_b"), profile_url(skien), {}, {})
        assert response.status_code == 400
        assert "minst én del" in response.json()["sections"][0]
        assert snapshot(skien) == before

    def test_base_edits_must_be_given_for_each_section(self, skien, api_as):
        before = snapshot(skien)
        response = patch(api_as("fylke_b"), profile_url(skien), {"capacity": {"capacity": 2}}, {})
        assert response.status_code == 400
        assert "capacity" in response.json()["base_edits"]
        assert snapshot(skien) == before

    @pytest.mark.parametrize(
        "body", ["tekst", [1, 2], {"sections": "capacity"}, {"sections": {"capacity": []}}]
    )
    def test_wrong_shapes_are_400(self, skien, api_as, body):
        before = snapshot(skien)
        response = api_as("fylke_b").patch(profile_url(skien), body, format="json")
        assert response.status_code == 400
        assert snapshot(skien) == before

    def test_malformed_json_is_400(self, skien, api_as):
        response = api_as("fylke_b").generic(
            "PATCH", profile_url(skien), "{nei", content_type="application/json"
        )
        assert response.status_code == 400

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('{"sections": {"\\udc00": {}}, "base_edits": {}}', "Unicode"),
            ('{"sections": {"capacity": {"wants_to_settle": "\\ud800"}}}', "Unicode"),
            ('{"sections": {"capacity": ' + "[" * 100_000 + "]" * 100_000 + "}}", "dypt"),
        ],
    )
    def test_unprintable_or_too_deep_json_is_a_400_not_a_500(self, skien, api_as, body, message):
        before = snapshot(skien)
        response = api_as("fylke_b").generic(
            "PATCH", profile_url(skien), body, content_type="application/json"
        )
        assert response.status_code == 400
        assert message in response.json()["detail"]
        assert snapshot(skien) == before

    def test_return_needs_a_reason_or_comments_and_known_sections(self, skien, api_as, users):
        skien = submitted(skien, users)
        imdi = api_as("imdi")
        url = profile_url(skien, "return/")
        before = snapshot(skien)
        assert imdi.post(url, {"reason": " "}, format="json").status_code == 400
        response = imdi.post(
            url, {"comments": [{"section": "kapasitet", "text": "Hva?"}]}, format="json"
        )
        assert response.status_code == 400
        assert "kapasitet" in response.json()["comments"]["0"]["section"][0]
        response = imdi.post(
            url,
            {"comments": [{"section": "capacity", "field": "seats", "text": "Hva?"}]},
            format="json",
        )
        assert response.status_code == 400
        assert "seats" in response.json()["comments"]["0"]["field"][0]
        assert snapshot(skien) == before
        assert not ReviewComment.objects.exists()

    def test_reopen_needs_a_reason_and_an_accepted_submission(self, skien, api_as, users):
        skien = submitted(skien, users)
        imdi = api_as("imdi")
        response = imdi.post(profile_url(skien, "reopen/"), {"reason": "Ny info"}, format="json")
        assert response.status_code == 409
        assert "kan ikke gjenåpnes" in response.json()["detail"]
        assert imdi.post(profile_url(skien, "accept/"), {}, format="json").status_code == 200
        assert imdi.post(profile_url(skien, "accept/"), {}, format="json").status_code == 409
        response = imdi.post(profile_url(skien, "reopen/"), {"reason": ""}, format="json")
        assert response.status_code == 400
        assert MunicipalityProfile.objects.get(pk=skien.pk).status == Status.ACCEPTED


class TestWhoSeesWhat:
    def test_other_county_gets_404_everywhere(self, skien, api_as, users):
        skien = submitted(skien, users)
        other = api_as("fylke_a")  # Oslo
        before = snapshot(skien)
        for suffix in ["", "versions/", "versions/1/", "diff/?from=1&to=1"]:
            assert other.get(profile_url(skien, suffix)).status_code == 404, suffix
        assert (
            patch(other, profile_url(skien), {"capacity": {}}, {"capacity": None}).status_code
            == 404
        )
        for action in ["submit", "return", "accept", "reopen"]:
            response = other.post(profile_url(skien, f"{action}/"), {"reason": "x"}, format="json")
            assert response.status_code == 404, action
        assert snapshot(skien) == before

    def test_other_county_cannot_see_or_change_a_draft(self, skien, api_as):
        other = api_as("fylke_a")
        assert other.get(profile_url(skien)).status_code == 404
        response = patch(other, profile_url(skien), {"capacity": {}}, {"capacity": None})
        assert response.status_code == 404
        assert other.post(profile_url(skien, "submit/"), {}, format="json").status_code == 404
        listed = other.get("/api/v1/profiles/").json()
        assert [p["municipality"]["number"] for p in listed["results"]] == ["0301"]

    @pytest.mark.parametrize("who", ["imdi", "ks"])
    def test_drafts_are_never_visible_to_imdi_or_ks(self, opened, skien, api_as, users, who):
        client = api_as(who)
        assert client.get("/api/v1/profiles/").json()["count"] == 0
        assert client.get(profile_url(skien)).status_code == 404
        assert client.get(profile_url(skien, "versions/")).status_code == 404
        skien = submitted(skien, users)
        body = client.get("/api/v1/profiles/", {"round": opened.year}).json()
        assert body["count"] == 1
        assert body["results"][0]["municipality"] == {"number": "4003", "name": "Skien"}
        assert client.get(profile_url(skien)).json()["view"] == "latest_version"

    @pytest.mark.parametrize("who", ["imdi", "ks"])
    def test_readers_cannot_change_or_submit(self, skien, api_as, users, who):
        skien = submitted(skien, users)
        client = api_as(who)
        before = snapshot(skien)
        response = patch(client, profile_url(skien), {"capacity": {"capacity": 1}}, {"capacity": 1})
        assert response.status_code == 403
        assert "fylkets egne saksbehandlere" in response.json()["detail"]
        assert client.post(profile_url(skien, "submit/"), {}, format="json").status_code == 403
        assert snapshot(skien) == before

    def test_ks_cannot_review(self, skien, api_as, users):
        skien = submitted(skien, users)
        ks = api_as("ks")
        before = snapshot(skien)
        response = ks.post(profile_url(skien, "return/"), {"reason": "Nei"}, format="json")
        assert response.status_code == 403
        assert "Bare IMDi" in response.json()["detail"]
        assert ks.post(profile_url(skien, "accept/"), {}, format="json").status_code == 403
        assert snapshot(skien) == before

    def test_county_officer_cannot_review_its_own_submission(self, skien, api_as, users):
        skien = submitted(skien, users)
        county = api_as("fylke_b")
        before = snapshot(skien)
        for action in ["accept", "return", "reopen"]:
            response = county.post(profile_url(skien, f"{action}/"), {"reason": "x"}, format="json")
            assert response.status_code == 403, action
        assert snapshot(skien) == before
        assert not Transition.objects.filter(submission=skien, action="accept").exists()

    def test_anonymous_and_roleless_users_are_refused(self, skien, api_as):
        for who in [None, "outsider"]:
            client = api_as(who)
            assert client.get("/api/v1/profiles/").status_code in (401, 403)
            assert client.get(profile_url(skien)).status_code in (401, 403)
            assert client.post(profile_url(skien, "submit/"), {}, format="json").status_code in (
                401,
                403,
            )
            assert client.get("/api/v1/rounds/").status_code in (401, 403)

    def test_editor_sees_no_submissions(self, skien, api_as, users):
        submitted(skien, users)
        editor = api_as("editor")
        assert editor.get("/api/v1/profiles/").json()["count"] == 0
        assert editor.get(profile_url(skien)).status_code == 404

    def test_put_and_delete_are_not_offered(self, skien, api_as):
        county = api_as("fylke_b")
        assert county.put(profile_url(skien), {}, format="json").status_code == 405
        assert county.delete(profile_url(skien)).status_code == 405
        assert county.post("/api/v1/profiles/", {}, format="json").status_code == 405


class TestListAndFilters:
    def test_filters(self, opened, skien, oslo, api_as, users):
        submitted(skien, users)
        county = api_as("fylke_b")
        body = county.get("/api/v1/profiles/", {"round": 2027, "county": "40"}).json()
        assert body["count"] == 17
        assert county.get("/api/v1/profiles/", {"round": 2026}).json()["count"] == 0
        body = county.get("/api/v1/profiles/", {"municipality": "4003"}).json()
        assert [p["id"] for p in body["results"]] == [skien.pk]
        assert county.get("/api/v1/profiles/", {"status": "submitted"}).json()["count"] == 1
        assert county.get("/api/v1/profiles/", {"status": "draft"}).json()["count"] == 16
        imdi = api_as("imdi")
        assert imdi.get("/api/v1/profiles/", {"county": "03"}).json()["count"] == 0

    @pytest.mark.parametrize(
        ("params", "key"),
        [
            ({"municipality": "301"}, "municipality"),
            ({"county": "4"}, "county"),
            ({"round": "tjuetjuesju"}, "round"),
            ({"round": "99999999999999999999"}, "round"),
            ({"status": "sendt"}, "status"),
        ],
    )
    def test_bad_filters_are_a_clear_400(self, opened, api_as, params, key):
        response = api_as("fylke_b").get("/api/v1/profiles/", params)
        assert response.status_code == 400
        assert key in response.json()

    def test_list_filters_do_not_hide_a_named_object(self, skien, api_as):
        response = api_as("fylke_b").get(profile_url(skien), {"status": "accepted"})
        assert response.status_code == 200

    def test_list_query_count_does_not_grow_with_page_size(
        self, opened, api_as, users, django_assert_max_num_queries
    ):
        client = api_as("fylke_b")
        for page_size in (2, 17):
            with django_assert_max_num_queries(3):
                body = client.get("/api/v1/profiles/", {"page_size": page_size}).json()
            assert len(body["results"]) == page_size
        with django_assert_max_num_queries(3):
            client.get("/api/v1/county-submissions/")

    def test_detail_query_count_is_bounded(
        self, skien, api_as, users, django_assert_max_num_queries
    ):
        cooperation = [{"partners": ["4001", "4005"], "area": "Norsk", "description": ""}]
        fill_profile(skien, users["fylke_b"], cooperation=cooperation)
        with django_assert_max_num_queries(11):
            assert api_as("fylke_b").get(profile_url(skien)).status_code == 200
        services.submit(skien, users["fylke_b"])
        with django_assert_max_num_queries(4):
            assert api_as("imdi").get(profile_url(skien)).status_code == 200

    def test_numbers_are_strings_and_ids_are_not_leaked(self, skien, api_as, users):
        fill_profile(skien, users["fylke_b"])
        body = api_as("fylke_b").get(profile_url(skien)).json()
        assert body["municipality"]["number"] == "4003"
        assert body["county"] == {"number": "40", "name": "Telemark"}
        assert body["sections"]["labour"][0]["occupation"] == "53"
        assert body["sections"]["upper_secondary"][0]["programme_area"] == "HSHSF1----"


class TestCountySubmissions:
    def test_plans_and_recommendations_journey(self, opened, api_as, counties, users):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        county, imdi = api_as("fylke_b"), api_as("imdi")
        url = county_url(submission)
        numbers = MunicipalityProfile.objects.filter(round=opened, county=counties["40"])
        recommendations = [
            {"municipality": number, "number": 10, "justification": "God kapasitet."}
            for number in numbers.values_list("municipality__number", flat=True)
        ]
        response = save_all(
            county,
            url,
            {
                "plans": {
                    "plan_title": "Kvalifiseringsplan",
                    "plan_summary": "Mer norsk på arbeidsplassen.",
                    "plan_period": "2026–2029",
                    "plan_url": "https://telemark.example/plan",
                },
                "recommendations": recommendations,
                "comment": {"general_comment": "Takk."},
            },
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["recommended_total"] == 10 * len(recommendations)
        assert body["county_share"] is None
        assert body["sections"]["plans"]["plan_title"] == "Kvalifiseringsplan"

        assert imdi.get(url).status_code == 404  # a draft
        response = county.post(url + "submit/", {}, format="json")
        assert response.status_code == 200, response.json()
        seen = imdi.get(url).json()
        assert seen["view"] == "latest_version"
        assert len(seen["sections"]["recommendations"]) == len(recommendations)
        response = imdi.post(
            url + "return/",
            {"comments": [{"section": "plans", "field": "plan_period", "text": "Hvilke år?"}]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        response = save_all(county, url, {"plans": {"plan_period": "2026–2030"}})
        assert response.status_code == 200
        assert county.post(url + "submit/", {}, format="json").status_code == 200
        changes = imdi.get(url + "diff/").json()
        plans = next(s for s in changes["sections"] if s["key"] == "plans")
        assert [(f["old"], f["new"]) for f in plans["fields"]] == [("2026–2029", "2026–2030")]
        assert imdi.post(url + "accept/", {}, format="json").status_code == 200
        assert api_as("fylke_a").get(url).status_code == 404

    @pytest.mark.parametrize(
        ("rows", "message"),
        [
            ([{"municipality": 4003, "number": 1}], "ikke som tallet 4003"),
            ([{"number": 1}], "påkrevet"),
            (
                [{"municipality": "4003", "number": 1}, {"municipality": "4003", "number": 2}],
                "4003 er oppført mer enn én gang",
            ),
        ],
    )
    def test_bad_recommendations_write_nothing(self, opened, api_as, counties, rows, message):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        before = snapshot(submission)
        response = save_all(api_as("fylke_b"), county_url(submission), {"recommendations": rows})
        assert response.status_code == 400
        assert message in str(response.json())
        assert snapshot(submission) == before

    def test_rows_are_matched_by_uid(self, opened, api_as, counties):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        county = api_as("fylke_b")
        url = county_url(submission)
        rows = [{"municipality": "4003", "number": 1, "justification": ""}]
        saved = save_all(county, url, {"recommendations": rows}).json()
        [row] = saved["sections"]["recommendations"]
        response = save_all(county, url, {"recommendations": [{**row, "number": 2}]})
        assert response.status_code == 200
        assert response.json()["sections"]["recommendations"] == [{**row, "number": 2}]

    def test_a_row_without_uid_replaces_the_municipalitys_earlier_row(
        self, opened, api_as, counties
    ):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        county = api_as("fylke_b")
        url = county_url(submission)
        rows = [{"municipality": "4003", "number": 1, "justification": ""}]
        assert save_all(county, url, {"recommendations": rows}).status_code == 200
        response = save_all(county, url, {"recommendations": [{**rows[0], "number": 2}]})
        assert response.status_code == 200
        assert [r["number"] for r in response.json()["sections"]["recommendations"]] == [2]

    def test_swapping_municipalities_between_rows_is_refused_cleanly(
        self, opened, api_as, counties
    ):
        # Row by row, the first row would briefly hold the second row's municipality, which the
        # one-recommendation-per-municipality constraint refuses: a 409, and nothing written.
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        county = api_as("fylke_b")
        url = county_url(submission)
        rows = [
            {"municipality": "4001", "number": 1, "justification": ""},
            {"municipality": "4003", "number": 2, "justification": ""},
        ]
        saved = save_all(county, url, {"recommendations": rows}).json()
        first, second = saved["sections"]["recommendations"]
        before = snapshot(submission)
        swapped = [
            {**first, "municipality": second["municipality"]},
            {**second, "municipality": first["municipality"]},
        ]
        response = save_all(county, url, {"recommendations": swapped})
        assert response.status_code == 409
        assert "Ingenting er lagret" in response.json()["detail"]
        assert snapshot(submission) == before

    def test_filters_and_visibility(self, opened, api_as):
        assert api_as("fylke_b").get("/api/v1/county-submissions/").json()["count"] == 1
        body = api_as("fylke_a").get("/api/v1/county-submissions/", {"county": "03"}).json()
        assert [s["county"]["number"] for s in body["results"]] == ["03"]
        assert api_as("imdi").get("/api/v1/county-submissions/").json()["count"] == 0


class TestRounds:
    @pytest.mark.parametrize("who", ["fylke_a", "imdi", "ks", "editor", "admin"])
    def test_every_portal_role_reads_rounds(self, opened, api_as, who):
        client = api_as(who)
        body = client.get("/api/v1/rounds/").json()
        assert [r["year"] for r in body["results"]] == [2027]
        detail = client.get("/api/v1/rounds/2027/").json()
        assert detail["status"] == "open" and detail["structure"] == "2024"
        assert detail["national_need"] == 4000
        assert client.get("/api/v1/rounds/2030/").status_code == 404

    def test_rounds_are_read_only_here(self, opened, api_as):
        admin = api_as("admin")
        assert admin.post("/api/v1/rounds/", {"year": 2030}, format="json").status_code == 405
        assert admin.patch("/api/v1/rounds/2027/", {"title": "x"}, format="json").status_code == 405


class TestAcrossRounds:
    def test_diff_against_last_years_profile(self, register, counties, api_as, users):
        county = users["fylke_b"]
        last = make_round(2026)
        services.open_round(last, counties=[counties["40"]])
        old = MunicipalityProfile.objects.get(round=last, municipality__number="4003")
        fill_profile(old, county)
        services.submit(old, county, now=last.deadline - datetime.timedelta(days=1))
        services.accept(old, users["imdi"])

        current = make_round(2027, deadline=last.deadline + datetime.timedelta(days=365 * 2))
        services.open_round(current, counties=[counties["40"]])
        new = MunicipalityProfile.objects.get(round=current, municipality__number="4003")
        client = api_as("fylke_b")
        response = save_all(client, profile_url(new), {"capacity": {"capacity": 30}})
        assert response.status_code == 200
        refused = client.post(profile_url(new, "submit/"), {}, format="json")
        assert refused.status_code == 400
        # Last year's cooperation list was empty, so nothing of it was carried forward.
        assert refused.json()["unconfirmed"] == ["qualification", "upper_secondary", "labour"]
        confirmed = client.post(profile_url(new, "confirm/"), {}, format="json")
        assert confirmed.status_code == 200
        assert confirmed.json()["unconfirmed"] == []
        assert client.post(profile_url(new, "submit/"), {}, format="json").status_code == 200

        changes = (
            api_as("imdi")
            .get(profile_url(new, "diff/"), {"from_submission": old.pk, "to": 1})
            .json()
        )
        assert (changes["from"]["round"], changes["to"]["round"]) == (2026, 2027)
        capacity = next(s for s in changes["sections"] if s["key"] == "capacity")
        assert [(f["field"], f["old"], f["new"]) for f in capacity["fields"]] == [
            ("capacity", "25", "30")
        ]
        qualification = next(s for s in changes["sections"] if s["key"] == "qualification")
        assert not qualification["changed"]  # carried forward: same rows, same uids
        missing = api_as("imdi").get(profile_url(new, "diff/"), {"from": 5})
        assert missing.status_code == 404


class TestSchema:
    def test_schema_documents_the_endpoints_and_section_shapes(self, api_as):
        response = api_as("fylke_a").get(
            "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        assert response.status_code == 200
        schema = response.json()
        for kind in ("profiles", "county-submissions"):
            for path in [
                f"/api/v1/{kind}/",
                f"/api/v1/{kind}/{{id}}/",
                f"/api/v1/{kind}/{{id}}/submit/",
                f"/api/v1/{kind}/{{id}}/return/",
                f"/api/v1/{kind}/{{id}}/accept/",
                f"/api/v1/{kind}/{{id}}/reopen/",
                f"/api/v1/{kind}/{{id}}/versions/",
                f"/api/v1/{kind}/{{id}}/versions/{{number}}/",
                f"/api/v1/{kind}/{{id}}/diff/",
            ]:
                assert path in schema["paths"], path
        assert "patch" in schema["paths"]["/api/v1/profiles/{id}/"]
        assert "/api/v1/rounds/{year}/" in schema["paths"]
        components = schema["components"]["schemas"]
        labour = components["LabourNeed"]["properties"]
        assert labour["occupation"]["type"] == "string"
        assert components["Cooperation"]["properties"]["partners"]["items"]["pattern"] == (
            r"^\d{4}$"
        )
        assert set(components["ProfileSections"]["properties"]) == set(FULL_PROFILE)
        conflict = schema["paths"]["/api/v1/profiles/{id}/"]["patch"]["responses"]["409"]
        assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/EditConflict")


class TestFormatSuffix:
    """The router also serves each route with a format suffix (``versions.json``); the custom
    actions and lists answered those with a 500 (an unexpected ``format`` argument), found by
    the authorisation matrix (tests/test_authorisation_matrix.py)."""

    def test_actions_and_lists_answer_json_with_a_suffix(self, skien, api_as, users):
        skien = submitted(skien, users)
        imdi = api_as("imdi")
        for suffix, query in [("versions", ""), ("versions/1", ""), ("diff", "?from=1&to=1")]:
            plain = imdi.get(profile_url(skien, f"{suffix}/{query}"))
            assert plain.status_code == 200, suffix
            suffixed = imdi.get(profile_url(skien, f"{suffix}.json{query}"))
            assert suffixed.status_code == 200, suffix
            assert suffixed.json() == plain.json()
        assert imdi.get("/api/v1/review-queue.json").status_code == 400  # no round chosen
        assert api_as("ks").get("/api/v1/municipalities/4003/statistics.json").status_code == 200

    def test_the_suffix_keeps_the_refusals(self, skien, api_as, users):
        skien = submitted(skien, users)
        other = api_as("fylke_a")
        assert other.get(profile_url(skien, "versions.json")).status_code == 404
        assert other.post(profile_url(skien, "accept.json"), {}, format="json").status_code == 404
        assert api_as("ks").get("/api/v1/review-queue.json").status_code == 403
