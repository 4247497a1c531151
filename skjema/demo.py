"""Demo data for skjema: last year's round with accepted profiles, and the current round with
profiles and county submissions in every state. All content is fictitious and says so.

Everything goes through the services (open_round, save_section, submit, return_submission,
accept), so versions, transitions and the edit log are real. Idempotent: a round that already
has submissions is left alone, so a second run creates nothing."""

from __future__ import annotations

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.register.models import County, Municipality

from . import services
from .models import CountyShare, CountySubmission, MunicipalityProfile, Round, Submission
from .sections import get_section, serialize_section

DEMO_MARK = "Demoinnhold – fiktivt"
NATIONAL_NEED = {"previous": 4800, "current": 5200}
PROFILES_PER_COUNTY = 5

OFFERS = [
    ("introduction", "Introduksjonsprogram med arbeidsrettet løp", "Deltakere i introprogrammet"),
    ("norwegian", "Norsk med yrkesrettet praksis", "Voksne med kort botid"),
    ("vocational", "Fagbrev på jobb i helse og omsorg", "Deltakere med arbeidserfaring"),
    ("work_practice", "Arbeidspraksis i kommunale tjenester", "Deltakere i introprogrammet"),
    ("language_practice", "Språkpraksis i barnehage", "Foreldre med små barn"),
    ("primary_adults", "Grunnskole for voksne – komprimert løp", "Voksne uten grunnskole"),
    ("upper_secondary_adults", "Kombinasjonsløp mot vitnemål", "Unge voksne 18–25 år"),
]
PROGRAMME_AREAS = ["HSHSF1----", "BABAT1----", "RMRMF1----", "TPTIP1----", "HSBUA2----"]
LABOUR = [
    ("53", "trade_certificate", "Helsefagarbeidere i hjemmetjenesten og på sykehjem."),
    ("22", "higher_education", "Sykepleiere og leger, særlig på natt og i helg."),
    ("71", "trade_certificate", "Tømrere og betongarbeidere til boligbygging."),
    ("91", "none", "Renholdere i kommunale bygg og på hotell."),
    ("51", "none", "Kokker og servitører i reiselivet om sommeren."),
    ("83", "trade_certificate", "Yrkessjåfører med førerkort klasse C/CE."),
    ("23", "higher_education", "Lærere og barnehagelærere."),
    ("72", "trade_certificate", "Sveisere og platearbeidere til verft og industri."),
]
COOPERATION_AREAS = [
    ("Felles voksenopplæring", "Felles norskopplæring og grunnskole for voksne."),
    ("Felles flyktningtjeneste", "Én tjeneste for bosetting og introduksjonsprogram."),
    ("Arbeidsrettede tiltak", "Felles praksisplasser og jobbspor med NAV."),
]
HOUSEHOLDS = ["single", "couple", "family", "large_family", "single_parent"]


def _aware(year: int, month: int, day: int, hour: int = 23, minute: int = 59):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _rng(*parts) -> random.Random:
    return random.Random("-".join(str(p) for p in parts))


# ---------------------------------------------------------------------------------------------
# content


