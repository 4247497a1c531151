"""Benchmark machinery for ``manage.py bench``: a seeded synthetic data set, a fixed mix of API
queries, latency through Django's test client, throughput against a threaded WSGI server on
loopback, and the figures as a table. Nothing here asserts a timing; it measures and reports.

The synthetic set uses today's register (the 2024 structure: 357 municipalities) for every
round, and rounds 2024–2028, which all fall in that structure, so the data is consistent."""

from __future__ import annotations

import datetime
import http.client
import random
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from socketserver import ThreadingMixIn
from urllib.parse import urlencode, urlsplit, urlunsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from django.db import transaction
from django.utils import timezone

from portal.register.models import Municipality, Occupation, ProgrammeArea
from skjema.models import MunicipalityProfile, QualificationOffer, Round, Status, Version

ROUNDS = (2024, 2025, 2026, 2027, 2028)
SEED = 20210420  # the date of IMDi's letter
QUERY_COUNT = 50
SEARCH_PATH = "/api/v1/search/profiles/"

# A fixed vocabulary: the words county officers write about offers, needs and capacity.
WORDS = """
helsefagarbeider helsearbeider sykepleier sykepleiere omsorgsarbeider hjemmetjenesten
sykehjem barnehage barnehagelærer assistent skole lærer oppvekst fagbrev fagarbeider lærling
læreplass lærekontrakt praksisplass arbeidspraksis språkpraksis norskopplæring
voksenopplæring grunnskole videregående kombinasjonsklasse introduksjonsprogram jobbsjansen
kvalifisering mentor arbeidsgiver næringsliv industri mekaniker elektriker tømrer
betongarbeider byggebransjen anlegg renhold kokk restaurant hotell reiseliv butikk
varehandel sjåfør transport logistikk landbruk gårdsbruk fiskeindustri havbruk sjømat
verksted sveiser rørlegger frisør kantine matfag bolig kommunal utleie leilighet
familie familier enslige kvinner ungdom unge voksne analfabeter digital kompetanse
førerkort nettverk frivillighet idrettslag bibliotek helsestasjon tannhelse tolk
""".split()
FILLER = "med for og i til på av som har gir en et nye flere gode godt tett".split()
TARGET_GROUPS = [
    "Voksne flyktninger",
    "Unge voksne",
    "Kvinner",
    "Enslige mindreårige",
    "Familier med barn",
    "Deltakere med lite skolegang",
    "Deltakere med høyere utdanning",
]
COOPERATION_AREAS = [
    "Introduksjonsprogram",
    "Voksenopplæring",
    "Tolketjeneste",
    "Arbeidsrettede tiltak",
    "Bosetting og bolig",
]
QUERY_TEXTS = [
    "helse",
    "helsefagarbeider",
    "sykepleie",
    "fagbrev",
    "bygg",
    "språkpraksis",
    "barnehage",
    "restaurant kokk",
    "kombinasjonsklasse",
    "havbruk",
    "lærling",
    "industri mekaniker",
    "bolig familier",
    "transport",
    "Bergen",
    "tromso",
]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = []
    for _ in range(rng.randint(low, high)):
        words.append(rng.choice(FILLER) if rng.random() < 0.3 else rng.choice(WORDS))
    return (" ".join(words).capitalize() + ".") if words else ""


# ---------------------------------------------------------------------------------------------
# the data set


@dataclass
class Register:
    municipalities: list[Municipality]
    by_county: dict[int, list[str]]
    areas: list[tuple[str, str]]  # (code, level)
    occupations: list[str]

    @classmethod
    def load(cls, limit: int | None = None) -> Register:
        municipalities = list(
            Municipality.objects.current().select_related("county").order_by("number")
        )[:limit]
        by_county: dict[int, list[str]] = {}
        for m in municipalities:
            by_county.setdefault(m.county_id, []).append(m.number)
        areas = list(ProgrammeArea.objects.order_by("code").values_list("code", "level"))
        occupations = list(Occupation.objects.order_by("code").values_list("code", flat=True))
        return cls(municipalities, by_county, areas, occupations)


