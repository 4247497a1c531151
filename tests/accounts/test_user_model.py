"""The user model: a county officer belongs to exactly one county; groups follow the role."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.accounts.models import ROLE_GROUPS, Role, User


@pytest.mark.django_db
class TestCountyMembership:
    def test_county_officer_without_county_is_invalid(self):
        user = User(username="x", role=Role.COUNTY_OFFICER)
        with pytest.raises(ValidationError) as exc:
            user.full_clean()
        assert "Velg fylket" in str(exc.value)

    def test_database_refuses_county_officer_without_county(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="x", role=Role.COUNTY_OFFICER)
        assert not User.objects.filter(username="x").exists()

    def test_database_refuses_county_on_other_roles(self, counties):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="y", role=Role.IMDI_OFFICER, county=counties["03"])

    def test_other_role_with_county_is_invalid(self, counties):
        user = User(username="z", role=Role.KS_READER, county=counties["03"])
        with pytest.raises(ValidationError) as exc:
            user.full_clean()
        assert "Bare saksbehandlere" in str(exc.value)


@pytest.mark.django_db
class TestRoleGroups:
    def test_groups_follow_role(self, users):
        imdi = users["imdi"]
        assert list(imdi.groups.values_list("name", flat=True)) == [ROLE_GROUPS[Role.IMDI_OFFICER]]
        imdi.role = Role.KS_READER
        imdi.save()
        assert list(imdi.groups.values_list("name", flat=True)) == [ROLE_GROUPS[Role.KS_READER]]

    def test_role_groups_exist_after_migrate(self):
        from django.contrib.auth.models import Group

        names = set(Group.objects.values_list("name", flat=True))
        assert set(ROLE_GROUPS.values()) <= names

    def test_only_admin_roles_reach_wagtail_admin(self, users):
        assert users["imdi"].has_perm("wagtailadmin.access_admin")
        assert users["editor"].has_perm("wagtailadmin.access_admin")
        assert not users["fylke_a"].has_perm("wagtailadmin.access_admin")
        assert not users["ks"].has_perm("wagtailadmin.access_admin")
        assert not users["outsider"].has_perm("wagtailadmin.access_admin")
