"""DRF permission classes built on ``rules``: the API asks the same rules as the pages."""

from rest_framework.permissions import BasePermission

from . import rules


class HasPortalRole(BasePermission):
    """The default for the whole API: an active user with one of the portal's roles."""

    message = "Du må være logget inn med en rolle i Bosettingsportalen."

    def has_permission(self, request, view):
        return rules.can_use_api(request.user)
