"""Role flags for templates, so navigation adapts to the user without re-deriving rules."""

from . import rules


def roles(request):
    user = getattr(request, "user", None)
    return {
        "portal_role": {
            "role": rules.role_of(user),
            "is_imdi": rules.is_imdi(user),
            "is_editor": rules.is_editor(user),
            "is_ks": rules.is_ks(user),
            "county": rules.county_of(user),
            "can_access_admin": rules.can_access_admin(user),
            "can_search": rules.can_view_submitted(user),
            "can_follow_rounds": rules.can_follow_rounds(user),
            "can_see_task_page": rules.can_see_task_page(user),
        }
    }
