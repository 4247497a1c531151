"""Login pages: /logg-inn/ with a user name and password (rate limited), and buttons for the
OpenID Connect logins that are configured (Ansattporten, Entra ID)."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .forms import LocalLoginForm

PROVIDER_LABELS = {
    "ansattporten": _("Ansattporten – for fylkeskommuner og KS"),
    "entra": _("IMDi-ansatte (Entra ID)"),
}


def oidc_buttons(next_url: str = "") -> list[dict]:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return [
        {
            "id": app["provider_id"],
            "label": PROVIDER_LABELS.get(app["provider_id"], app["name"]),
            "url": reverse("openid_connect_login", args=[app["provider_id"]]) + query,
        }
        for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    ]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LocalLoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # allauth's log of how this session authenticated (the admin asks for "mfa").
        record_authentication(self.request, form.get_user(), "password")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_buttons"] = oidc_buttons(context.get("next", ""))
        context["local_login"] = settings.LOCAL_LOGIN
        return context


def admin_login(request):
    """The Wagtail and Django admin log in through /logg-inn/ (rate limits, OIDC, MFA)."""
    next_url = request.GET.get("next") or "/admin/"
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