def _profile_content(municipality: Municipality, partners: list[str], year: int) -> dict:
    rng = _rng("profile", municipality.number, year)
    name = municipality.name
    offers = []
    for kind, title, target in rng.sample(OFFERS, rng.randint(1, 3)):
        offers.append(
            {
                "kind": kind,
                "name": title,
                "target_group": target,
                "description": f"{DEMO_MARK}. {title} i {name}, med tett oppfølging og "
                "praksis hos lokale arbeidsgivere.",
                "seats": rng.choice([8, 12, 15, 20, 30, 40]),
                "result_share": f"{rng.randint(45, 85)}.{rng.randint(0, 9)}",
                "result_cohort_year": year - 3,
                "result_participants": rng.randint(10, 60),
                "partners": f"NAV {name}, {name} voksenopplæring",
            }
        )
    upper = [
        {
            "programme_area": code,
            "level": "Vg1" if code.endswith("1----") else "Vg2",
            "provider": f"{name} videregående skole",
            "adapted_for_adults": rng.random() < 0.6,
            "adapted_for_minority_language": rng.random() < 0.5,
            "combination_class": rng.random() < 0.3,
            "description": f"{DEMO_MARK}. Tilpasset løp med ekstra norskopplæring.",
        }
        for code in rng.sample(PROGRAMME_AREAS, rng.randint(1, 2))
    ]
    cooperation = []
    if partners:
        area, description = rng.choice(COOPERATION_AREAS)
        cooperation.append(
            {
                "partners": sorted(rng.sample(partners, min(len(partners), rng.randint(1, 2)))),
                "area": area,
                "description": f"{DEMO_MARK}. {description}",
            }
        )
    labour = [
        {
            "occupation": code,
            "competence_level": level,
            "scale": rng.choice(["high", "medium", "low"]),
            "sector": rng.choice(["public", "private", "both"]),
            "description": f"{DEMO_MARK}. {text}",
        }
        for code, level, text in rng.sample(LABOUR, rng.randint(1, 3))
    ]
    wants = rng.choice(["yes", "yes", "yes", "partly"])
    minors = rng.random() < 0.4
    capacity = {
        "wants_to_settle": wants,
        "capacity": rng.choice([10, 15, 20, 25, 30, 40, 60]),
        "takes_unaccompanied_minors": minors,
        "minors_under_15": rng.randint(0, 3) if minors else None,
        "minors_15_18": rng.randint(2, 6) if minors else None,
        "household_types": sorted(rng.sample(HOUSEHOLDS, rng.randint(2, 4))),
        "largest_household": rng.choice([4, 5, 6, 7, 8]),
        "wheelchair_dwellings": rng.choice([0, 0, 1, 2, 3, 5]),
        "health_followup": rng.choice(["yes", "yes", "limited", "no"]),
        "housing_situation": f"{DEMO_MARK}. Kommunen har {rng.randint(5, 40)} ledige "
        "kommunale boliger og samarbeider med private utleiere.",
        "special_needs_capacity": "Begrenset kapasitet for rullestolbrukere.",
        "capacity_comment": f"{DEMO_MARK}. Tallene er laget for demonstrasjon.",
    }
    return {
        "qualification": offers,
        "upper_secondary": upper,
        "cooperation": cooperation,
        "labour": labour,
        "capacity": capacity,
    }


def _split(total: int, weights: list[int]) -> list[int]:
    """Whole numbers proportional to the weights that add up to exactly ``total``."""
    weight_sum = sum(weights) or 1
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _county_weights(counties: list[County], municipalities: dict) -> list[int]:
    # Oslo is one municipality but a large share; the others by number of municipalities.
    return [12 if c.number == "03" else len(municipalities[c.pk]) for c in counties]


def _county_content(county, municipalities: list[Municipality], share: int, year: int) -> dict:
    numbers = _split(share, [3 if i == 0 else 1 for i in range(len(municipalities))])
    return {
        "plans": {
            "plan_title": f"Plan for kvalifisering av innvandrere i {county.name} "
            f"{year - 2}–{year + 1}",
            "plan_summary": f"{DEMO_MARK}. Fylket vil styrke voksenopplæringen, øke bruken av "
            "fagbrev på jobb og samarbeide tettere med kommunene og NAV.",
            "plan_period": f"{year - 2}–{year + 1}",
            "plan_url": "",
            "plan_document": None,
        },
        "recommendations": [
            {
                "municipality": m.number,
                "number": n,
                "justification": f"{DEMO_MARK}. Gode kvalifiseringstilbud og ledige boliger.",
            }
            for m, n in zip(municipalities, numbers, strict=True)
        ],
        "comment": {"general_comment": f"{DEMO_MARK}. Fylket ønsker et nytt samarbeidsmøte."},
    }


# ---------------------------------------------------------------------------------------------
# helpers over the services


def _save(submission, data: dict, user) -> None:
    ids = services.latest_edit_ids(submission)
    for key, value in data.items():
        services.save_section(submission, key, value, user, base_edit_id=ids.get(key))


