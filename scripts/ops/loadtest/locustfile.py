"""The portal's busy days as locust users (`make loadtest`, scripts/ops/loadtest/run.py).

County officers edit and save a section, import their workbook and submit; IMDi officers
search, open profiles, rank a household and allocate; an editor publishes a page. Each client
fills in the real forms and writes what it saw succeed to a ledger, which
``manage.py loadtest_data verify`` checks against the database afterwards.

Every request is named by its action. A response is a failure unless it is what the action
promises (a redirect after a save, the receipt after a submission, ...); refusals the portal
is right to give (a profile not yet complete, a municipality with no places left) are counted
as ``refused``, not as errors."""

import itertools
import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, events, task

try:
    from htmlforms import find_form
except ImportError:  # imported as a module of the package (ruff, tests)
    from .htmlforms import find_form

PLAN = json.load(open(os.environ["LOADTEST_PLAN"]))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo")
YEAR = PLAN["round"]
WORDS = ["skole", "sykepleier", "norskopplæring", "bolig", "fagbrev", "barnehage", "helse", "kvalifisering", "introduksjonsprogram", "arbeid"]  # fmt: skip
NORWEGIAN_503 = "midlertidig utilgjengelig"

LEDGER = {"round": YEAR, "saves": [], "submissions": [], "allocations": [], "publishes": [],
          "refused": [], "failures": [], "imports": [], "attempts": [], "plans": []}  # fmt: skip
_lock = threading.Lock()
_counties = itertools.cycle(PLAN["counties"])
# The portal's message when the disk for uploads is full (skjema/views/county/editing.py).
STORAGE_FULL = "lagringsplassen for vedlegg er full eller utilgjengelig"
_editors = itertools.cycle(PLAN["editors"])


def note(kind: str, **entry):
    entry["t"] = time.time()
    with _lock:
        LEDGER[kind].append(entry)


@events.test_start.add_listener
def _started(environment, **_kw):
    LEDGER["started"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    LEDGER["started_ts"] = time.time()


@events.request.add_listener
def _request(request_type, name, response_time, response_length, exception, **kw):
    if exception is not None:
        response = kw.get("response")
        status = getattr(response, "status_code", 0) or 0
        body = getattr(response, "text", "") or ""
        note(
            "failures",
            action=name,
            status=status,
            norwegian_503=status == 503 and NORWEGIAN_503 in body,
            error=str(exception)[:200],
        )


@events.quitting.add_listener
def _write_ledger(environment, **_kw):
    with open(os.environ["LOADTEST_LEDGER"], "w") as handle:
        json.dump(LEDGER, handle)


class Portal(HttpUser):
    abstract = True
    wait_time = between(0.2, 2.0)
    username = ""

    def on_start(self):
        self.client.headers["Accept-Language"] = "nb"
        self.login()

    def login(self):
        with self.client.get("/logg-inn/", name="logg inn: side", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
                return
            form = find_form(page.text, has_field="username")
        data = form.data({"username": self.username, "password": PASSWORD})
        with self.client.post(
            "/logg-inn/", data=data, name="logg inn", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"innlogging som {self.username}: {response.status_code}")

    def page(self, url, name, *, expect=200):
        """GET a page; a failure unless the status is ``expect``. The response or None."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != expect:
                r.failure(f"status {r.status_code}")
                return None
            return r

    def section_page(self, url, name, action, reason):
        """GET a section's page. A redirect means it cannot be changed now (sent in or locked
        meanwhile: the page leads to the overview), a refusal the portal is right to give:
        False. Another status is a failure: None. Else the response."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code == 302:
                r.success()
                note("refused", action=action, reason=reason)
                return False
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return None
            return r

    def post(self, url, data, name, *, files=None):
        return self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        )


