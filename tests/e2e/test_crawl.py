"""The accessibility crawl: signed in as each role, one page of every URL pattern the role can
open, found from Django's URL resolver (and, for patterns the demo's samples cannot fill, from
the links on the pages crawled before), plus the Wagtail admin pages in the role's own admin
menu. Patterns that are not HTML pages for the role are classified, by the rules in
crawl_support.RULES or by the response (refused, POST only, redirect, file, JSON), each with
its reason; the test fails if a pattern is left unclassified.

Each HTML page: axe-core with zero violations, no sideways scrolling of the page at 320 CSS px
(wide tables scroll in their own box), a skip link as the first stop of the Tab key that moves
focus to the main content, a visible focus, and the page's main action (the first submit button
in the main content, else its first link) reached with the Tab key.

One browser, one page at a time. The pages crawled per role are printed and written to
``crawl-report.json`` in the test's temporary directory (or to $CRAWL_REPORT)."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.crawl_support import (
    FOCUS_STATE,
    LINKS,
    MARK_MAIN_ACTION,
    NO_SIDEWAYS_SCROLL,
    OUTCOME_REASONS,
    classify,
    rule_for,
    url_patterns,
)

pytestmark = pytest.mark.e2e

ROLES = ["anonym", "fylke", "imdi", "ks", "redaktor", "admin"]
ADMIN_ROLES = {"redaktor", "admin"}
# Keyboard check: Tab through at most this many stops to reach the main action; beyond that
# the action must at least be in the tab order and show its focus.
MAX_TABS = 40
INSIDE = """(id) => { const t = document.getElementById(id);
  return !!t && (t === document.activeElement || t.contains(document.activeElement)); }"""
SAMPLES_COMMAND = "from tests.e2e.crawl_samples import print_demo_samples; print_demo_samples()"


@pytest.fixture(scope="module")
def demo(manage):
    output = manage("shell", "-c", SAMPLES_COMMAND)
    return json.loads(output.strip().splitlines()[-1])


class Crawl:
    def __init__(self, browser, base_url, axe, role, username):
        self.context = browser.new_context(
            base_url=base_url, locale="nb-NO", viewport={"width": 320, "height": 800}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.axe = axe
        self.role = role
        self.username = username
        self.results: dict[str, tuple[str, str]] = {}  # pattern label -> (outcome, detail)
        self.crawled: list[str] = []
        self.problems: list[str] = []
        self.links: set[str] = set()
        self.checked_error_pages: set[int] = set()

    def login(self):
        if not self.username:
            return
        page = self.page
        page.goto("/logg-inn/")
        page.get_by_label("Brukernavn").fill(self.username)
        page.get_by_label("Passord").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logg inn").click()
        assert page.get_by_role("button", name="Logg ut").is_visible(), page.url

    def fetch(self, path: str) -> tuple[str, int, dict]:
        response = self.context.request.get(path, max_redirects=0, fail_on_status_code=False)
        headers = {key.lower(): value for key, value in response.headers.items()}
        outcome = classify(response.status, headers, path)
        if response.status in (403, 405) and response.status not in self.checked_error_pages:
            # The portal's own refusal and POST-only pages are pages the role sees: check once.
            self.checked_error_pages.add(response.status)
            assert headers.get("content-type", "").startswith("text/html"), path
            self.check(path, expected_status=response.status)
        return outcome, response.status, headers

    def check(self, path: str, *, expected_status: int = 200) -> None:
        if path in self.crawled:
            return  # the same page under another pattern or page type
        page = self.page
        response = page.goto(path)
        where = f"[{self.role}] {path}"
        if response is None or response.status != expected_status:
            self.problems.append(f"{where}: status {response and response.status}")
            return
        self.crawled.append(path)
        self.links.update(page.evaluate(LINKS))
        results = self.axe.run(page)
        if results.violations_count:
            self.problems.append(f"{where}: axe-core\n{results.generate_report()}")
        sideways = page.evaluate(NO_SIDEWAYS_SCROLL)
        if sideways:
            self.problems.append(
                f"{where}: scrolls sideways at 320 px by {sideways['overflow']} px "
                f"({', '.join(sideways['culprits'])})"
            )
        self.check_keyboard(where)

    def check_keyboard(self, where: str) -> None:
        page = self.page
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_STATE)
        if not first or first["tag"] != "a" or not (first["href"] or "").startswith("#"):
            self.problems.append(f"{where}: the first Tab stop is not a skip link ({first})")
            return
        if not first["visible"]:
            self.problems.append(f"{where}: the skip link's focus is not visible")
        target = first["href"][1:]
        page.keyboard.press("Enter")
        inside = False
        for _attempt in range(5):  # the admin's handler moves focus in a timeout of its own
            inside = page.evaluate(INSIDE, target)
            if inside:
                break
            page.wait_for_timeout(100)
        if not inside:
            # Focus may stay on the body with the sequential focus starting point moved to
            # the target (Wagtail's admin): the next Tab must then land inside the target.
            page.keyboard.press("Tab")
            inside = page.evaluate(INSIDE, target)
            if not inside:
                self.problems.append(f"{where}: the skip link does not lead to #{target}")
                return
        if where.split("] ", 1)[1].startswith(("/admin/", "/django-admin/")):
            # Wagtail's and Django's own admin: axe, width, skip link and focus are checked; which
            # control is a report's "main action" is theirs to say.
            return
        action = page.evaluate(MARK_MAIN_ACTION)
        if "error" in action:
            self.problems.append(f"{where}: {action['error']}")
            return
        if action["index"] < 0:
            return  # nothing to act on (a page of text)
        if action["index"] < MAX_TABS:
            # Tab from the main content until the action has focus (scrolling boxes and
            # other stops the list above cannot see may come first).
            for _ in range(action["index"] + 1 + MAX_TABS):
                if page.evaluate("document.activeElement.dataset.crawlMain === '1'"):
                    break
                page.keyboard.press("Tab")
        else:
            page.focus("[data-crawl-main='1']")
        state = page.evaluate(FOCUS_STATE)
        if not state or not state["key"]:
            self.problems.append(
                f"{where}: Tab does not reach the main action «{action['text']}» ({state})"
            )
        elif not state["visible"] or not state["shown"]:
            self.problems.append(f"{where}: the focus on «{action['text']}» is not visible")

    def visit(self, label: str, path: str, *, rule=None, private=False) -> None:
        outcome, status, headers = self.fetch(path)
        if private and status == 404:
            # portal.content.wagtail_hooks: a page for the participants is not found by others.
            self.results[label] = ("refused", f"{path}: participants only, 404 for others")
            return
        if outcome == "page":
            self.check(path)
            self.results[label] = ("page", path)
        elif outcome == "redirect":
            self.results[label] = ("redirect", f"{path} → {headers.get('location')}")
        elif outcome in OUTCOME_REASONS:
            self.results[label] = (outcome, f"{path}: {OUTCOME_REASONS[outcome]}")
        elif rule is not None and rule.kind == "needs-state" and status == 404:
            self.results[label] = ("needs-state", rule.reason)
        elif rule is not None and rule.kind == "hidden" and status == 404:
            if self.role in rule.seen_by:
                self.problems.append(f"[{self.role}] {label}: {path} must be found (404)")
            self.results[label] = ("hidden", rule.reason)
        else:
            self.problems.append(f"[{self.role}] {label}: {path} answered {status}")
            self.results[label] = (outcome, path)

    def admin_menu(self) -> list[str]:
        """The Wagtail admin pages the role's admin menu links to (Wagtail renders the menu
        from this JSON), and the editor's main task: editing a page."""
        self.page.goto("/admin/")
        props = self.page.locator("#wagtail-sidebar-props").text_content()
        urls: list[str] = []

        def walk(value):
            if isinstance(value, dict):
                for key, inner in value.items():
                    if key == "url" and isinstance(inner, str) and inner.startswith("/admin/"):
                        urls.append(inner)
                    walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)

        walk(json.loads(props))
        return list(dict.fromkeys(["/admin/", *urls]))


