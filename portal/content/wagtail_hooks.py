"""Page privacy the portal's way: anonymous visitors go to the portal's login page, and a
logged-in user outside the allowed groups gets a clear refusal (Wagtail would send them to a
login page again, which they cannot get past)."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import BaseViewRestriction

_HANDLED = {BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS}


@hooks.register("before_serve_page")
def enforce_login_and_group_restrictions(page, request, serve_args, serve_kwargs):
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type not in _HANDLED or restriction.accept_request(request):
            continue
        if request.user.is_authenticated:
            response = render(
                request,
                "content/access_denied.html",
                {"restriction": restriction},
                status=403,
            )
        else:
            # LOGIN_URL is the portal's own login page ("/logg-inn/").
            response = redirect_to_login(request.get_full_path())
        add_never_cache_headers(response)
        return response
    return None