class _Demo:
    def __init__(self, round_year: int):
        self.year = round_year
        self.imdi = User.objects.get(username="imdi")
        self.officers = {
            user.county_id: user
            for user in User.objects.filter(role=Role.COUNTY_OFFICER, username__startswith="fylke-")
        }
        self.counts: dict[str, int] = {}

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def municipalities(self, round_: Round) -> dict[int, list[Municipality]]:
        by_county: dict[int, list[Municipality]] = {}
        for m in Municipality.objects.in_structure(round_.structure).order_by("number"):
            if m.county_id:
                by_county.setdefault(m.county_id, []).append(m)
        return by_county

    def chosen(self, municipalities: list[Municipality]) -> list[Municipality]:
        """A spread over the county: the first (often the largest) and evenly spaced others."""
        n = len(municipalities)
        if n <= PROFILES_PER_COUNTY:
            return list(municipalities)
        step = n / PROFILES_PER_COUNTY
        return [municipalities[int(i * step)] for i in range(PROFILES_PER_COUNTY)]

    def shares(self, round_: Round, counties, municipalities) -> dict[int, int]:
        numbers = _split(round_.national_need, _county_weights(counties, municipalities))
        shares = {}
        for county, share in zip(counties, numbers, strict=True):
            CountyShare.objects.get_or_create(
                round=round_, county=county, defaults={"share": share}
            )
            shares[county.pk] = share
        return shares

    # -- last year ------------------------------------------------------------------------

    def previous_round(self) -> Round | None:
        year = self.year - 1
        round_, _created = Round.objects.get_or_create(
            year=year,
            defaults={
                "title": f"Bosetting {year} (demo)",
                "national_need": NATIONAL_NEED["previous"],
                "deadline": _aware(year - 1, 6, 10),
                "criteria": f"<p>{DEMO_MARK}. Anmodningskriteriene for {year}.</p>",
            },
        )
        if Submission.objects.filter(round=round_).exists():
            return None
        if round_.status not in {Round.Status.PLANNING, Round.Status.OPEN}:
            return None
        counties = [c for c in round_.counties() if c.pk in self.officers]
        services.open_round(
            round_, self.imdi, now=round_.deadline - datetime.timedelta(days=60), counties=counties
        )
        municipalities = self.municipalities(round_)
        shares = self.shares(round_, counties, municipalities)
        profiles = {
            p.municipality_id: p
            for p in MunicipalityProfile.objects.filter(round=round_).select_related(
                "municipality", "round", "county"
            )
        }
        accepted = []
        for county in counties:
            officer = self.officers[county.pk]
            in_county = municipalities.get(county.pk, [])
            numbers = [m.number for m in in_county]
            for index, municipality in enumerate(self.chosen(in_county)):
                profile = profiles[municipality.pk]
                partners = [n for n in numbers if n != municipality.number][:6]
                _save(profile, _profile_content(municipality, partners, year), officer)
                submitted_at = round_.deadline - datetime.timedelta(days=5 + index)
                _submit(profile, officer, now=submitted_at)
                accepted.append((services.accept(profile, self.imdi), submitted_at))
                self.count("previous_accepted_profiles")
            county_submission = CountySubmission.objects.get(round=round_, county=county)
            _save(
                county_submission,
                _county_content(county, in_county, shares[county.pk], year),
                officer,
            )
            submitted_at = round_.deadline - datetime.timedelta(days=2)
            _submit(county_submission, officer, now=submitted_at)
            accepted.append((services.accept(county_submission, self.imdi), submitted_at))
            self.count("previous_accepted_county_submissions")
        # The services stamp IMDi's decisions with the time the demo is built; a closed round
        # reads better with acceptances a couple of weeks after the submissions.
        for transition, submitted_at in accepted:
            transition.at = submitted_at + datetime.timedelta(days=14)
            transition.save(update_fields=["at"])
        round_.status = Round.Status.CLOSED
        round_.save(update_fields=["status"])
        return round_

    # -- this year ------------------------------------------------------------------------

    def current_round(self) -> Round | None:
        year = self.year
        now = timezone.now()
        # The deadline has just passed: the round is in review, and there is a late submission.
        deadline = timezone.localtime(now - datetime.timedelta(days=3)).replace(
            hour=23, minute=59, second=0, microsecond=0
        )
        round_, _created = Round.objects.get_or_create(
            year=year,
            defaults={
                "title": f"Bosetting {year} (demo)",
                "national_need": NATIONAL_NEED["current"],
                "deadline": deadline,
                "criteria": f"<p>{DEMO_MARK}. Kommunene anmodes etter kvalifiseringstilbud, "
                "arbeidsmarked, boliger og tidligere bosettingsresultater.</p>",
            },
        )
        if Submission.objects.filter(round=round_).exists():
            return None
        if round_.status not in {Round.Status.PLANNING, Round.Status.OPEN}:
            return None
        deadline = round_.deadline
        counties = [c for c in round_.counties() if c.pk in self.officers]
        result = services.open_round(
            round_, self.imdi, now=deadline - datetime.timedelta(days=45), counties=counties
        )
        self.count("current_profiles", result["profiles"])
        self.count("current_carried_forward", result["carried_forward"])
        municipalities = self.municipalities(round_)
        shares = self.shares(round_, counties, municipalities)
        carried = [
            profile
            for profile in MunicipalityProfile.objects.filter(round=round_, county__in=counties)
            .select_related("municipality", "county", "round")
            .order_by("county__number", "municipality__number")
            if (profile.section_state.get("capacity") or {}).get("carried_from")
        ]
        # Every state, spread over the counties. A resubmission comes after IMDi's return, so
        # after the round's deadline but before IMDi's correction deadline: not late.
        plan = ["accepted", "submitted", "returned", "draft_edited", "accepted", "submitted"]
        late_done = returned = resubmitted = 0
        for index, profile in enumerate(carried):
            officer = self.officers[profile.county_id]
            state = plan[index % len(plan)]
            if state == "returned":
                returned += 1
                if returned % 2 == 0 and resubmitted < 3:
                    state = "resubmitted"
                    resubmitted += 1
            if not late_done and profile.county.number == "40" and state == "submitted":
                state = "late"
                late_done = 1
            self._profile_state(profile, state, officer, deadline, index)
            self.count(f"current_{state}")
        county_plan = ["submitted", "accepted", "draft", "returned", "draft_partial"]
        for index, county in enumerate(counties):
            submission = CountySubmission.objects.select_related("round", "county").get(
                round=round_, county=county
            )
            state = county_plan[index % len(county_plan)]
            self._county_state(
                submission,
                state,
                self.officers[county.pk],
                municipalities.get(county.pk, []),
                shares[county.pk],
                deadline,
                index,
            )
            self.count(f"current_county_{state}")
        return round_

    def _profile_state(self, profile, state, officer, deadline, index) -> None:
        on_time = deadline - datetime.timedelta(days=2 + index % 10)
        if state == "draft_edited":
            capacity = serialize_section(profile, get_section("profile", "capacity"))
            capacity["capacity"] = (capacity.get("capacity") or 0) + 5
            capacity["capacity_comment"] = f"{DEMO_MARK}. Oppdatert etter nytt vedtak."
            _save(profile, {"capacity": capacity}, officer)
            services.confirm_section(profile, "upper_secondary", officer)
            return
        if state == "late":
            _submit(
                profile,
                officer,
                late_reason=f"{DEMO_MARK}. Kommunestyret behandlet saken først etter fristen.",
            )
            return
        _submit(profile, officer, now=on_time)
        if state == "accepted":
            services.accept(profile, self.imdi, reason="Fullstendig og godt begrunnet.")
        elif state in {"returned", "resubmitted"}:
            services.return_submission(
                profile,
                self.imdi,
                reason=f"{DEMO_MARK}. Resultatene mangler grunnlag.",
                comments=[
                    ("qualification", "result_share", "Hvilket kull og hvor mange deltakere?"),
                    ("labour", "", "Beskriv behovet mer konkret."),
                ],
            )
        if state == "resubmitted":
            profile.refresh_from_db()
            labour = serialize_section(profile, get_section("profile", "labour"))
            for row in labour:
                row["description"] = f"{row['description']} Gjelder 10–15 stillinger."
            _save(profile, {"labour": labour}, officer)
            _submit(profile, officer, late_reason="Korrigert etter tilbakemelding fra IMDi.")

    def _county_state(self, submission, state, officer, municipalities, share, deadline, index):
        content = _county_content(submission.county, municipalities, share, self.year)
        if state == "draft":
            return
        if state == "draft_partial":
            content["recommendations"] = content["recommendations"][: len(municipalities) // 2]
            _save(submission, {"recommendations": content["recommendations"]}, officer)
            return
        if state == "returned":  # IMDi returns it because the sum falls short of the share
            for row in content["recommendations"]:
                row["number"] = row["number"] * 4 // 5
        _save(
            submission,
            {"recommendations": content["recommendations"], **_carried(content, submission)},
            officer,
        )
        _submit(submission, officer, now=deadline - datetime.timedelta(days=1 + index % 5))
        if state == "accepted":
            services.accept(submission, self.imdi)
        elif state == "returned":
            services.return_submission(
                submission,
                self.imdi,
                reason=f"{DEMO_MARK}. Summen av anbefalingene er lavere enn fylkets andel.",
                comments=[("recommendations", "number", "Begrunn hvorfor summen er lavere.")],
            )


def _submit(submission, officer, **kwargs):
    """The officer has looked at the carried-forward parts and confirms them, then submits."""
    services.confirm_unchanged(submission, officer)
    return services.submit(submission, officer, **kwargs)


def _carried(content: dict, submission) -> dict:
    """Plans and comment carry forward from last year; fill them only where they did not."""
    state = submission.section_state or {}
    return {
        key: content[key]
        for key in ("plans", "comment")
        if not (state.get(key) or {}).get("carried_from")
    }


def build_demo_skjema(round_year: int) -> dict:
    """Build last year's round and the current round. Returns what was created and the time."""
    started = time.monotonic()
    demo = _Demo(round_year)
    with transaction.atomic():
        previous = demo.previous_round()
        current = demo.current_round()
    return {
        "previous_round": previous.year if previous else None,
        "current_round": current.year if current else None,
        **demo.counts,
        "seconds": round(time.monotonic() - started, 1),
    }


def prepare_county_round(county_number: str, round_year: int) -> dict:
    """A county's current round as it looks when every municipality was carried forward from
    an accepted profile last year: each empty draft gets last year's (fictitious) content with
    every section marked «uendret siden» last year, neither changed nor confirmed. For trying
    (and testing) the bulk actions on a whole county. Submitted profiles are left alone."""
    round_ = Round.objects.get(year=round_year)
    county = County.objects.get(number=county_number)
    officer = User.objects.get(
        role=Role.COUNTY_OFFICER, county=county, username__startswith="fylke-"
    )
    profiles = list(
        MunicipalityProfile.objects.filter(round=round_, county=county, status="draft")
        .select_related("round", "county", "municipality")
        .order_by("municipality__number")
    )
    numbers = [p.municipality.number for p in profiles]
    prepared = 0
    with transaction.atomic():
        for profile in profiles:
            state = profile.section_state or {}
            if any((s or {}).get("carried_from") for s in state.values()):
                continue
            partners = [n for n in numbers if n != profile.municipality.number][:6]
            _save(
                profile, _profile_content(profile.municipality, partners, round_year - 1), officer
            )
            profile.refresh_from_db()
            profile.section_state = {
                key: {"carried_from": round_year - 1, "confirmed": False, "edited": False}
                for key in profile.section_state
            }
            profile.save(update_fields=["section_state"])
            prepared += 1
    return {"county": county.name, "profiles": len(profiles), "prepared": prepared}
