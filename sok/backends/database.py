"""The embedded search backend: runs in the portal's own database, no service needed."""

from django.db import connection

from .base import BackendStatus, SearchBackend


class DatabaseBackend(SearchBackend):
    name = "database"

    def status(self) -> BackendStatus:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # any driver error means the backend cannot answer
            return BackendStatus(False, f"databasen svarer ikke: {exc.__class__.__name__}")
        return BackendStatus(True, "database")
