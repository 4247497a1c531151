"""The admin opens only after a second factor: whoever reached /admin/ or /django-admin/ with a
password is sent to set up TOTP (first time) or to give a code (each session)."""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import rules

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
OPEN_ADMIN_PATHS = ("/admin/login/", "/django-admin/login/", "/admin/logout/")


class AdminSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_MFA_REQUIRED
            and request.path.startswith(ADMIN_PREFIXES)
            and not request.path.startswith(OPEN_ADMIN_PATHS)
        ):
            user = request.user
            methods = {record.get("method") for record in get_authentication_records(request, user)}
            if rules.needs_second_factor_for_admin(user, authentication_methods=methods):
                has_totp = Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists()
                target = "mfa_reauthenticate" if has_totp else "mfa_activate_totp"
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
