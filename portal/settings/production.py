"""Production: refuses to start without a secret, with DEBUG on, or with e-mail going to the
console (unless ALLOW_CONSOLE_EMAIL=true says that is meant)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, EMAIL_BACKEND, LOGGING, SECRET_KEY, env_bool, env_int, env_str

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY må settes i produksjon.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG kan ikke være på i produksjon.")
if EMAIL_BACKEND.endswith(".console.EmailBackend") and not env_bool("ALLOW_CONSOLE_EMAIL", False):
    raise ImproperlyConfigured(
        "E-post går til konsollen: sett EMAIL_HOST (SMTP), eller ALLOW_CONSOLE_EMAIL=true "
        "hvis det er meningen (f.eks. i en testinstallasjon)."
    )

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# /healthz answers the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]

# One JSON object per line, with the request id (portal/observability.py); LOG_FORMAT=text to read.
if env_str("LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
