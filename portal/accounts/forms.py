"""Wagtail's user forms with the portal's role and county membership."""

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from portal.register.models import County

from . import rules
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


class LocalLoginForm(AuthenticationForm):
    """The user name and password form of /logg-inn/, through allauth's authentication, so its
    rate limits apply (failed logins per account and per IP): once they are used up, even the
    right password is refused until the period is over."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "local_login_off": _(
            "Logg inn med Ansattporten (fylkeskommuner og KS) eller med IMDis innlogging. "
            "Brukernavn og passord er bare for administratorer og redaktører."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Raises "too many login attempts" when the rate limit is used up.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not rules.may_log_in_locally(user, local_login=settings.LOCAL_LOGIN):
            raise forms.ValidationError(
                self.error_messages["local_login_off"], code="local_login_off"
            )
