"""Search fixtures: a small, varied set of submitted profiles, and both backends."""

import os
import uuid

import pytest

from skjema import services
from skjema.models import MunicipalityProfile
from tests.conftest import require_service
from tests.fixtures.skjema import COMPLETE_CAPACITY, OFFER, fill_profile

ES_URL = os.environ.get("ELASTICSEARCH_URL") or os.environ.get(
    "TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200"
)


def _profile(round_, number):
    return MunicipalityProfile.objects.get(round=round_, municipality__number=number)


def _labour(code, description="", competence="trade_certificate"):
    return [
        {
            "occupation": code,
            "competence_level": competence,
            "scale": "high",
            "sector": "public",
            "description": description,
        }
    ]


def _upper(code, combination_class=False):
    return [
        {
            "programme_area": code,
            "level": "Vg1",
            "provider": "Fylkets voksenopplæring",
            "adapted_for_adults": True,
            "adapted_for_minority_language": True,
            "combination_class": combination_class,
            "description": "",
        }
    ]


@pytest.fixture
def search_data(opened, users):
    """Five Telemark and Oslo profiles in different states; Notodden stays a draft."""
    imdi, telemark, oslo = users["imdi"], users["fylke_b"], users["fylke_a"]

    skien = fill_profile(_profile(opened, "4003"), telemark)  # helsefagarbeider, 72.5 %, 25
    services.submit(skien, telemark)
    services.accept(skien, imdi)

    porsgrunn = fill_profile(
        _profile(opened, "4001"),
        telemark,
        qualification=[
            {
                **OFFER,
                "kind": "norwegian",
                "name": "Norskopplæring med språkpraksis",
                "description": "Språkpraksis i byggebransjen.",
                "result_share": None,
                "result_cohort_year": None,
                "result_participants": None,
                "target_group": "Unge voksne",
            }
        ],
        upper_secondary=_upper("BABAT1----", combination_class=True),
        labour=_labour("71", "Tømrere og betongarbeidere."),
        cooperation=[{"partners": ["4003"], "area": "Introduksjonsprogram", "description": ""}],
        capacity={
            **COMPLETE_CAPACITY,
            "capacity": 10,
            "takes_unaccompanied_minors": False,
            "unaccompanied_minors_number": None,
            "unaccompanied_minors_age_group": "",
            "household_types": ["single"],
        },
    )
    services.submit(porsgrunn, telemark)

    oslo_profile = fill_profile(
        _profile(opened, "0301"),
        oslo,
        qualification=[
            {
                **OFFER,
                "name": "Jobbsjansen",
                "result_share": "55",
                "description": "Kvalifisering til arbeid i helsesektoren.",
            }
        ],
        labour=_labour("22", "Stort behov for sykepleiere.", competence="higher_education"),
        capacity={**COMPLETE_CAPACITY, "capacity": 200},
    )
    services.submit(oslo_profile, oslo)
    services.return_submission(oslo_profile, imdi, reason="Mangler kull.")

    bamble = fill_profile(
        _profile(opened, "4012"),
        telemark,
        qualification=[],
        upper_secondary=[],
        labour=[],
        capacity={
            **COMPLETE_CAPACITY,
            "wants_to_settle": "no",
            "capacity": None,
            "takes_unaccompanied_minors": False,
            "unaccompanied_minors_number": None,
            "unaccompanied_minors_age_group": "",
            "household_types": [],
        },
    )
    services.submit(bamble, telemark)

    # A draft with matching words: must never be found.
    fill_profile(_profile(opened, "4005"), telemark)
    return opened


@pytest.fixture
def database_backend(settings):
    from sok.backends import get_backend

    settings.SOK_BACKEND = "database"
    return get_backend()


def elasticsearch_available(url: str) -> bool:
    from elasticsearch import Elasticsearch

    try:
        Elasticsearch(url, request_timeout=2, max_retries=0).cluster.health()
    except Exception:  # unreachable for any reason: the caller decides skip or fail
        return False
    return True


@pytest.fixture
def elasticsearch_backend(settings):
    require_service(elasticsearch_available(ES_URL), f"Elasticsearch at {ES_URL}")
    from sok.backends import get_backend

    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ES_URL
    settings.SOK_INDEX_PREFIX = f"bosetting-test-{uuid.uuid4().hex[:8]}"
    backend = get_backend()
    yield backend
    backend.delete_all_indices()


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, search_data):
    """Each backend, loaded with the same documents."""
    from sok.index import rebuild_database_index

    rebuild_database_index()
    backend = request.getfixturevalue(f"{request.param}_backend")
    if request.param == "elasticsearch":
        backend.rebuild()
    return backend
