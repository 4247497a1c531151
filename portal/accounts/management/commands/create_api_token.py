"""Make an API token for an integration and print it, once: only its digest is stored."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from portal.accounts import rules
from portal.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Lager en API-nøkkel for en integrasjon og skriver den ut én gang."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Brukernavnet nøkkelen gjelder for.")
        parser.add_argument("--name", required=True, help="Integrasjonen, f.eks. «Statistikk».")
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help=f"Dager nøkkelen gjelder (1–{settings.API_TOKEN_MAX_DAYS}; standard 90).",
        )

    def handle(self, *args, user, name, days, **options):
        name = name.strip()
        if not name:
            raise CommandError("Gi nøkkelen et navn (--name), f.eks. integrasjonens navn.")
        try:
            owner = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Fant ingen bruker med brukernavnet «{user}».") from None
        if not rules.can_use_api(owner):
            raise CommandError(
                f"«{user}» har ingen rolle i Bosettingsportalen og kan ikke bruke API-et."
            )
        try:
            row, token = issue_token(owner, name=name, days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except IntegrityError:
            raise CommandError(
                f"«{user}» har allerede en nøkkel som heter «{name}». Velg et annet navn, eller "
                "trekk tilbake den gamle i administrasjonen først."
            ) from None
        self.stderr.write(
            f"Nøkkel «{row.name}» for {owner.username}, gyldig til "
            f"{row.expires:%d.%m.%Y %H:%M} (UTC). Den vises bare nå; ta vare på den:"
        )
        self.stdout.write(token)
