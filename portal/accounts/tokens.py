"""API tokens: made here, checked by ``ApiTokenAuthentication`` (DRF), hashed at rest.

A token is 256 random bits, so a plain SHA-256 digest is enough to store (a slow password hash
guards guessable secrets, not random ones) and lets a token be found by its digest in one
indexed lookup. Tokens are sent as ``Authorization: Token <token>`` (as with DRF's own tokens,
so integrations moved over from them keep their header) or ``Bearer <token>``."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from .models import ApiToken

PREFIX = "bp_"
LAST_USED_RESOLUTION = timedelta(minutes=5)  # no write on every request


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(user, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user`` named ``name``, valid ``days`` days: the stored row and the
    token itself, which the caller shows once."""
    if days < 1 or days > settings.API_TOKEN_MAX_DAYS:
        raise ValueError(
            _("Gyldighet må være mellom 1 og %(max)d dager.") % {"max": settings.API_TOKEN_MAX_DAYS}
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:10],
        digest=digest(token),
        expires=timezone.now() + timedelta(days=days),
    )
    return row, token


def token_is_valid(row: ApiToken, now=None) -> bool:
    now = now or timezone.now()
    return row.revoked is None and row.expires > now and row.user.is_active


class FailedTokenGuard:
    """Counts wrong tokens per client address: after ``API_TOKEN_FAILURES`` within a minute
    every token from that address is refused with 429 until the minute has passed, so keys
    cannot be guessed at speed (and a right key does not help a guesser in that minute)."""

    window = 60

    def __init__(self, request):
        address = request.META.get("REMOTE_ADDR", "")
        self.key = f"api-token-failures:{address}"

    def check(self) -> None:
        if cache.get(self.key, 0) >= settings.API_TOKEN_FAILURES_PER_MINUTE:
            raise exceptions.Throttled(wait=self.window)

    def failed(self) -> None:
        if cache.add(self.key, 1, self.window):
            return
        try:
            cache.incr(self.key)
        except ValueError:  # expired between add and incr
            cache.add(self.key, 1, self.window)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    keywords = ("token", "bearer")

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ugyldig Authorization-felt: skriv «Token <nøkkel>».")
            )
        try:
            token = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Nøkkelen har ugyldige tegn.")) from None
        guard = FailedTokenGuard(request)
        guard.check()
        try:
            return self.authenticate_credentials(token)
        except exceptions.AuthenticationFailed:
            guard.failed()
            raise

    def authenticate_credentials(self, key):
        row = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        now = timezone.now()
        if row is None or not token_is_valid(row, now):
            raise exceptions.AuthenticationFailed(_("Ugyldig, utløpt eller tilbaketrukket nøkkel."))
        if row.last_used is None or now - row.last_used > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        return row.user, row
