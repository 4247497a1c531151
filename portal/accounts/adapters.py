"""allauth's hooks: nobody signs up by themselves, an OpenID Connect login takes its role and
county from the claims (``oidc``) on every login, and a login that gives no access ends on
the plain «ingen tilgang» page with no account made or kept with a role."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from . import oidc


def no_access_response(request, reason=""):
    return render(request, "accounts/no_access.html", {"reason": reason}, status=403)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # local accounts are made by administrators (and the demo loader)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True  # the claims decide (pre_social_login refuses everyone without access)

    def is_auto_signup_allowed(self, request, sociallogin):
        return True  # never a sign-up form: the claims are all there is to know

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # A name of our own, so an OpenID Connect account never meets a local one.
        user.username = f"{sociallogin.account.provider}-{sociallogin.account.uid}"[:150]
        return user

    def pre_social_login(self, request, sociallogin):
        claims = oidc.claims_of(sociallogin.account.extra_data)
        access = oidc.access_for(sociallogin.account.provider, claims)
        user = sociallogin.user
        has_role = oidc.apply_access(user, access)
        if sociallogin.is_existing:
            user.save(update_fields=["role", "county", "is_staff"])
        if not has_role:
            raise ImmediateHttpResponse(no_access_response(request, access.reason))
