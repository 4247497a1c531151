"""The load test's two ends in the database (scripts/ops/loadtest/): the plan the clients work
from, and the «nothing lost» check of what the clients saw succeed against what is stored."""

from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model
from wagtail.models import Page

from plassering.models import Allocation
from plassering.selectors import capacity_list
from portal.content.models import GuidanceIndexPage
from skjema.models import CountySubmission, MunicipalityProfile, Round, SectionEdit, Version
from skjema.models.submissions import EDITABLE_STATES, Status

from .consistency import search_problems, wait_for_outbox

MARKER_FIELD = "capacity_comment"  # the text field every save writes a unique marker into


def plan() -> dict:
    """Who does what: each county officer's editable profiles in the open round, the IMDi
    user, the editors' page, municipalities to open and words to search for."""
    round_ = Round.objects.filter(status=Round.Status.OPEN).order_by("-year").first()
    if round_ is None:
        raise LookupError("Ingen åpen runde i databasen: last demodataene først.")
    users = get_user_model().objects
    profiles = defaultdict(list)
    returned = defaultdict(list)  # submitted before: complete, so they can be sent in again
    for county, number, status in (
        MunicipalityProfile.objects.filter(round=round_, status__in=EDITABLE_STATES)
        .order_by("municipality__number")
        .values_list("county__number", "municipality__number", "status")
    ):
        profiles[county].append(number)
        if status == Status.RETURNED:
            returned[county].append(number)
    counties = [
        {
            "username": f"fylke-{county}",
            "county": county,
            "profiles": numbers,
            "returned": returned[county],
        }
        for county, numbers in sorted(profiles.items())
        if users.filter(username=f"fylke-{county}").exists()
    ]
    page = GuidanceIndexPage.objects.live().first() or Page.objects.live().filter(depth=3).first()
    return {
        "round": round_.year,
        "counties": counties,
        "imdi": "imdi",
        "editors": ["redaktor", "redaktor2"],
        "page": page.pk if page else None,
        "municipalities": list(
            MunicipalityProfile.objects.filter(round=round_).values_list(
                "municipality__number", flat=True
            )
        ),
    }


def verify(ledger: dict, *, outbox_wait: float = 120) -> tuple[list[str], dict]:
    """(problems, figures) for what the clients saw succeed; no problems means nothing lost."""
    problems: list[str] = []
    figures: dict = {}
    year = ledger["round"]

    # Saves: every marker a client saw saved is in a section edit; the last one per profile
    # is in the working copy (or in the version the client saw it submitted in).
    saves = ledger.get("saves", [])
    markers = {s["marker"] for s in saves}
    stored = set()
    for data in SectionEdit.objects.filter(
        submission__round__year=year, section="capacity", at__gte=ledger["started"]
    ).values_list("data", flat=True):
        value = (data or {}).get(MARKER_FIELD)
        if value in markers:
            stored.add(value)
    lost = markers - stored
    problems += [f"lagring {m} finnes ikke i databasen" for m in sorted(lost)[:20]]
    last = {}
    for save in sorted(saves, key=lambda s: s["t"]):
        last[save["municipality"]] = save["marker"]
    submitted = {s["municipality"]: s for s in ledger.get("submissions", [])}
    current = dict(
        MunicipalityProfile.objects.filter(
            round__year=year, municipality__number__in=list(last)
        ).values_list("municipality__number", MARKER_FIELD)
    )
    for number, marker in sorted(last.items()):
        if number in submitted:
            continue  # checked with its version below
        if current.get(number) != marker:
            problems.append(
                f"{number}: siste lagring {marker} står ikke i skjemaet ({current.get(number)!r})"
            )
    figures["saves"] = len(saves)

    # Submissions: the version the client was shown exists, is the latest, and carries the
    # marker of the client's last save before it.
    for number, sub in sorted(submitted.items()):
        version = Version.objects.filter(pk=sub["version"]).select_related("submission").first()
        if version is None:
            problems.append(f"{number}: innsendt versjon {sub['version']} finnes ikke")
            continue
        latest = version.submission.versions.order_by("-number").first()
        if latest.pk != version.pk:
            problems.append(f"{number}: versjon {version.number} er ikke den siste")
        if sub.get("marker") and sub["marker"] not in str(version.data):
            problems.append(f"{number}: versjon {version.number} mangler lagringen {sub['marker']}")
    figures["submissions"] = len(submitted)

    # Allocations: each one a client saw made is stored exactly once; none made unseen.
    seen = Counter((a["household"], a["municipality"]) for a in ledger.get("allocations", []))
    made = Counter(
        Allocation.objects.filter(round__year=year, created_at__gte=ledger["started"])
        .exclude(household=None)
        .values_list("household_id", "municipality__number")
    )
    for key, count in sorted(seen.items()):
        if made.get(key, 0) != count:
            problems.append(f"tildeling {key}: klienten så {count}, databasen har {made.get(key)}")
    attempted = Counter((a["household"], a["municipality"]) for a in ledger.get("attempts", []))
    in_flight = 0
    for key, count in sorted(made.items()):
        if key in seen:
            continue
        if attempted.get(key, 0) >= count:
            in_flight += count  # sent, stored, the answer cut off when the run stopped
            continue
        problems.append(f"tildeling {key}: {count} i databasen som ingen klient sendte")
    figures["allocations"] = sum(seen.values())
    figures["allocations_in_flight_at_stop"] = in_flight
    round_ = Round.objects.get(year=year)
    over = [
        s
        for s in capacity_list(round_=round_)
        if s.allocated_general > s.general
        or s.allocated_under_15 > s.minors_under_15
        or s.allocated_15_18 > s.minors_15_18
    ]
    problems += [f"{s.number} {s.name}: ledig kapasitet under null" for s in over]
    figures["below_zero"] = len(over)

    # Plan documents: the last title a county officer saw saved is the county's, with its file;
    # every document made during the run has its file (a full disk left nothing half-written).
    last_plan = {}
    for entry in sorted(ledger.get("plans", []), key=lambda e: e["t"]):
        last_plan[entry["county"]] = entry["title"]
    for county, title in sorted(last_plan.items()):
        submission = (
            CountySubmission.objects.filter(round__year=year, county__number=county)
            .select_related("plan_document")
            .first()
        )
        if submission is None or submission.plan_title != title:
            found = submission.plan_title if submission else None
            problems.append(f"fylke {county}: siste plan {title} står ikke i skjemaet ({found!r})")
    documents = get_document_model().objects.filter(created_at__gte=ledger["started"])
    without_file = [d.pk for d in documents if not d.file.storage.exists(d.file.name)]
    problems += [f"dokument {pk} mangler filen sin" for pk in without_file[:20]]
    figures["plans"] = len(ledger.get("plans", []))
    figures["documents_without_file"] = len(without_file)

    backlog = wait_for_outbox(outbox_wait)
    index_problems, index_figures = search_problems()
    problems += index_problems
    figures["index"] = index_figures
    figures["outbox_after_wait"] = backlog
    return problems, figures