def crawl_role(crawl: Crawl, demo: dict) -> None:
    samples = demo["samples"]
    unresolved = []
    for pattern in url_patterns():
        rule = rule_for(pattern)
        if pattern.name == "wagtail_serve":
            for kind, url in sorted(demo["content_pages"].items()):
                crawl.visit(f"{pattern.label} [{kind}]", url, private=kind == "MinutesPage")
            crawl.visit(pattern.label, "/")
            continue
        if rule is not None and rule.kind in {"wagtail-admin", "django-admin", "json", "closed"}:
            crawl.results[pattern.label] = (rule.kind, rule.reason)
            continue
        url = pattern.url(samples)
        if url is None and rule is not None:
            crawl.results[pattern.label] = (rule.kind, rule.reason)
        elif url is None:
            unresolved.append(pattern)
        else:
            crawl.visit(pattern.label, url, rule=rule)
    # Patterns the samples cannot fill: a link to them on a page crawled so far.
    for pattern in unresolved:
        for link in sorted(crawl.links):
            try:
                match = resolve(link.split("?")[0])
            except Resolver404:
                continue
            if match.route == pattern.route:
                crawl.visit(pattern.label, link)
                break
    if crawl.role in ADMIN_ROLES:
        for url in crawl.admin_menu():
            crawl.visit(f"admin menu: {url}", url)
        crawl.visit("admin: page editor", f"/admin/pages/{samples['page_id']}/edit/")
    if crawl.role == "admin":
        crawl.visit("django-admin index", "/django-admin/")
    if crawl.role != "anonym":
        crawl.visit("api docs", "/api/v1/docs/")
    for pattern in unresolved:
        crawl.results.setdefault(pattern.label, ("missed", "no sample and no link found"))


