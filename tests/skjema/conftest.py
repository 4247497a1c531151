"""The skjema fixtures live in tests/fixtures/skjema.py (a plugin shared with sok's tests);
re-exported here for the helpers imported by name."""

from tests.fixtures.skjema import COMPLETE_CAPACITY, OFFER, fill_profile, make_round  # noqa: F401