class CountyOfficer(Portal):
    weight = 15

    def on_start(self):
        county = next(_counties)
        self.username = county["username"]
        self.county = county["county"]
        self.editable = list(county["profiles"])
        self.complete = list(county.get("returned", []))
        self.last_marker: dict[str, str] = {}
        super().on_start()

    @task(8)
    def edit_and_save(self):
        if not self.editable:
            return
        number = random.choice(self.editable)
        url = f"/skjema/{YEAR}/kommuner/{number}/capacity/"
        page = self.section_page(url, "del: åpne", "del", "profilen kan ikke endres nå")
        if page is False:
            self.editable.remove(number)
        if not page:
            return
        try:
            form = find_form(page.text, has_field="base_edit")
        except LookupError:
            self.editable.remove(number)  # submitted or otherwise no longer editable
            return
        field = next((n for n in form.names() if n.endswith("capacity_comment")), None)
        if field is None:
            note("refused", action="del: lagre", reason="fant ikke kommentarfeltet")
            return
        marker = f"lt-{uuid.uuid4().hex[:12]}"
        time.sleep(random.uniform(0.2, 1.0))  # the officer types
        with self.post(url, form.data({field: marker}), "del: lagre") as r:
            if r.status_code == 302 and f"/kommuner/{number}/" in r.headers.get("Location", ""):
                note("saves", municipality=number, marker=marker)
                self.last_marker[number] = marker
            elif r.status_code == 409 and "Du har selv lagret" in r.text:
                # The same officer's workbook import saved the section meanwhile: the portal
                # shows both versions and saves nothing, as it should.
                r.success()
                note("refused", action="del: lagre", reason="egen lagring i mellomtiden")
            elif r.status_code in (200, 409) and "Noen andre har lagret" in r.text:
                r.failure("konflikt")
            else:
                r.failure(f"lagring ikke bekreftet: status {r.status_code}")

    @task(2)
    def dashboard(self):
        self.page(f"/skjema/{YEAR}/", "fylke: oversikt")

    @task(1)
    def import_workbook(self):
        base = f"/skjema/{YEAR}/regneark/"
        page = self.page(base, "regneark: side")
        if page is None:
            return
        with self.client.get(
            base + "arbeidsbok.xlsx", name="regneark: last ned", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return
            workbook = r.content
        try:
            form = find_form(page.text, action="regneark")
        except LookupError:
            form = find_form(page.text, has_field="csrfmiddlewaretoken")
        files = {"file": ("arbeidsbok.xlsx", workbook, "application/octet-stream")}
        # The file field's name as the page has it (the workbook helper may rename it).
        field = re.search(r'<input[^>]*type="file"[^>]*name="([^"]+)"', page.text)
        if field:
            files = {field.group(1): files["file"]}
        with self.post(base, form.data(), "regneark: last opp", files=files) as r:
            if r.status_code != 302:
                r.failure(f"opplasting ikke tatt imot: status {r.status_code}")
                return
            location = r.headers["Location"]
        deadline = time.time() + 60
        while "/sjekker/" in location and time.time() < deadline:
            time.sleep(1)
            with self.client.get(
                location, name="regneark: sjekker", allow_redirects=False, catch_response=True
            ) as r:
                if r.status_code == 302:
                    location = r.headers["Location"]
                elif r.status_code != 200:
                    r.failure(f"status {r.status_code}")
                    return
        if "/sjekker/" in location:
            note("refused", action="regneark", reason="ikke lest innen 60 s")
            return
        preview = self.page(location, "regneark: forhåndsvisning")
        if preview is None:
            return
        try:
            confirm = find_form(preview.text, action="bekreft")
        except LookupError:
            note("refused", action="regneark", reason="ingen endringer å bekrefte")
            return
        with self.post(confirm.action or location, confirm.data(), "regneark: bekreft") as r:
            if r.status_code in (302, 303):
                note("imports", county=self.username)
            elif r.status_code in (400, 409) and "<main" in r.text:
                # The import refuses with its reasons on the page (a part changed in the
                # portal since the download, nothing to import): right, and nothing written.
                r.success()
                note("refused", action="regneark", reason=f"avvist med grunn ({r.status_code})")
            else:
                r.failure(f"bekreftelse: status {r.status_code}")

    @task(1)
    def upload_plan(self):
        """The county's plan document uploaded with a new title (FAULT=storage fills the disk
        for uploads: the portal must say so in Norwegian and keep the earlier plan)."""
        url = f"/skjema/{YEAR}/fylke/{self.county}/plans/"
        page = self.section_page(url, "plan: åpne", "plan", "fylkets innspill kan ikke endres nå")
        if not page:
            return
        try:
            form = find_form(page.text, has_field="base_edit")
        except LookupError:
            return  # the county's submission is not editable now
        title = f"plan-{uuid.uuid4().hex[:12]}"
        data = form.data({"plans-plan_title": title, "save": "1"})
        pdf = b"%PDF-1.7\n" + os.urandom(2048).hex().encode() + b"\n%%EOF\n"
        files = {"plans-plan_document": (f"{title}.pdf", pdf, "application/pdf")}
        with self.post(url, data, "plan: last opp", files=files) as r:
            if r.status_code == 302:
                note("plans", county=self.county, title=title)
            elif r.status_code == 200 and STORAGE_FULL in r.text:
                r.failure(STORAGE_FULL)
            elif r.status_code == 200 and "Noen andre har lagret" in r.text:
                r.failure("konflikt")
            else:
                r.failure(f"plan ikke lagret: status {r.status_code}")

    @task(1)
    def submit(self):
        candidates = [n for n in self.complete if n in self.editable] or self.editable
        if not candidates:
            return
        number = random.choice(candidates)
        overview = f"/skjema/{YEAR}/kommuner/{number}/"
        page = self.page(overview, "skjema: åpne")
        if page is None:
            return
        try:
            form = find_form(page.text, action="send-inn")
        except LookupError:
            self.editable.remove(number)
            return
        with self.post(form.action, form.data(), "skjema: send inn") as r:
            location = r.headers.get("Location", "")
            found = re.search(r"/kvittering/(\d+)/", location)
            if r.status_code == 302 and found:
                note(
                    "submissions",
                    municipality=number,
                    version=int(found.group(1)),
                    marker=self.last_marker.get(number),
                )
                self.editable.remove(number)
            elif r.status_code == 200:
                note("refused", action="send inn", reason="skjemaet er ikke komplett")
            else:
                r.failure(f"innsending: status {r.status_code}")


class ImdiOfficer(Portal):
    weight = 10
    username = PLAN["imdi"]

    @task(5)
    def search(self):
        word = random.choice(WORDS)
        page = self.page(f"/sok/?q={word}", "søk")
        if page is not None and 'class="sok-hit"' not in page.text:
            note("refused", action="søk", reason=f"ingen treff for {word}")

    @task(3)
    def open_profile(self):
        number = random.choice(PLAN["municipalities"])
        self.page(f"/kommuner/{number}/", "profil: åpne")

    @task(2)
    def rank_and_allocate(self):
        page = self.page("/plassering/husholdninger/ny/", "husholdning: ny")
        if page is None:
            return
        form = find_form(page.text, has_field="case_reference")
        case = f"LT-{uuid.uuid4().hex[:10]}"
        levels = [v for v in form.options.get("adult0_education_level", []) if v]
        data = form.data(
            {
                "case_reference": case,
                "children_ages": random.choice(["", "4", "7, 12"]),
                "adult0_education_level": random.choice(levels) if levels else "",
            }
        )
        with self.post("/plassering/husholdninger/ny/", data, "husholdning: lagre") as r:
            found = re.search(r"/husholdninger/(\d+)/", r.headers.get("Location", ""))
            if r.status_code != 302 or not found:
                r.failure(f"husholdning ikke lagret: status {r.status_code}")
                return
            household = int(found.group(1))
        ranking = self.page(
            f"/plassering/husholdninger/{household}/rangering/?runde={YEAR}", "rangering"
        )
        if ranking is None:
            return
        try:
            choice = find_form(ranking.text, action="/velg/")
        except LookupError:
            note("refused", action="tildel", reason="ingen kommune i rangeringen")
            return
        # Written before sending: a request still in flight when the run stops may be stored
        # without the client seeing the answer; the check tells that apart from a ghost.
        note("attempts", household=household, municipality=choice.value("municipality"))
        with self.post(choice.action, choice.data(), "tildel") as r:
            location = r.headers.get("Location", "")
            if r.status_code == 302 and location.rstrip("/").endswith(
                f"/husholdninger/{household}"
            ):
                note("allocations", household=household, municipality=choice.value("municipality"))
            elif r.status_code == 302 and "/rangering/" in location:
                note("refused", action="tildel", reason="ikke nok ledige plasser")
            else:
                r.failure(f"tildeling: status {r.status_code}")


class Editor(Portal):
    fixed_count = 1  # one editor, whatever LOADTEST_USERS is
    wait_time = between(1.0, 2.0)

    def on_start(self):
        self.username = next(_editors)
        super().on_start()

    @task
    def publish(self):
        if not PLAN.get("page"):
            return
        url = f"/admin/pages/{PLAN['page']}/edit/"
        page = self.page(url, "side: rediger")
        if page is None:
            return
        form = find_form(page.text, has_field="title")
        with self.post(url, form.data(button="action-publish"), "side: publiser") as r:
            if r.status_code == 302:
                note("publishes", page=PLAN["page"])
            else:
                r.failure(f"publisering: status {r.status_code}")
