"""Tests: fast hashing, in-memory cache and mail; the database and search come from the env."""

from .base import *  # noqa: F403
from .base import env_str

SECRET_KEY = env_str("SECRET_KEY") or "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# platform: jobs run at once, in the test's process (tests/jobs drive the real worker)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_ISOLATION = "inline"
# login: the admin's second factor is tested where it is the subject (tests/accounts)
ADMIN_MFA_REQUIRED = False
# platform: the suite sends thousands of API requests as one user (schemathesis); the rate
# limits are tested where they are the subject (tests/test_api_throttling.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "token": "100000/min"},
}
API_TOKEN_FAILURES_PER_MINUTE = 100000
