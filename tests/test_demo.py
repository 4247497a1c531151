"""``manage.py load_demo``: only with DEBUG on, idempotent, one county officer per county."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from portal.accounts.models import Role, User
from portal.demo import demo_round_year


def test_demo_round_year_is_the_next_settlement_year():
    assert demo_round_year(datetime.date(2026, 11, 26)) == 2027


@pytest.mark.django_db
def test_refuses_when_debug_is_off(settings, register):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG er av"):
        call_command("load_demo")
    assert not User.objects.filter(username="imdi").exists()


@pytest.mark.django_db
def test_loads_users_idempotently(settings, register, capsys, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "fylke-03" in out and "passord for alle: demo" in out
    counts = User.objects.count()
    call_command("load_demo")
    assert User.objects.count() == counts
    officers = User.objects.filter(role=Role.COUNTY_OFFICER)
    assert officers.count() == 15
    assert User.objects.get(username="fylke-40").county.number == "40"
    assert User.objects.get(username="imdi").check_password("demo")
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_password_from_environment(settings, register, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "hemmelig-demo")
    call_command("load_demo", verbosity=0)
    assert User.objects.get(username="ks").check_password("hemmelig-demo")
