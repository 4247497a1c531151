import datetime

from django.utils import timezone

from skjema.templatetags.skjema_tags import time_left


def test_time_left_in_plain_words():
    now = timezone.now()
    assert time_left(now + datetime.timedelta(days=12, hours=2), now) == "12 dager igjen"
    assert time_left(now + datetime.timedelta(days=1, hours=1), now) == "1 dag igjen"
    assert time_left(now + datetime.timedelta(hours=5), now) == "5 timer igjen"
    assert time_left(now + datetime.timedelta(minutes=30), now) == "30 minutter igjen"
    assert time_left(now - datetime.timedelta(days=3), now) == "fristen gikk ut for 3 dager siden"