def profile_data(rng: random.Random, municipality: Municipality, register: Register) -> dict:
    """One profile version's content with realistic section sizes."""
    kinds = [k for k, _label in QualificationOffer.Kind.choices]
    qualification = []
    for _ in range(rng.randint(2, 6)):
        kind = rng.choice(kinds)
        is_intro = kind == QualificationOffer.Kind.INTRODUCTION
        qualification.append(
            {
                "kind": kind,
                "name": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}",
                "target_group": rng.choice(TARGET_GROUPS),
                "description": _sentence(rng, 10, 40),
                "seats": rng.randint(5, 60),
                "result_share": str(Decimal(rng.randint(250, 900)) / 10) if is_intro else None,
                "result_cohort_year": 2023 if is_intro else None,
                "result_participants": rng.randint(5, 80) if is_intro else None,
                "partners": "NAV, " + rng.choice(WORDS),
            }
        )
    upper_secondary = []
    for code, level in rng.sample(register.areas, rng.randint(1, 5)):
        upper_secondary.append(
            {
                "programme_area": code,
                "level": level,
                "provider": f"{municipality.name} videregående skole",
                "adapted_for_adults": rng.random() < 0.6,
                "adapted_for_minority_language": rng.random() < 0.5,
                "combination_class": rng.random() < 0.3,
                "description": _sentence(rng, 0, 20),
            }
        )
    neighbours = [n for n in register.by_county[municipality.county_id] if n != municipality.number]
    cooperation = []
    for _ in range(rng.randint(0, 3) if neighbours else 0):
        cooperation.append(
            {
                "partners": sorted(rng.sample(neighbours, min(len(neighbours), rng.randint(1, 3)))),
                "area": rng.choice(COOPERATION_AREAS),
                "description": _sentence(rng, 5, 25),
            }
        )
    labour = [
        {
            "occupation": code,
            "competence_level": rng.choice(["none", "trade_certificate", "higher_education"]),
            "scale": rng.choice(["high", "medium", "low"]),
            "sector": rng.choice(["public", "private", "both"]),
            "description": _sentence(rng, 5, 25),
        }
        for code in rng.sample(register.occupations, rng.randint(1, 6))
    ]
    takes_minors = rng.random() < 0.4
    capacity = {
        "wants_to_settle": rng.choices(["yes", "partly", "no"], weights=[7, 2, 1])[0],
        "capacity": None if rng.random() < 0.05 else rng.randint(0, 250),
        "takes_unaccompanied_minors": takes_minors,
        "unaccompanied_minors_number": rng.randint(1, 15) if takes_minors else None,
        "unaccompanied_minors_age_group": rng.choice(["under_15", "15_18", "all"])
        if takes_minors
        else "",
        "household_types": sorted(
            rng.sample(
                ["single", "couple", "family", "large_family", "single_parent"], rng.randint(1, 4)
            )
        ),
        "housing_situation": _sentence(rng, 5, 30),
        "special_needs_capacity": _sentence(rng, 0, 15),
        "capacity_comment": _sentence(rng, 0, 15),
    }
    return {
        "qualification": qualification,
        "upper_secondary": upper_secondary,
        "cooperation": cooperation,
        "labour": labour,
        "capacity": capacity,
    }


@dataclass
class SeedSummary:
    rounds: list[int]
    profiles: int
    versions: int
    seconds: float


# Share of profiles per status; drafts get no version and are never indexed.
STATUS_WEIGHTS = {
    Status.ACCEPTED: 45,
    Status.SUBMITTED: 30,
    Status.RESUBMITTED: 8,
    Status.RETURNED: 7,
    Status.DRAFT: 10,
}


