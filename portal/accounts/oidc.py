"""Who a person logging in with OpenID Connect is in the portal: a role, and for county
officers a county, read from the claims on every login and never set by hand.

- Ansattporten (county officers and KS): ``authorization_details`` of type
  ``ansattporten:altinn:resource`` for the portal's Altinn resource lists the organisations
  the person may act for (``reportees``). A county's organisation number
  (``County.organisation_number``) makes a county officer of that county; KS's organisation
  number (``KS_ORGANISATION_NUMBER``) makes a KS representative.
- Microsoft Entra ID (IMDi staff): the ``groups`` claim; ``ENTRA_GROUP_ROLES`` maps group ids
  to roles, the first configured group the person is in wins.

Everything else gets no access (``None``): no account is made or kept half-working.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.register.models import County

from .models import Role

ANSATTPORTEN = "ansattporten"
ENTRA = "entra"
ALTINN_RESOURCE_TYPE = "ansattporten:altinn:resource"


@dataclass(frozen=True)
class Access:
    role: str
    county: County | None = None


@dataclass(frozen=True)
class NoAccess:
    reason: str


def claims_of(extra_data: dict) -> dict:
    """The ID token's claims with the userinfo answer over them (allauth stores both)."""
    if "id_token" not in extra_data and "userinfo" not in extra_data:
        return dict(extra_data)  # stored before allauth 65.11: the claims themselves
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def organisation_number(reportee: dict) -> str:
    """A reportee's organisation number: ``ID`` is ``0192:<orgnr>`` (ISO 6523), some answers
    also carry ``OrganizationNumber``."""
    number = str(reportee.get("OrganizationNumber") or reportee.get("ID") or "")
    return number.rsplit(":", 1)[-1].strip()


def reportee_numbers(claims: dict, resource: str) -> set[str]:
    """Organisation numbers the person may act for on the portal's own Altinn resource. Details
    for any other resource or type are ignored (the login request names ours, and a changed
    request must not lend rights from another service)."""
    details = claims.get("authorization_details") or []
    if isinstance(details, dict):
        details = [details]
    numbers: set[str] = set()
    for detail in details:
        if not isinstance(detail, dict):
            continue
        if detail.get("type") != ALTINN_RESOURCE_TYPE or detail.get("resource") != resource:
            continue
        for reportee in detail.get("reportees") or []:
            if isinstance(reportee, dict) and (number := organisation_number(reportee)):
                numbers.add(number)
    return numbers


def ansattporten_access(claims: dict) -> Access | NoAccess:
    numbers = reportee_numbers(claims, settings.ANSATTPORTEN_ALTINN_RESOURCE)
    grants: set[tuple[str, int | None]] = set()
    counties = {
        county.pk: county
        for county in County.objects.current().filter(organisation_number__in=numbers or [""])
        if county.organisation_number
    }
    grants |= {(Role.COUNTY_OFFICER, pk) for pk in counties}
    if settings.KS_ORGANISATION_NUMBER and settings.KS_ORGANISATION_NUMBER in numbers:
        grants.add((Role.KS_READER, None))
    if not grants:
        return NoAccess(
            _(
                "Ingen av organisasjonene du kan representere i Ansattporten, er en "
                "fylkeskommune eller KS i Bosettingsportalen."
            )
        )
    if len(grants) > 1:
        return NoAccess(
            _(
                "Du kan representere flere organisasjoner med tilgang til Bosettingsportalen. "
                "En bruker kan bare høre til én av dem; kontakt IMDi."
            )
        )
    role, county_pk = grants.pop()
    return Access(role=role, county=counties.get(county_pk))


def entra_access(claims: dict) -> Access | NoAccess:
    groups = claims.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    for group_id, role in settings.ENTRA_GROUP_ROLES.items():
        if group_id in groups:
            return Access(role=role)
    return NoAccess(_("Du er ikke i noen gruppe i IMDi som har tilgang til Bosettingsportalen."))


def access_for(provider_id: str, claims: dict) -> Access | NoAccess:
    if provider_id == ANSATTPORTEN:
        return ansattporten_access(claims)
    if provider_id == ENTRA:
        return entra_access(claims)
    return NoAccess(_("Ukjent innloggingstjeneste."))


def apply_access(user, access: Access | NoAccess) -> bool:
    """Set the role and county the claims give (or take them away); True when the user has a
    role afterwards. The caller saves."""
    if isinstance(access, NoAccess):
        user.role, user.county = "", None
        user.is_staff = False
        return False
    user.role, user.county = access.role, access.county
    user.is_staff = access.role == Role.ADMINISTRATOR  # the Django admin; Wagtail uses groups
    return True
