"""The notifications API: the user's own notifications only (tried from the other user's side
too), paginated with the unread count, filtered by ``unread``; marking given ids or all read,
where someone else's ids change nothing and are reported as unknown; bad bodies refused."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from skjema.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"
MINUTE = datetime.timedelta(minutes=1)


def seed(user, count, prefix, *, read=0, status=Notification.Status.SENT):
    """``count`` notifications for ``user``, number 0 the newest; the ``read`` oldest read."""
    now = timezone.now()
    rows = [
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.RETURNED,
            dedupe_key=f"{prefix}:{number}",
            subject=f"{prefix} varsel {number}",
            body=f"Innhold {number}",
            url="/skjema/2027/",
            status=status,
            created_at=now - number * MINUTE,
            read_at=now if number >= count - read else None,
        )
        for number in range(count)
    ]
    return rows


@pytest.fixture
def api_as(users):
    def _client(who):
        client = APIClient()
        if who is not None:
            client.force_authenticate(users[who])
        return client

    return _client


def unread_ids(user):
    return set(Notification.objects.unread_for(user).values_list("pk", flat=True))


class TestList:
    def test_own_only_newest_first_with_unread_count(
        self, api_as, users, django_assert_max_num_queries
    ):
        mine = seed(users["fylke_a"], 3, "A", read=1)
        seed(users["fylke_b"], 2, "B")
        client = api_as("fylke_a")
        with django_assert_max_num_queries(4):
            response = client.get(LIST)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        assert body["unread_count"] == 2
        assert [row["subject"] for row in body["results"]] == [
            "A varsel 0",
            "A varsel 1",
            "A varsel 2",
        ]
        first = body["results"][0]
        assert first["id"] == mine[0].pk
        assert first["kind"] == "returned"
        assert first["kind_label"] == "Returnert for retting"
        assert first["url"] == "/skjema/2027/"
        assert first["unread"] is True and first["read_at"] is None
        assert body["results"][2]["unread"] is False

    def test_the_other_county_sees_none_of_them(self, api_as, users):
        seed(users["fylke_a"], 2, "A")
        body = api_as("fylke_b").get(LIST).json()
        assert body["count"] == 0 and body["unread_count"] == 0 and body["results"] == []

    def test_skipped_reminders_are_not_listed_or_counted(self, api_as, users):
        seed(users["fylke_a"], 1, "A")
        seed(users["fylke_a"], 2, "S", status=Notification.Status.SKIPPED)
        body = api_as("fylke_a").get(LIST).json()
        assert [row["subject"] for row in body["results"]] == ["A varsel 0"]
        assert body["unread_count"] == 1

    def test_unread_filter(self, api_as, users):
        seed(users["imdi"], 4, "I", read=3)
        client = api_as("imdi")
        unread = client.get(LIST, {"unread": "true"}).json()
        assert [row["subject"] for row in unread["results"]] == ["I varsel 0"]
        assert unread["count"] == 1 and unread["unread_count"] == 1
        read = client.get(LIST, {"unread": "false"}).json()
        assert read["count"] == 3 and read["unread_count"] == 1

    def test_a_bad_filter_value_is_refused_in_norwegian(self, api_as, users):
        response = api_as("imdi").get(LIST, {"unread": "ja"})
        assert response.status_code == 400
        assert response.json() == {"unread": ["Skriv «true» eller «false»."]}

    def test_paginated_like_the_other_lists(self, api_as, users, django_assert_max_num_queries):
        seed(users["imdi"], 60, "I")
        client = api_as("imdi")
        with django_assert_max_num_queries(4):
            body = client.get(LIST, {"page": 2, "page_size": 25}).json()
        assert body["count"] == 60 and body["unread_count"] == 60
        assert body["results"][0]["subject"] == "I varsel 25"
        assert len(body["results"]) == 25
        assert body["next"].endswith("page=3&page_size=25")
        assert client.get(LIST, {"page_size": 201}).status_code == 400
        assert client.get(LIST, {"page": 9}).status_code == 404

    def test_anonymous_and_users_without_a_role_are_refused(self, api_as, users):
        seed(users["outsider"], 1, "O")
        assert api_as(None).get(LIST).status_code in (401, 403)
        assert api_as("outsider").get(LIST).status_code == 403

    def test_every_role_reads_its_own(self, api_as, users):
        for name in ("imdi", "ks", "editor", "admin", "fylke_b"):
            seed(users[name], 1, name)
            results = api_as(name).get(LIST).json()["results"]
            assert [row["subject"] for row in results] == [f"{name} varsel 0"]


class TestMarkRead:
    def test_given_ids_are_marked_and_the_rest_stay_unread(self, api_as, users):
        rows = seed(users["fylke_a"], 3, "A")
        response = api_as("fylke_a").post(READ, {"ids": [rows[0].pk, rows[2].pk]}, format="json")
        assert response.status_code == 200
        assert response.json() == {
            "marked": sorted([rows[0].pk, rows[2].pk]),
            "unknown": [],
            "unread_count": 1,
        }
        assert unread_ids(users["fylke_a"]) == {rows[1].pk}

    def test_an_already_read_one_is_neither_marked_nor_unknown(self, api_as, users):
        rows = seed(users["fylke_a"], 2, "A", read=1)
        read_at = Notification.objects.get(pk=rows[1].pk).read_at
        body = api_as("fylke_a").post(READ, {"ids": [rows[1].pk]}, format="json").json()
        assert body == {"marked": [], "unknown": [], "unread_count": 1}
        assert Notification.objects.get(pk=rows[1].pk).read_at == read_at

    def test_someone_elses_ids_change_nothing(self, api_as, users):
        """From the other user's side: county B names county A's notifications."""
        theirs = seed(users["fylke_a"], 2, "A")
        mine = seed(users["fylke_b"], 1, "B")
        ids = [theirs[0].pk, mine[0].pk, theirs[1].pk, 999_999]
        response = api_as("fylke_b").post(READ, {"ids": ids}, format="json")
        assert response.status_code == 200
        assert response.json() == {
            "marked": [mine[0].pk],
            "unknown": [theirs[0].pk, theirs[1].pk, 999_999],
            "unread_count": 0,
        }
        assert unread_ids(users["fylke_a"]) == {row.pk for row in theirs}
        # The answer for someone else's id is the same as for one that does not exist.
        only_theirs = api_as("fylke_b").post(READ, {"ids": [theirs[0].pk]}, format="json")
        nonexistent = api_as("fylke_b").post(READ, {"ids": [999_999]}, format="json")
        assert only_theirs.status_code == nonexistent.status_code == 200
        assert only_theirs.json()["marked"] == nonexistent.json()["marked"] == []

    def test_all_marks_every_own_unread_one_and_nobody_elses(self, api_as, users):
        mine = seed(users["imdi"], 3, "I", read=1)
        theirs = seed(users["fylke_a"], 2, "A")
        body = api_as("imdi").post(READ, {"all": True}, format="json").json()
        assert body == {
            "marked": sorted([mine[0].pk, mine[1].pk]),
            "unknown": [],
            "unread_count": 0,
        }
        assert unread_ids(users["imdi"]) == set()
        assert unread_ids(users["fylke_a"]) == {row.pk for row in theirs}

    def test_skipped_ones_are_not_marked(self, api_as, users):
        skipped = seed(users["imdi"], 1, "S", status=Notification.Status.SKIPPED)
        body = api_as("imdi").post(READ, {"ids": [skipped[0].pk]}, format="json").json()
        assert body["unknown"] == [skipped[0].pk]
        assert Notification.objects.get(pk=skipped[0].pk).read_at is None

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            ({}, {"ids": ["Oppgi hvilke varsler som skal merkes som lest, eller «all»: true."]}),
            (
                {"all": False},
                {"ids": ["Oppgi hvilke varsler som skal merkes som lest, eller «all»: true."]},
            ),
            ({"ids": []}, {"ids": ["Oppgi minst ett varsel, eller «all»: true."]}),
            ({"all": True, "ids": [1]}, {"all": ["Oppgi enten «ids» eller «all», ikke begge."]}),
            ({"all": "true"}, {"all": ["Må være true eller false, ikke tekst."]}),
            ({"ids": ["1"]}, {"ids": {"0": ["Må være et heltall, ikke tekst."]}}),
            ({"ids": [5, 0]}, {"ids": {"1": ["En id er et positivt heltall."]}}),
            ({"all": True, "alle": True}, {"alle": ["Ukjent felt «alle»."]}),
        ],
    )
    def test_bad_bodies_are_refused_and_change_nothing(self, api_as, users, payload, errors):
        rows = seed(users["fylke_a"], 2, "A")
        response = api_as("fylke_a").post(READ, payload, format="json")
        assert response.status_code == 400
        assert response.json() == errors
        assert unread_ids(users["fylke_a"]) == {row.pk for row in rows}

    def test_too_many_ids_are_refused(self, api_as, users):
        response = api_as("fylke_a").post(READ, {"ids": list(range(1, 1002))}, format="json")
        assert response.status_code == 400
        assert response.json() == {"ids": ["Oppgi høyst 1000 varsler om gangen."]}

    def test_anonymous_and_outsiders_change_nothing(self, api_as, users):
        rows = seed(users["outsider"], 1, "O")
        assert api_as(None).post(READ, {"all": True}, format="json").status_code in (401, 403)
        assert api_as("outsider").post(READ, {"all": True}, format="json").status_code == 403
        assert unread_ids(users["outsider"]) == {rows[0].pk}

    def test_the_header_badge_follows(self, api_as, users, client):
        rows = seed(users["fylke_a"], 2, "A")
        client.force_login(users["fylke_a"])
        assert "2 uleste varsler" in client.get("/skjema/varsler/").content.decode()
        api_as("fylke_a").post(READ, {"ids": [rows[0].pk]}, format="json")
        assert "1 ulest varsel" in client.get("/skjema/varsler/").content.decode()
