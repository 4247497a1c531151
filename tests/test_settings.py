"""Production settings refuse unsafe configurations; env flags are parsed strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_without_secret_key():
    result = _import_production()
    assert result.returncode != 0
    assert "SECRET_KEY må settes" in result.stderr


def test_production_refuses_debug():
    result = _import_production(SECRET_KEY="x" * 50, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG kan ikke være på" in result.stderr


def test_production_starts_when_configured():
    result = _import_production(SECRET_KEY="x" * 50, DEBUG="false", EMAIL_HOST="smtp.example")
    assert result.returncode == 0, result.stderr


def test_production_refuses_console_email_unless_allowed():
    refused = _import_production(SECRET_KEY="x" * 50, EMAIL_HOST="")
    assert refused.returncode != 0
    assert "E-post går til konsollen" in refused.stderr
    allowed = _import_production(SECRET_KEY="x" * 50, EMAIL_HOST="", ALLOW_CONSOLE_EMAIL="true")
    assert allowed.returncode == 0, allowed.stderr


def test_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="a-long-random-secret-for-the-deploy-check-" + "x9Y!" * 10,
        EMAIL_HOST="smtp.example",
        ALLOWED_HOSTS="bosetting.example.no",
        PORTAL_BASE_URL="https://bosetting.example.no",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "False")
    assert env_bool("FLAG") is False
    monkeypatch.setenv("FLAG", "on")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "kanskje")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_env_int_is_strict(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("N", "tolv")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
