"""Keep role groups in place after migrate, and each user's groups in step with their role."""

from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from . import sessions
from .models import User
from .services import ensure_role_groups, sync_role_groups


@receiver(post_save, sender=User)
def _sync_groups_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_role_groups(instance)


@receiver(post_migrate)
def _ensure_groups_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "accounts":
        return
    # A partial migrate (``migrate register``) still sends post_migrate for every app.
    needed = {"auth_group", "auth_permission", "django_content_type"}
    if needed <= set(connections[using].introspection.table_names()):
        ensure_role_groups()


@receiver(user_logged_in)
def _start_session_clocks(sender, request=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start(request.session)
