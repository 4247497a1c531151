"""The workflow services: the journey, validation, late submission, conflicts, carry-forward,
and every refusal from the side of the user who must be refused."""

import datetime

import pytest
from django.utils import timezone

from skjema import services
from skjema.exceptions import EditConflict, InvalidTransition, NotAllowed, SubmissionInvalid
from skjema.models import (
    CountySubmission,
    MunicipalityProfile,
    QualificationOffer,
    ReviewComment,
    Round,
    SectionEdit,
    Status,
    Transition,
    Version,
)
from skjema.sections import diff, serialize

from .conftest import OFFER, fill_profile, make_round

pytestmark = pytest.mark.django_db


class TestOpenRound:
    def test_creates_drafts_for_the_counties_municipalities(self, opened, counties):
        profiles = MunicipalityProfile.objects.filter(round=opened)
        assert profiles.count() == 1 + 17  # Oslo + Telemark's 17 municipalities
        assert set(profiles.values_list("status", flat=True)) == {Status.DRAFT}
        assert CountySubmission.objects.filter(round=opened).count() == 2
        assert opened.__class__.objects.get(pk=opened.pk).status == Round.Status.OPEN

    def test_is_idempotent(self, opened, counties):
        result = services.open_round(opened, counties=[counties["03"], counties["40"]])
        assert result == {"profiles": 0, "county_submissions": 0, "carried_forward": 0}

    def test_closed_round_cannot_be_opened(self, current_round):
        current_round.status = Round.Status.CLOSED
        current_round.save()
        with pytest.raises(InvalidTransition):
            services.open_round(current_round)


class TestJourney:
    def test_draft_submit_return_resubmit_accept(self, skien, users):
        county, imdi = users["fylke_b"], users["imdi"]  # Skien is in Telemark (40)
        skien = fill_profile(skien, county)
        v1 = services.submit(skien, county)
        skien.refresh_from_db()
        assert (skien.status, v1.number) == (Status.SUBMITTED, 1)
        assert v1.data["qualification"][0]["name"] == OFFER["name"]

        services.return_submission(
            skien,
            imdi,
            reason="Resultatet mangler kilde.",
            comments=[("qualification", "result_share", "Hvilket kull gjelder dette?")],
        )
        skien.refresh_from_db()
        assert skien.status == Status.RETURNED
        comment = ReviewComment.objects.get(submission=skien)
        assert (comment.section, comment.field, comment.version) == (
            "qualification",
            "result_share",
            v1,
        )

        offer = dict(skien.qualification_offers.get().__dict__)
        changed = [{**OFFER, "uid": str(offer["uid"]), "result_share": "75"}]
        ids = services.latest_edit_ids(skien)
        services.save_section(
            skien, "qualification", changed, county, base_edit_id=ids["qualification"]
        )
        v2 = services.submit(skien, county)
        skien.refresh_from_db()
        assert (skien.status, v2.number) == (Status.RESUBMITTED, 2)

        changes = diff(v1.data, v2.data, "profile")
        qualification = next(d for d in changes if d.key == "qualification")
        assert [(r.change, [f.field for f in r.fields]) for r in qualification.rows] == [
            ("changed", ["result_share"])
        ]
        assert qualification.rows[0].fields[0].old == "72.5"
        assert qualification.rows[0].fields[0].new == "75"
        assert not any(d.changed for d in changes if d.key != "qualification")

        services.accept(skien, imdi)
        skien.refresh_from_db()
        assert skien.status == Status.ACCEPTED
        services.reopen(skien, imdi, reason="Nye tall fra kommunen.")
        skien.refresh_from_db()
        assert skien.status == Status.RETURNED
        actions = list(skien.transitions.values_list("action", "by__username"))
        assert actions == [
            ("carry_forward", None),
            ("submit", "fylke-b"),
            ("return", "imdi-test"),
            ("submit", "fylke-b"),
            ("accept", "imdi-test"),
            ("reopen", "imdi-test"),
        ]

    def test_versions_are_never_changed_by_later_edits(self, skien, users):
        county = users["fylke_b"]
        skien = fill_profile(skien, county)
        v1 = services.submit(skien, county)
        services.return_submission(skien, users["imdi"], reason="Rett navnet.")
        ids = services.latest_edit_ids(skien)
        services.save_section(skien, "qualification", [], county, base_edit_id=ids["qualification"])
        assert Version.objects.get(pk=v1.pk).data["qualification"][0]["name"] == OFFER["name"]