def seed(
    user,
    *,
    rounds: Sequence[int] = ROUNDS,
    municipalities: int | None = None,
    seed_value: int = SEED,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Rounds, one profile per municipality and round, and a submitted version for every
    profile that is not a draft. The search index is not touched: that is what is measured."""
    started = time.perf_counter()
    rng = random.Random(seed_value)
    register = Register.load(municipalities)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    profiles = versions = 0
    for year in rounds:
        with transaction.atomic():
            round_ = Round.objects.create(
                year=year,
                title=f"Bosetting {year} (syntetisk)",
                national_need=4000,
                deadline=timezone.make_aware(datetime.datetime(year - 1, 6, 10, 23, 59)),
                status=Round.Status.CLOSED,
            )
            new_versions = []
            for municipality in register.municipalities:
                status = rng.choices(statuses, weights=weights)[0]
                profile = MunicipalityProfile.objects.create(
                    round=round_,
                    county=municipality.county,
                    municipality=municipality,
                    status=status,
                )
                profiles += 1
                if status != Status.DRAFT:
                    submitted = timezone.make_aware(
                        datetime.datetime(year - 1, rng.randint(4, 6), rng.randint(1, 28), 12)
                    )
                    new_versions.append(
                        Version(
                            submission=profile,
                            number=1,
                            data=profile_data(rng, municipality, register),
                            created_at=submitted,
                            created_by=user,
                        )
                    )
                if progress:
                    progress(1)
            Version.objects.bulk_create(new_versions, batch_size=200)
            versions += len(new_versions)
    return SeedSummary(list(rounds), profiles, versions, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# the query mix


def query_mix(register: Register | None = None, count: int = QUERY_COUNT, seed_value: int = SEED):
    """A fixed list of API query strings: free text alone, filters alone, both, sorts, a few
    second pages, as officers use the search. The same seed gives the same list."""
    rng = random.Random(seed_value)
    register = register or Register.load()
    counties = sorted({m.county.number for m in register.municipalities})
    programmes = sorted({code[:2] for code, _level in register.areas})
    areas = [code for code, _level in register.areas]
    queries = []
    for i in range(count):
        params: list[tuple[str, str]] = []
        if rng.random() < 0.7:
            params.append(("q", rng.choice(QUERY_TEXTS)))
        if i % 10 == 0:
            params.append(("round", str(rng.choice(ROUNDS[:-1]))))
        filters = rng.randint(0, 3) if params else rng.randint(1, 3)
        for _ in range(filters):
            kind = rng.choice(
                ["county", "programme", "occupation", "offer_kind", "minors", "settle", "numbers"]
            )
            if kind == "county":
                params += [("county", c) for c in rng.sample(counties, rng.randint(1, 2))]
            elif kind == "programme":
                params.append(("programme", rng.choice(programmes + areas)))
            elif kind == "occupation":
                params.append(("occupation", rng.choice(register.occupations)))
            elif kind == "offer_kind":
                params.append(("offer_kind", rng.choice(list(QualificationOffer.Kind.values))))
            elif kind == "minors":
                params.append(("takes_minors", "yes"))
            elif kind == "settle":
                params.append(("wants_to_settle", rng.choice(["yes", "partly"])))
            else:
                params.append(("capacity_min", str(rng.choice([10, 25, 50]))))
                if rng.random() < 0.5:
                    params.append(("result_min", str(rng.choice([50, 60, 70]))))
        params.append(
            ("sort", rng.choice(["relevance", "relevance", "capacity", "result", "name"]))
        )
        if rng.random() < 0.1:
            params.append(("page", "2"))
        queries.append(SEARCH_PATH + "?" + urlencode(params))
    return queries


# ---------------------------------------------------------------------------------------------
# measuring


@dataclass
class Sample:
    path: str
    ms: float
    status: int
    engine_ms: float | None = None


def engine_time(header: str | None) -> float | None:
    """The engine's own time from ``Server-Timing: engine;dur=3.0``."""
    for part in (header or "").split(","):
        name, _, rest = part.strip().partition(";")
        if name == "engine" and rest.startswith("dur="):
            try:
                return float(rest[4:])
            except ValueError:
                return None
    return None


def measure_latency(client, paths: Sequence[str], *, repeat: int = 3, warmup: int = 1):
    """Sequential requests through Django's test client (the whole Django stack, no HTTP)."""
    for _ in range(warmup):
        for path in paths:
            client.get(path)
    samples = []
    for _ in range(repeat):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            ms = (time.perf_counter() - started) * 1000
            samples.append(
                Sample(path, ms, response.status_code, engine_time(response.get("Server-Timing")))
            )
    return samples


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


@dataclass
class Throughput:
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure_throughput(
    host: str,
    port: int,
    paths: Sequence[str],
    *,
    clients: int = 8,
    requests: int = 400,
    headers=None,
) -> Throughput:
    """``clients`` threads share ``requests`` GETs (the paths in turn) against a server on
    loopback; each request opens its own connection, as the WSGI server speaks HTTP/1.0."""
    headers = headers or {}
    lock = threading.Lock()
    counter = iter(range(requests))
    errors = 0

    def worker():
        nonlocal errors
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            connection = http.client.HTTPConnection(host, port, timeout=30)
            try:
                connection.request("GET", paths[i % len(paths)], headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors += 1
            except OSError:
                with lock:
                    errors += 1
            finally:
                connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(worker)
    return Throughput(requests, errors, time.perf_counter() - started)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class PooledWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref with a fixed pool of threads, so each thread keeps its database connection
    (``CONN_MAX_AGE``) like a threaded production server; several processes may share the
    port (SO_REUSEPORT) to use every core."""

    daemon_threads = True
    allow_reuse_port = True
    request_queue_size = 128

    def __init__(self, *args, threads: int = 8, **kwargs):
        self.pool = ThreadPoolExecutor(threads)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        self.pool.submit(self.process_request_thread, request, client_address)


def make_server(app, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
    server = PooledWSGIServer((host, port), QuietHandler, threads=threads)
    server.set_app(app)
    return server


# ---------------------------------------------------------------------------------------------
# the report


@dataclass
class BackendFigures:
    backend: str
    database: str
    documents: int
    reindex_seconds: float
    latencies: list[float] = field(default_factory=list)
    engine: list[float] = field(default_factory=list)
    errors: int = 0
    throughput: Throughput | None = None
    target_p95: float | None = None
    # Fixed costs, measured with calls that do no search work (see ``fixed_costs``).
    api_floor: float | None = None
    client_floor: float | None = None

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    @property
    def ratio(self) -> float | None:
        """API latency over the engine's own time (median over the same requests)."""
        if not self.engine:
            return None
        engine = statistics.median(self.engine)
        return statistics.median(self.latencies) / engine if engine else None


def fixed_costs(client, backend, *, repeat: int = 200) -> tuple[float, float]:
    """What every search pays before doing any work, as medians in ms: an API request that
    does nothing (token authentication, permission, DRF, an empty answer), and the client's
    round trip to Elasticsearch beyond the engine's own ``took`` (HTTP, JSON)."""
    api, engine = [], []
    for i in range(repeat + 20):
        started = time.perf_counter()
        client.get("/api/v1/search/municipalities/?q=")
        api_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        took = backend.client.search(index=backend.alias, size=0, track_total_hits=False)["took"]
        engine_ms = (time.perf_counter() - started) * 1000 - took
        if i >= 20:
            api.append(api_ms)
            engine.append(engine_ms)
    return statistics.median(api), statistics.median(engine)


def explain_ratio(row: BackendFigures) -> str | None:
    """The API/engine ratio in plain words: what the engine took, what the API added, and how
    much of that is fixed cost no search can avoid."""
    if not row.engine or row.api_floor is None or row.client_floor is None:
        return None
    engine = statistics.median(row.engine)
    api = statistics.median(row.latencies)
    floor = row.api_floor + row.client_floor
    best = (engine + floor) / engine if engine else float("inf")
    return (
        f"{row.backend}: motoren (took, hele ms) median {engine:.1f} ms; API-et median "
        f"{api:.1f} ms, altså {api - engine:.1f} ms utenom motoren. Faste kostnader uten "
        f"søkearbeid: {row.api_floor:.1f} ms per API-kall (Django, DRF, token) og "
        f"{row.client_floor:.1f} ms per kall til Elasticsearch (HTTP, JSON); med denne "
        f"motortiden gir de alene forholdet {best:.2f}. Resten ({api - engine - floor:.1f} ms) "
        "er søkets eget arbeid: spørringen, svaret med 20 treff og fasettene, utdragene og "
        "JSON-svaret."
    )


def format_table(rows: Sequence[BackendFigures]) -> str:
    header = (
        "backend",
        "database",
        "documents",
        "reindex s",
        "p50 ms",
        "p95 ms",
        "p95 target",
        "req/s (8 clients)",
        "API/engine",
        "errors",
    )
    lines = [header]
    for r in rows:
        throughput = r.throughput
        lines.append(
            (
                r.backend,
                r.database,
                str(r.documents),
                f"{r.reindex_seconds:.1f}",
                f"{r.p50:.1f}",
                f"{r.p95:.1f}",
                (
                    f"< {r.target_p95:.0f} ms " + ("ok" if r.p95 < r.target_p95 else "MISSED")
                    if r.target_p95
                    else "–"
                ),
                f"{throughput.per_second:.1f}" if throughput else "–",
                f"{r.ratio:.2f} " + ("ok" if r.ratio <= 2 else "MISSED")
                if r.ratio is not None
                else "–",
                str(r.errors + (throughput.errors if throughput else 0)),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


# -- the bench database (BENCH_DATABASE_URL): dropped and created afresh, dropped after --------


def postgres_database(url: str) -> tuple[str, str]:
    """(admin URL, database name) for a PostgreSQL URL."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "portal_bench"
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url, name = postgres_database(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url, name = postgres_database(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
