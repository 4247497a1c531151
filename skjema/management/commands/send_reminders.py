"""``manage.py send_reminders``: deadline reminders to the counties, retries of failed e-mails,
and the preparatory documents due to be sent (with IMDi's approval reminders). Safe to run from
cron every few minutes; see ``skjema.notifications.send_reminders`` and
``skjema.meeting_dispatch.dispatch`` (the worker runs the same as periodic jobs)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from skjema.meeting_dispatch import dispatch
from skjema.models import Notification
from skjema.notifications import send_reminders


def parse_moment(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--now må være et tidspunkt i ISO 8601, f.eks. 2026-05-27T08:00, ikke {value!r}."
        ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Send påminnelser om fristen til fylkene, og prøv igjen e-poster som ikke gikk."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Kjør som om klokken var dette (ISO 8601; uten tidssone: norsk tid).",
        )

    def handle(self, *args, now=None, **options):
        moment = parse_moment(now) if now else None
        run = send_reminders(now=moment)
        documents = dispatch(now=moment)
        outcome = dict(
            Notification.objects.filter(pk__in=run.created)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        sent = outcome.get(Notification.Status.SENT, 0)
        self.stdout.write(
            f"Påminnelser: {len(run.created)} nye, {sent} sendt, "
            f"{len(run.created) - sent} ikke sendt ennå. "
            f"Eldre påminnelser hoppet over: {run.skipped}. "
            f"Sendt på nytt etter feil: {run.retried}."
        )
        self.stdout.write(
            f"Saksforberedende dokumenter: {len(documents.sent)} sendt, "
            f"{len(documents.reminded)} påminnelser til IMDi om godkjenning."
        )
