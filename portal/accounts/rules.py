"""Permission rules: the one place that says who may do what. Views, API, admin, exports
and search all ask these functions (or the querysets built on them), never the role directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from portal.register.models import County


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    if not _active(user):
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return user.role or None


def is_administrator(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def is_imdi(user) -> bool:
    """IMDi officers (and administrators) review every county's submissions."""
    return role_of(user) in {Role.IMDI_OFFICER, Role.ADMINISTRATOR}


def is_editor(user) -> bool:
    return role_of(user) in {Role.EDITOR, Role.ADMINISTRATOR}


def is_ks(user) -> bool:
    return role_of(user) == Role.KS_READER


def county_of(user) -> County | None:
    """The county a county officer belongs to; None for every other role."""
    if role_of(user) == Role.COUNTY_OFFICER:
        return user.county
    return None


def is_county_officer(user, county: County | None = None) -> bool:
    if role_of(user) != Role.COUNTY_OFFICER or user.county_id is None:
        return False
    return county is None or user.county_id == county.pk


def can_edit_county_data(user, county: County) -> bool:
    """Only the county's own officers fill in and submit its forms."""
    return is_county_officer(user, county)


def can_view_county_drafts(user, county: County) -> bool:
    """Drafts are the county's own work in progress: nobody else sees them, not even IMDi."""
    return is_county_officer(user, county)


def can_view_submitted(user) -> bool:
    """Submitted and accepted content: IMDi, KS and every county officer may read it."""
    return role_of(user) in {
        Role.IMDI_OFFICER,
        Role.ADMINISTRATOR,
        Role.KS_READER,
        Role.COUNTY_OFFICER,
    }


def can_read_county_document(user, county: County | None, *, submitted: bool) -> bool:
    """A file a county uploaded with its forms (a plan document): the county's own officers
    always, their draft's file too; everyone who may read submitted content once a submitted
    version includes it. A file no county claims is for administrators only."""
    if county is None:
        return is_administrator(user)
    return can_view_county_drafts(user, county) or (submitted and can_view_submitted(user))


def can_review(user) -> bool:
    """Return, accept and reopen submissions."""
    return is_imdi(user)


def can_work_review_queue(user) -> bool:
    """IMDi's review queue across counties, «Neste til gjennomgang» and bulk accept: the
    reviewers' work list, so not for KS (who reads) nor the counties."""
    return can_review(user)


def can_see_task_page(user) -> bool:
    """«Mine oppgaver»: a work list for those who have work in a round, a county's officers
    (their county's submissions) and IMDi (the review). KS reads and editors publish: they
    have no tasks there, and are refused."""
    return is_county_officer(user) or is_imdi(user)


def can_answer_review_comments(user, county: County) -> bool:
    """Answer IMDi's comments on a returned submission: the county's own officers."""
    return can_edit_county_data(user, county)


def can_follow_rounds(user) -> bool:
    """Read a round's overview and the review pages: IMDi and administrators, KS read-only."""
    return is_imdi(user) or is_ks(user)


def can_use_api(user) -> bool:
    return role_of(user) is not None


def can_manage_register(user) -> bool:
    return is_administrator(user)


def can_access_admin(user) -> bool:
    return role_of(user) in {Role.IMDI_OFFICER, Role.EDITOR, Role.ADMINISTRATOR}


def can_prepare_meeting_documents(user) -> bool:
    """Generate, regenerate and send the preparatory documents for the county meetings."""
    return is_imdi(user)


def can_open_meeting_document(user, county: County) -> bool:
    """A county meeting's preparatory document: IMDi and administrators, and the meeting's
    participants – the county's own officers and KS. Nobody else, not other counties."""
    return is_imdi(user) or is_ks(user) or is_county_officer(user, county)


def can_read_meeting_material(user, county: County | None) -> bool:
    """Minutes and meeting documents published for the participants only: IMDi, KS, the
    editors who publish them, administrators and the meeting's county (every county for the
    joint meetings, which have none). Anonymous visitors and other counties are refused."""
    if is_imdi(user) or is_ks(user) or is_editor(user):
        return True
    return is_county_officer(user, county) if county is not None else is_county_officer(user)


# --- placement (plassering) ----------------------------------------------------------------


def can_view_households(user) -> bool:
    """Households to place are personal data: IMDi officers and administrators only – never
    county officers, KS or editors, in no page, API, admin or search."""
    return is_imdi(user)


def can_place_households(user) -> bool:
    """Rank municipalities for a household, choose one, run a batch, move an allocation on."""
    return is_imdi(user)


def can_manage_capacity(user) -> bool:
    """Enter and import the councils' decisions (vedtak) in the capacity ledger."""
    return is_imdi(user)


def can_view_capacity(user) -> bool:
    """«Ledig 12 av 20»: IMDi sees what is left of every municipality's capacity."""
    return is_imdi(user)


def can_edit_placement_weights(user) -> bool:
    """The ranking's criterion weights are set by IMDi's administrators."""
    return is_administrator(user)


def can_view_placement_statistics(user) -> bool:
    """How often officers chose from the top 3, and the override reasons."""
    return is_administrator(user)


# --- login ---------------------------------------------------------------------------------


def may_log_in_locally(user, *, local_login: bool) -> bool:
    """A local account (user name and password). With LOCAL_LOGIN off, only administrators and
    editors may use one: county officers and KS log in with Ansattporten, IMDi with Entra ID."""
    if not _active(user):
        return False
    return local_login or user.is_superuser or user.role in {Role.EDITOR, Role.ADMINISTRATOR}


def needs_second_factor_for_admin(user, *, authentication_methods: set[str]) -> bool:
    """The Wagtail and Django admin ask a second factor (TOTP or a recovery code) of everyone
    who reached it with a password; a login through Entra ID has its own."""
    if not (can_access_admin(user) or (_active(user) and user.is_staff)):
        return False
    return "mfa" not in authentication_methods and "socialaccount" not in authentication_methods
