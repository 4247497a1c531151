"""``manage.py build_map_geometry``: convert Kartverket's boundaries into the portal's own file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.register.geo.boundaries import BOUNDARIES_FILE
from portal.register.geo.build import DEFAULT_TOLERANCE, GeoSourceError, build_boundaries, dumps
from portal.register.services import read_fixture

SHARED_GEO = Path(settings.BASE_DIR).parent / "shared" / "data" / "geo"


class Command(BaseCommand):
    help = (
        "Lager prosjektets kartgrunnlag (portal/register/geo/norway-2024.json) fra Kartverkets "
        "kommune- og fylkesgrenser (GeoJSON, WGS84): projisert til UTM 33N, felles grenser "
        "lagret én gang og forenklet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipalities", type=Path, default=SHARED_GEO / "kommuner-2024-S.geojson"
        )
        parser.add_argument("--counties", type=Path, default=SHARED_GEO / "fylker-2024-S.geojson")
        parser.add_argument("--output", type=Path, default=BOUNDARIES_FILE)
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help="Douglas–Peucker-toleranse i meter (standard %(default)s).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Skriv ingenting; feil hvis den lagrede filen avviker fra kilden.",
        )

    def handle(self, *args, **options):
        for key in ("municipalities", "counties"):
            if not options[key].exists():
                raise CommandError(f"Finner ikke {options[key]}.")
        try:
            data, report = build_boundaries(
                options["municipalities"],
                options["counties"],
                tolerance=options["tolerance"],
                names=_register_names(),
            )
        except GeoSourceError as exc:
            raise CommandError(str(exc)) from exc
        text = dumps(data)
        output: Path = options["output"]
        if options["check"]:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} er ikke laget fra disse kildefilene.")
            self.stdout.write(self.style.SUCCESS(f"{output.name} stemmer: {report.summary()}"))
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Skrev {output}: {report.summary()}"))


def _register_names() -> dict[str, str]:
    """Today's names from the register fixture, by county and municipality number."""
    data = read_fixture()
    return {
        record["number"]: record["name"]
        for section in ("counties", "municipalities")
        for record in data[section]
        if record["valid_to"] is None
    }
