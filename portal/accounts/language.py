"""The language of each page: bokmål or nynorsk, chosen per user.

A signed-in user's own choice (``User.language``) wins; otherwise LocaleMiddleware's choice
stands (the language cookie set by the switcher, then the browser's Accept-Language). The
Wagtail admin and the Django admin are bokmål for everyone (Wagtail ships no nynorsk).
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from .models import Language

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class UserLanguageMiddleware:
    """After AuthenticationMiddleware; LocaleMiddleware has already activated its choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.path.startswith(ADMIN_PREFIXES):
            language = settings.LANGUAGE_CODE
        else:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.language:
                language = user.language
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def set_language(request):
    """Django's set_language (cookie and redirect back), and for a signed-in user the choice
    is kept on the user too, so it follows them to other browsers and into e-mails."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = django_set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and code in Language.values and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response