def test_every_page_of_every_role_is_accessible(browser, portal_server, axe, demo, tmp_path):
    users = {
        "anonym": None,
        "fylke": demo["county_officer"],
        "imdi": "imdi",
        "ks": "ks",
        "redaktor": "redaktor",
        "admin": "admin",
    }
    report: dict[str, dict] = {}
    problems: list[str] = []
    missed: list[str] = []
    for role in ROLES:
        started = time.monotonic()
        crawl = Crawl(browser, portal_server, axe, role, users[role])
        try:
            crawl.login()
            crawl_role(crawl, demo)
        finally:
            crawl.context.close()
        problems += crawl.problems
        missed += [f"[{role}] {label}" for label, (o, _) in crawl.results.items() if o == "missed"]
        outcomes = defaultdict(list)
        for label, (outcome, detail) in sorted(crawl.results.items()):
            outcomes[outcome].append(f"{label}: {detail}")
        covered = {label.split(" [")[0] for label in crawl.results}
        missed += [
            f"[{role}] {p.label}: not classified" for p in url_patterns() if p.label not in covered
        ]
        report[role] = {
            "pages crawled": len(crawl.crawled),
            "seconds": round(time.monotonic() - started),
            "pages": crawl.crawled,
            "patterns": {outcome: len(items) for outcome, items in outcomes.items()},
            "classified": dict(outcomes),
        }
    path = Path(os.environ.get("CRAWL_REPORT") or tmp_path / "crawl-report.json")
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nCrawl report: {path}")
    for role, entry in report.items():
        print(
            f"  {role}: {entry['pages crawled']} pages crawled in {entry['seconds']} s; "
            f"{entry['patterns']}"
        )
    assert not missed, "patterns neither crawled nor classified:\n" + "\n".join(missed)
    assert not problems, f"{len(problems)} problems:\n" + "\n\n".join(problems)
