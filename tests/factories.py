"""factory_boy factories for the register and users."""

import datetime

import factory

from portal.accounts.models import Role, User
from portal.register.models import County, Municipality, StructureVersion


class StructureVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureVersion
        django_get_or_create = ["code"]

    code = "2024"
    label = "Kommunestruktur 2024–"
    valid_from = datetime.date(2024, 1, 1)
    valid_to = None

    class Params:
        old = factory.Trait(
            code="2020",
            label="Kommunestruktur 2020–2023",
            valid_from=datetime.date(2020, 1, 1),
            valid_to=datetime.date(2023, 12, 31),
        )


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{60 + n:02d}")
    name = factory.Sequence(lambda n: f"Testfylke {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    county = factory.SubFactory(CountyFactory)

    class Params:
        ended = factory.Trait(valid_to=datetime.date(2023, 12, 31))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"bruker{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")
    role = ""

    class Params:
        county_officer = factory.Trait(
            role=Role.COUNTY_OFFICER, county=factory.SubFactory(CountyFactory)
        )
        imdi = factory.Trait(role=Role.IMDI_OFFICER)
