"""Development: DEBUG on unless told otherwise, a throwaway secret, mail to the console."""

import os

os.environ.setdefault("DEBUG", "true")
# The demo's editors and administrator open the admin with their password alone (known
# passwords: the demo is never a real installation). ADMIN_MFA_REQUIRED=true tries MFA.
os.environ.setdefault("ADMIN_MFA_REQUIRED", "false")

from .base import *  # noqa: E402,F403
from .base import env_str  # noqa: E402

SECRET_KEY = env_str("SECRET_KEY") or "dev-only-not-secret-bosettingsportalen"
