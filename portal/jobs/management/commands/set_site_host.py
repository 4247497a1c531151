"""``manage.py set_site_host``: the default Wagtail site's host and port from PORTAL_BASE_URL, so
page URLs in the page API and in e-mails use the public address (run by `make serve`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Sett vertsnavnet til Wagtail-nettstedet fra PORTAL_BASE_URL."

    def handle(self, *args, **options):
        parts = urlsplit(settings.PORTAL_BASE_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(
                f"PORTAL_BASE_URL må være en adresse som https://bosetting.example.no, "
                f"ikke {settings.PORTAL_BASE_URL!r}."
            )
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stdout.write("Ingen standardside ennå; ingenting å endre.")
            return
        if (site.hostname, site.port) != (parts.hostname, port):
            site.hostname, site.port = parts.hostname, port
            site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"Wagtail-nettstedet svarer som {parts.hostname}:{port}.")
