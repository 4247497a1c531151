from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "portal.jobs"
    label = "jobs"
    verbose_name = "Bakgrunnsjobber"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save
        from django_tasks_db.models import DBTaskResult

        post_save.connect(_remember_request_id, sender=DBTaskResult, dispatch_uid="jobs-reqid")


def _remember_request_id(sender, instance, created, **kwargs):
    from portal.observability import current_request_id

    from .models import JobState

    request_id = current_request_id()
    if created and request_id:
        JobState.objects.get_or_create(result=instance, defaults={"request_id": request_id})
