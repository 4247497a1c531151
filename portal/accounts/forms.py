"""Wagtail's user forms with the portal's role and county membership."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from portal.register.models import County

from .models import Role
from .services import sync_role_groups


class _RoleFieldsMixin(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=[("", "—"), *Role.choices], required=False)
    county = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.current(),
        required=False,
        help_text=_("Påkrevd for saksbehandlere i fylkeskommunen, tomt for alle andre."),
    )

    def clean(self):
        cleaned = super().clean()
        role, county = cleaned.get("role"), cleaned.get("county")
        if role == Role.COUNTY_OFFICER and county is None:
            self.add_error("county", _("Velg fylket saksbehandleren hører til."))
        elif role != Role.COUNTY_OFFICER and county is not None:
            self.add_error("county", _("Bare saksbehandlere i fylkeskommunen har fylke."))
        return cleaned

    def save(self, commit=True):
        # The form saves its group selection after the user; the role's group must survive it.
        user = super().save(commit=commit)
        if commit:
            sync_role_groups(user)
        else:
            save_groups = self.save_m2m

            def save_m2m():
                save_groups()
                sync_role_groups(user)

            self.save_m2m = save_m2m
        return user


class PortalUserCreationForm(_RoleFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"role", "county", "language"}


class PortalUserEditForm(_RoleFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"role", "county", "language"}