class TestValidation:
    def test_empty_draft_cannot_be_submitted_and_nothing_changes(self, skien, users):
        with pytest.raises(SubmissionInvalid) as exc:
            services.submit(skien, users["fylke_b"])
        fields = {(p.section, p.field) for p in exc.value.problems}
        assert ("capacity", "wants_to_settle") in fields
        assert ("capacity", "takes_unaccompanied_minors") in fields
        skien.refresh_from_db()
        assert skien.status == Status.DRAFT
        assert not Version.objects.filter(submission=skien).exists()

    def test_row_rules(self, skien, users):
        county = users["fylke_b"]
        bad_offer = {**OFFER, "name": "", "result_share": "130", "result_participants": None}
        skien = fill_profile(
            skien,
            county,
            qualification=[bad_offer],
            cooperation=[{"partners": ["4003", "0301"], "area": "Norsk", "description": ""}],
        )
        with pytest.raises(SubmissionInvalid) as exc:
            services.submit(skien, county)
        problems = {(p.section, p.row, p.field) for p in exc.value.problems}
        assert ("qualification", 0, "name") in problems
        assert ("qualification", 0, "result_share") in problems
        assert ("qualification", 0, "result_participants") in problems
        assert ("cooperation", 0, "partners") in problems  # with itself

    def test_unknown_code_is_refused_and_nothing_written(self, skien, users):
        from django.core.exceptions import ValidationError

        ids = services.latest_edit_ids(skien)
        bad = [{"occupation": "9999", "competence_level": "none", "scale": "low"}]
        with pytest.raises(ValidationError) as exc:
            services.save_section(
                skien, "labour", bad, users["fylke_b"], base_edit_id=ids["labour"]
            )
        assert "Ukjent kode «9999»" in str(exc.value)
        assert not skien.labour_needs.exists()
        assert SectionEdit.objects.filter(submission=skien, section="labour").count() == 1

    def test_county_submission_needs_every_municipality(self, opened, users, counties):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        ids = services.latest_edit_ids(submission)
        services.save_section(
            submission,
            "recommendations",
            [
                {"municipality": "4003", "number": 40, "justification": "God kapasitet."},
                {"municipality": "0301", "number": 10, "justification": "Feil fylke."},
            ],
            users["fylke_b"],
            base_edit_id=ids["recommendations"],
        )
        with pytest.raises(SubmissionInvalid) as exc:
            services.submit(submission, users["fylke_b"])
        messages = " ".join(p.message for p in exc.value.problems)
        assert "0301 hører ikke til fylket" in messages
        assert "Mangler anbefalt antall for 4001" in messages


