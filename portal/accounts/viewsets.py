"""Wagtail's user admin using the portal's forms."""

from wagtail.users.views.users import UserViewSet

from .forms import PortalUserCreationForm, PortalUserEditForm


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
