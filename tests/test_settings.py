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
    result = _import_production(SECRET_KEY="x" * 50, DEBUG="false")
    assert result.returncode == 0, result.stderr


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