class TestLate:
    def test_late_submission_needs_a_reason_and_is_marked(self, skien, users):
        county = users["fylke_b"]
        skien = fill_profile(skien, county)
        after = skien.round.deadline + datetime.timedelta(hours=1)
        with pytest.raises(SubmissionInvalid) as exc:
            services.submit(skien, county, now=after)
        assert exc.value.problems[0].field == "late_reason"
        version = services.submit(
            skien, county, now=after, late_reason="Kommunestyret møttes sent."
        )
        skien.refresh_from_db()
        assert skien.is_late and version.is_late
        assert skien.late_reason == "Kommunestyret møttes sent."

    def test_on_time_is_not_late(self, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        version = services.submit(skien, users["fylke_b"], late_reason="ignored")
        assert not version.is_late and version.late_reason == ""


class TestConflicts:
    def test_second_save_from_a_stale_form_is_refused_losslessly(self, skien, users):
        county = users["fylke_b"]
        base = services.latest_edit_ids(skien)["capacity"]
        services.save_section(
            skien, "capacity", {"wants_to_settle": "yes", "capacity": 10}, county, base_edit_id=base
        )
        with pytest.raises(EditConflict) as exc:
            services.save_section(
                skien, "capacity", {"wants_to_settle": "no"}, county, base_edit_id=base
            )
        assert exc.value.latest_edit.data["capacity"] == 10
        assert exc.value.base_edit.pk == base
        skien.refresh_from_db()
        assert (skien.wants_to_settle, skien.capacity) == ("yes", 10)
        # After seeing the conflict, the user may choose to keep theirs.
        services.save_section(
            skien, "capacity", {"wants_to_settle": "no"}, county, base_edit_id=base, force=True
        )
        skien.refresh_from_db()
        assert skien.wants_to_settle == "no"
        assert SectionEdit.objects.filter(submission=skien, section="capacity").count() == 3

    def test_saving_another_section_is_not_a_conflict(self, skien, users):
        ids = services.latest_edit_ids(skien)
        services.save_section(
            skien, "capacity", {"capacity": 3}, users["fylke_b"], base_edit_id=ids["capacity"]
        )
        services.save_section(skien, "labour", [], users["fylke_b"], base_edit_id=ids["labour"])


class TestPermissions:
    @pytest.mark.parametrize("who", ["fylke_a", "imdi", "ks", "editor", "admin", "outsider"])
    def test_only_the_county_edits_and_submits(self, skien, users, who):
        ids = services.latest_edit_ids(skien)
        with pytest.raises(NotAllowed):
            services.save_section(
                skien, "capacity", {"capacity": 1}, users[who], base_edit_id=ids["capacity"]
            )
        with pytest.raises(NotAllowed):
            services.submit(skien, users[who])

    @pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "ks", "editor", "outsider"])
    def test_only_imdi_reviews(self, skien, users, who):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        for operation in (services.accept, services.reopen):
            with pytest.raises(NotAllowed):
                operation(skien, users[who], reason="x")
        with pytest.raises(NotAllowed):
            services.return_submission(skien, users[who], reason="x")

    def test_submitted_is_locked_for_the_county(self, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        ids = services.latest_edit_ids(skien)
        with pytest.raises(InvalidTransition):
            services.save_section(
                skien, "capacity", {"capacity": 1}, users["fylke_b"], base_edit_id=ids["capacity"]
            )
        with pytest.raises(InvalidTransition):
            services.reopen(skien, users["imdi"], reason="Ikke godkjent ennå.")

    def test_visibility(self, opened, skien, users):
        from skjema.models import Submission

        skien = fill_profile(skien, users["fylke_b"])
        services.submit(skien, users["fylke_b"])
        visible = lambda who: set(  # noqa: E731
            Submission.objects.visible_to(users[who]).values_list("pk", flat=True)
        )
        assert skien.pk in visible("fylke_b")
        assert visible("fylke_a").isdisjoint(
            Submission.objects.filter(county__number="40").values_list("pk", flat=True)
        )
        assert visible("imdi") == {skien.pk}  # drafts never reach IMDi
        assert visible("ks") == {skien.pk}
        assert visible("editor") == set() and visible("outsider") == set()


class TestCarryForward:
    def test_prefills_from_last_accepted_following_code_history(self, register, users, counties):
        # 2024 round on the 2020–2023 structure: 3806 Porsgrunn (Vestfold og Telemark).
        from portal.accounts.models import Role, User
        from portal.register.models import County

        old_county = County.objects.get(number="38")
        officer = User.objects.create_user(
            "fylke-38", password="pw", role=Role.COUNTY_OFFICER, county=old_county
        )
        last = make_round(2023)
        services.open_round(last, counties=[old_county])
        old = MunicipalityProfile.objects.get(round=last, municipality__number="3806")
        old = fill_profile(old, officer)
        services.submit(old, officer, now=last.deadline - datetime.timedelta(days=1))
        services.accept(old, users["imdi"])
        old_offer_uid = str(old.qualification_offers.get().uid)

        current = make_round(2027)
        services.open_round(current, counties=[counties["40"]])
        new = MunicipalityProfile.objects.get(round=current, municipality__number="4001")
        data = serialize(new)
        assert data["qualification"][0]["name"] == OFFER["name"]
        assert data["qualification"][0]["uid"] == old_offer_uid  # same row, followed across rounds
        assert data["labour"][0]["occupation"] == "53"
        assert data["capacity"]["capacity"] == 25
        assert new.section_state["qualification"] == {
            "carried_from": 2023,
            "confirmed": False,
            "edited": False,
        }
        assert QualificationOffer.objects.filter(profile=old).count() == 1  # source untouched
        skien = MunicipalityProfile.objects.get(round=current, municipality__number="4003")
        assert skien.section_state["qualification"]["carried_from"] is None

        services.confirm_section(new, "capacity", users["fylke_b"])
        new.refresh_from_db()
        assert new.section_state["capacity"]["confirmed"] is True
        transition = new.transitions.get(action=Transition.Action.CARRY_FORWARD)
        assert "2023" in transition.reason

    def test_version_numbers_and_timestamps(self, skien, users):
        skien = fill_profile(skien, users["fylke_b"])
        before = timezone.now()
        services.submit(skien, users["fylke_b"])
        skien.refresh_from_db()
        assert skien.first_submitted_at >= before
        assert skien.last_submitted_at == skien.first_submitted_at


class TestRecommendationRows:
    """Rows with a unique key (one recommendation per municipality) must not crash a save."""

    def test_a_row_sent_again_without_its_uid_replaces_the_old_one(self, opened, users, counties):
        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        county = users["fylke_b"]
        base = services.latest_edit_ids(submission)["recommendations"]
        row = {"municipality": "4003", "number": 40, "justification": ""}
        edit = services.save_section(
            submission, "recommendations", [row], county, base_edit_id=base
        )
        services.save_section(
            submission, "recommendations", [{**row, "number": 41}], county, base_edit_id=edit.pk
        )
        assert list(submission.recommendations.values_list("number", flat=True)) == [41]

    def test_a_municipality_twice_is_refused_and_nothing_written(self, opened, users, counties):
        from django.core.exceptions import ValidationError

        submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        base = services.latest_edit_ids(submission)["recommendations"]
        rows = [{"municipality": "4003", "number": n, "justification": ""} for n in (1, 2)]
        with pytest.raises(ValidationError) as exc:
            services.save_section(
                submission, "recommendations", rows, users["fylke_b"], base_edit_id=base
            )
        assert "Kommune 4003 står flere ganger." in exc.value.messages
        assert not submission.recommendations.exists()


class TestClosedRound:
    def test_closed_round_refuses_edits_and_submission(self, skien, users):
        county = users["fylke_b"]
        skien = fill_profile(skien, county)
        Round.objects.filter(pk=skien.round_id).update(status=Round.Status.CLOSED)
        skien.refresh_from_db()
        ids = services.latest_edit_ids(skien)
        with pytest.raises(InvalidTransition, match="lukket"):
            services.save_section(
                skien, "capacity", {"capacity": 1}, county, base_edit_id=ids["capacity"]
            )
        with pytest.raises(InvalidTransition, match="lukket"):
            services.submit(skien, county)
        with pytest.raises(InvalidTransition):
            services.confirm_section(skien, "capacity", county)
        skien.refresh_from_db()
        assert skien.capacity == 25 and skien.status == Status.DRAFT


class TestPlanDocument:
    def _document(self, user):
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        return get_document_model().objects.create(
            title="Plan", file=ContentFile(b"%PDF-1.4", name="plan.pdf"), uploaded_by_user=user
        )

    def test_only_the_county_s_own_documents(self, opened, users, counties):
        from django.core.exceptions import ValidationError

        telemark = CountySubmission.objects.get(round=opened, county=counties["40"])
        mine = self._document(users["fylke_b"])
        theirs = self._document(users["fylke_a"])  # Oslo's draft plan
        ids = services.latest_edit_ids(telemark)
        with pytest.raises(ValidationError, match="finnes ikke blant dokumentene"):
            services.save_section(
                telemark,
                "plans",
                {"plan_document": theirs.pk},
                users["fylke_b"],
                base_edit_id=ids["plans"],
            )
        telemark.refresh_from_db()
        assert telemark.plan_document_id is None
        services.save_section(
            telemark,
            "plans",
            {"plan_document": mine.pk},
            users["fylke_b"],
            base_edit_id=ids["plans"],
        )
        telemark.refresh_from_db()
        assert telemark.plan_document_id == mine.pk
