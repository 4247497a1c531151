"""Keep role groups in place after migrate, and each user's groups in step with their role."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import User
from .services import ensure_role_groups, sync_role_groups


@receiver(post_save, sender=User)
def _sync_groups_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_role_groups(instance)


@receiver(post_migrate)
def _ensure_groups_after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "accounts":
        ensure_role_groups()
