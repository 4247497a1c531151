"""The permission rules, asked from every role — including the ones that must be refused."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts import rules


@pytest.mark.django_db
class TestRules:
    def test_county_officer_edits_only_own_county(self, users, counties):
        assert rules.can_edit_county_data(users["fylke_a"], counties["03"])
        assert not rules.can_edit_county_data(users["fylke_a"], counties["40"])
        assert not rules.can_edit_county_data(users["fylke_b"], counties["03"])

    @pytest.mark.parametrize("who", ["imdi", "editor", "ks", "admin", "outsider"])
    def test_nobody_but_the_county_edits_its_data(self, users, counties, who):
        assert not rules.can_edit_county_data(users[who], counties["03"])

    @pytest.mark.parametrize("who", ["fylke_b", "imdi", "editor", "ks", "admin", "outsider"])
    def test_drafts_are_the_county_s_own(self, users, counties, who):
        assert not rules.can_view_county_drafts(users[who], counties["03"])
        assert rules.can_view_county_drafts(users["fylke_a"], counties["03"])

    def test_review_is_for_imdi(self, users):
        assert rules.can_review(users["imdi"])
        assert rules.can_review(users["admin"])
        for who in ["fylke_a", "editor", "ks", "outsider"]:
            assert not rules.can_review(users[who]), who

    def test_submitted_content_readers(self, users):
        for who in ["fylke_a", "fylke_b", "imdi", "ks", "admin"]:
            assert rules.can_view_submitted(users[who]), who
        for who in ["editor", "outsider"]:
            assert not rules.can_view_submitted(users[who]), who

    def test_anonymous_and_inactive_have_no_role(self, users):
        assert rules.role_of(AnonymousUser()) is None
        assert not rules.can_use_api(AnonymousUser())
        imdi = users["imdi"]
        imdi.is_active = False
        assert not rules.is_imdi(imdi)
        assert not rules.can_use_api(imdi)

    def test_user_without_role_gets_nothing(self, users):
        outsider = users["outsider"]
        assert not rules.can_use_api(outsider)
        assert not rules.can_access_admin(outsider)
        assert rules.county_of(outsider) is None

    def test_admin_access(self, users):
        for who in ["imdi", "editor", "admin"]:
            assert rules.can_access_admin(users[who]), who
        for who in ["fylke_a", "ks", "outsider"]:
            assert not rules.can_access_admin(users[who]), who

    def test_county_of(self, users, counties):
        assert rules.county_of(users["fylke_a"]) == counties["03"]
        assert rules.county_of(users["imdi"]) is None
