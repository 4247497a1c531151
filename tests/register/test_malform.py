"""The counties' målform comes from the register fixture where its source is named; a record
without it keeps what an administrator has set, and what IMDi sends follows it."""

import json

import pytest
from django.core.management import call_command

from portal.accounts.models import Role
from portal.register.models import County, Malform, Municipality
from portal.register.services import DEFAULT_FIXTURE
from tests.factories import UserFactory

NYNORSK_COUNTIES = {"12", "14", "46"}


@pytest.fixture
def register(db):
    call_command("load_register", verbosity=0)


def test_vestland_is_nynorsk_and_the_others_neutral(register):
    nynorsk = set(County.objects.filter(malform=Malform.NYNORSK).values_list("number", flat=True))
    assert nynorsk == NYNORSK_COUNTIES
    assert not County.objects.filter(malform=Malform.BOKMAL).exists()
    assert County.objects.get(number="46").language == "nn"
    assert County.objects.get(number="03").language == "nb"
    # No source in the reference data names a municipality's målform: all neutral.
    assert set(Municipality.objects.values_list("malform", flat=True)) == {Malform.NEUTRAL}
    # A county officer who has not chosen a language gets the county's målform.


def test_every_fixture_malform_names_its_source_in_the_readme():
    data = json.loads(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
    readme = (DEFAULT_FIXTURE.parent / "README.md").read_text(encoding="utf-8")
    for section in ("counties", "municipalities"):
        for record in data[section]:
            if "malform" in record:
                assert f"{record['number']} {record['name']}" in readme


def test_reloading_keeps_what_an_administrator_set(db, tmp_path):
    data = json.loads(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
    small = tmp_path / "register.json"
    counties = [c for c in data["counties"] if c["number"] in {"15", "46"}]
    small.write_text(
        json.dumps({**data, "counties": counties, "municipalities": [], "code_changes": []}),
        encoding="utf-8",
    )
    call_command("load_register", file=small, verbosity=0)
    County.objects.filter(number="15").update(malform=Malform.NYNORSK)
    County.objects.filter(number="46").update(malform=Malform.BOKMAL)
    call_command("load_register", file=small, verbosity=0)
    assert County.objects.get(number="15").malform == Malform.NYNORSK  # not in the fixture
    assert County.objects.get(number="46").malform == Malform.NYNORSK  # the fixture's source wins

    vestland = County.objects.get(number="46")
    officer = UserFactory(role=Role.COUNTY_OFFICER, county=vestland, language="")
    assert officer.preferred_language == "nn"
    oslo = UserFactory(
        role=Role.COUNTY_OFFICER, county=County.objects.get(number="03"), language=""
    )
    assert oslo.preferred_language == "nb"
