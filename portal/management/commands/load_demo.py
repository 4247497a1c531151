"""``manage.py load_demo``: demo users and content for development. Refuses when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import load_demo
from portal.env import env_str
from portal.register.models import Municipality


class Command(BaseCommand):
    help = "Laster demodata (brukere og innhold). Bare for utvikling: nektes når DEBUG er av."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo nektes fordi DEBUG er av. Demobrukere har kjente passord og hører "
                "bare hjemme i utvikling."
            )
        if not Municipality.objects.exists():
            raise CommandError("Registeret er tomt. Kjør «manage.py load_register» først.")
        custom_password = env_str("DEMO_PASSWORD")
        password = custom_password or "demo"
        result = load_demo(password)
        year = result["round_year"]
        self.stdout.write(self.style.SUCCESS(f"Demodata lastet (bosettingsår {year})."))
        self.stdout.write("")
        self.stdout.write("Demobrukere (alt innhold er fiktivt):")
        shown = "verdien av DEMO_PASSWORD" if custom_password else "demo"
        self.stdout.write(f"  passord for alle: {shown}")
        for login in result["logins"]:
            county = f" – {login.county}" if login.county else ""
            self.stdout.write(f"  {login.username:<12} {login.role}{county}")
