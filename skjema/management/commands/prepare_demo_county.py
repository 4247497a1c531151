"""``manage.py prepare_demo_county 46``: the demo's current round for one county, with every
empty draft carried forward from last year (see ``skjema.demo.prepare_county_round``).
Development only: refuses when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from skjema.demo import prepare_county_round
from skjema.models import Round


class Command(BaseCommand):
    help = (
        "Gjør demorundens utkast i ett fylke klare til innsending (overført fra i fjor). "
        "Bare for utvikling: nektes når DEBUG er av."
    )

    def add_arguments(self, parser):
        parser.add_argument("county", help="fylkesnummer, f.eks. 46")

    def handle(self, *args, county, **options):
        if not settings.DEBUG:
            raise CommandError("prepare_demo_county nektes fordi DEBUG er av.")
        round_ = Round.objects.filter(status=Round.Status.OPEN).order_by("-year").first()
        if round_ is None:
            raise CommandError("Ingen åpen runde. Kjør «manage.py load_demo» først.")
        result = prepare_county_round(county, round_.year)
        self.stdout.write(
            f"{result['county']}: {result['prepared']} av {result['profiles']} utkast er "
            "forhåndsutfylt fra i fjor."
        )
