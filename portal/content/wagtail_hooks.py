"""Page privacy the portal's way: anonymous visitors go to the portal's login page, and a
logged-in user outside the allowed groups gets a clear refusal (Wagtail would send them to a
login page again, which they cannot get past)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
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


@hooks.register("before_serve_page")
def minutes_for_participants_only(page, request, serve_args, serve_kwargs):
    """Minutes published for the participants are not found by anyone else (404, not a login
    page: the URL must not tell that they exist)."""
    from .models import MinutesPage

    specific = page.specific
    if isinstance(specific, MinutesPage) and not specific.readable_by(request.user):
        raise Http404
    return None


@hooks.register("before_serve_document")
def meeting_documents_for_participants_only(document, request):
    """Editors' documents outside the public collection: a meeting's documents only for its
    participants, others not found (404). Documents in other collections (a county's plan) are
    left to the hooks and collection rules that own them."""
    from . import documents

    editorial = documents.editorial_collection_ids()
    if document.collection_id in editorial and not documents.may_download(request.user, document):
        raise Http404
    return None


@hooks.register("insert_global_admin_js")
def admin_accessibility_fixes():
    """Names for Draftail's editors and no empty headings in the admin (js/admin-a11y.js)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-a11y.js"))
