"""Placement listens to the register: a statistics import that holds the councils' decisions
(«vedtak») for a round's year fills the ledger where no officer has entered a decision."""

import logging

from django.db import transaction
from django.dispatch import receiver

from portal.register.signals import statistics_changed

logger = logging.getLogger(__name__)


@receiver(statistics_changed, dispatch_uid="plassering-decisions-from-statistics")
def decisions_from_statistics(sender, **kwargs):
    from .services import decisions_from_statistics as fill
    from .sources import forget_cached_facts

    forget_cached_facts()
    with transaction.atomic():
        filled = fill()
    if filled:
        logger.info("Plassering: %s vedtak hentet fra statistikkimporten", filled)
