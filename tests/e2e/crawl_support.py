"""What the accessibility crawl (test_crawl.py) needs besides the browser: every URL pattern of
the portal from Django's resolver, the rules that say which patterns are not HTML pages (with
the reason), and the checks run in each page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, prefixes joined, as Django shows it
    name: str  # namespaced name ("skjema:review"), "" when unnamed

    @property
    def label(self) -> str:
        return f"{self.route} ({self.name})" if self.name else self.route

    def url(self, samples: dict) -> str | None:
        """A concrete path for the route from the samples, or None when a part has no sample
        (or the route is a regular expression the samples cannot fill)."""
        if "(?" in self.route or "^" in self.route or "\\" in self.route:
            return None
        parts = []
        position = 0
        for match in CONVERTER.finditer(self.route):
            parts.append(self.route[position : match.start()])
            value = sample_for(self.route, match.start(), match.group("name"), samples)
            if value is None:
                return None
            parts.append(str(value))
            position = match.end()
        parts.append(self.route[position:])
        query = QUERIES.get(self.name, "")
        return "/" + "".join(parts) + (query.format(**samples) if query else "")


# GET form targets: the query the form sends.
QUERIES = {"skjema:compare-pick": "?a={a_id}&b={b_id}&innsending={submission_id}"}


def sample_for(route: str, position: int, name: str, samples: dict):
    """The sample for a route argument; ``number`` is a county's when the route says so, and
    a draft's (which the county may still edit) on a section's edit page."""
    before = route[:position]
    if name == "number":
        if before.endswith(("fylke/", "fylker/")):
            return samples.get("county_number")
        if "<slug:section_key>" in route:
            return samples.get("draft_municipality_number")
        return samples.get("municipality_number")
    if name == "section_key":
        return samples.get("county_section" if "/fylke/" in before else "profile_section")
    return samples.get(name)


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = namespace + entry.name if entry.name else ""
                found.append(Pattern(prefix + str(entry.pattern), name))

    walk(get_resolver(), "", "")
    unique: dict[tuple, Pattern] = {}
    for pattern in found:
        unique.setdefault((pattern.route, pattern.name), pattern)
    return list(unique.values())


# Patterns that are not HTML pages for people, by rule. Each says why; the crawl asserts that
# every pattern of the resolver is either visited or covered by one of these.
@dataclass(frozen=True)
class Rule:
    kind: str
    regex: str
    reason: str
    # For "hidden": the roles that must find the sample (a 404 for them is a failure).
    seen_by: frozenset = frozenset()
    compiled: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "compiled", re.compile(self.regex))


RULES = [
    Rule(
        "wagtail-admin",
        r"^admin/",
        "Wagtail's admin: the crawl visits the pages in the role's admin menu (read from the "
        "menu itself) and the page editor; the other views are Wagtail's own steps from there",
    ),
    Rule(
        "django-admin",
        r"^django-admin/",
        "Django's admin (administrator only): its index is visited; the model views are Django's",
    ),
    Rule("json", r"^api/v1/(?!docs/|schema/)", "REST API for integrations: JSON, not a page"),
    Rule("json", r"^api/v2/", "Wagtail pages API: JSON, not a page"),
    Rule("json", r"^\^api/", "unknown /api/ addresses answer JSON 404, as the API does"),
    Rule("file", r"^api/v1/schema/", "the OpenAPI schema (YAML/JSON) the docs page reads"),
    Rule("json", r"^healthz", "health checks for load balancers: JSON"),
    Rule("json", r"^drift/tellere/", "counters for operators: plain text/JSON"),
    Rule("file", r"^dokumenter/\^", "document download (Wagtail's permission-checked view)"),
    Rule("file", r"\.(docx|xlsx|csv)$|<str:fmt>$", "file download"),
    Rule(
        "needs-state",
        r"^dokumenter/authenticate_with_password/|^_util/",
        "Wagtail's password form for a password-protected page or document: the portal "
        "protects by login and groups, never by password, so no such page exists",
    ),
    Rule(
        "hidden",
        r"^skjema/<int:year>/(fylke|kommuner)/<str:number>/|^skjema/<int:year>/fylke/$",
        "the county's own working pages: IMDi and KS read the submissions through the review "
        "pages and the register; others get 404 (skjema.views.county)",
        frozenset({"fylke"}),
    ),
    Rule(
        "hidden",
        r"^skjema/(<int:year>/kvittering/|innsendinger/|versjoner/<)",
        "receipts, versions and comparisons: found only by those who may read the submission, "
        "404 for others (Submission.objects.visible_to)",
        frozenset({"fylke", "imdi", "ks"}),
    ),
    Rule(
        "hidden",
        r"moter/<int:meeting_id>/dokument/$",
        "IMDi's preparatory document: a county sees it once it is sent, KS and the others never "
        "(404, skjema.views.meetings)",
        frozenset({"imdi"}),
    ),
    Rule(
        "needs-state",
        r"moter/<int:meeting_id>/dokument\.(docx|pdf)$",
        "the preparatory document as Word or PDF: exists once IMDi has generated it (POST …/lag/)",
    ),
    Rule(
        "needs-state",
        r"regneark/(sjekker/)?<uuid:",
        "a spreadsheet upload being checked or previewed: exists only after an upload, "
        "covered by tests/skjema/test_spreadsheets.py",
    ),
    Rule(
        "needs-state",
        r"^plassering/fordeling/<int:batch_id>/",
        "a batch assignment exists only after IMDi has run one (POST to plassering:batch-new; "
        "tests/plassering); the demo has none",
    ),
    Rule(
        "needs-state",
        r"^konto/(\^confirm-email/|\^password/reset/key/|password/reset/key/done/|"
        r"confirm-email/|login/code/confirm/|reauthenticate/code/)",
        "allauth: reached only from a one-time link or code sent by e-mail",
    ),
    Rule(
        "closed",
        r"^konto/(signup/|3rdparty/|social/|oidc/|inactive/)",
        "allauth: sign-up is closed; OpenID Connect and its error pages need the provider's "
        "round trip (tests/accounts/test_login.py)",
    ),
    Rule(
        "needs-state",
        r"^konto/2fa/(authenticate|reauthenticate|totp/deactivate|recovery-codes/)",
        "allauth MFA steps that need a TOTP device, which the demo users do not have",
    ),
]


def rule_for(pattern: Pattern) -> Rule | None:
    # The more specific rules come after the family rules: the last match wins.
    match = None
    for rule in RULES:
        if rule.compiled.search(pattern.route):
            match = rule
    return match


# Visited patterns whose answer is not an HTML page. The response decides: these are checked
# against the response rather than assumed.
OUTCOME_REASONS = {
    "refused": "the role may not open it (403 from portal.accounts.rules)",
    "login": "redirected to the portal's login page",
    "post-only": "POST only: a GET gets the portal's 405 page",
    "redirect": "redirects to another page, which is crawled in its own right",
    "file": "a file download",
    "json": "JSON",
}


def classify(status: int, headers: dict, path: str) -> str:
    content_type = headers.get("content-type", "")
    location = headers.get("location", "")
    if status in (301, 302, 303, 307, 308):
        return "login" if "/logg-inn/" in location and "/logg-inn/" not in path else "redirect"
    if status == 403:
        return "refused"
    if status == 405:
        return "post-only"
    if status == 200 and "attachment" in headers.get("content-disposition", ""):
        return "file"
    if status == 200 and content_type.startswith("text/html"):
        return "page"
    if status == 200 and "json" in content_type:
        return "json"
    if status == 200:
        return "file"
    return f"http-{status}"


# Run in each page: the document must not scroll sideways; wide tables scroll in their own box.
NO_SIDEWAYS_SCROLL = """() => {
  const root = document.documentElement;
  const overflow = root.scrollWidth - root.clientWidth;
  if (overflow <= 1) return null;
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && box.width > 0) {
      let scroller = el.parentElement, inside = false;
      while (scroller && scroller !== document.body) {
        const style = getComputedStyle(scroller);
        if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) { inside = true; break; }
        scroller = scroller.parentElement;
      }
      if (!inside) culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
    }
    if (culprits.length >= 5) break;
  }
  return {overflow, culprits};
}"""

# The element that has focus, and whether the focus can be seen (outline or box shadow).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.value || '').trim().slice(0, 60),
          href: el.getAttribute('href'), id: el.id, visible: outline || shadow,
          shown: box.width > 0 && box.height > 0, key: el.dataset.crawlMain === '1'};
}"""

# Mark the page's main action: the first submit button of a form in the main content, else
# the first link in it. Returns its index among the main content's tabbable elements.
MARK_MAIN_ACTION = """() => {
  const main = document.querySelector('main, [role=main], #main, #hovedinnhold');
  if (!main) return {error: 'no main landmark'};
  const radios = new Set();
  const tabbable = [...main.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                  && getComputedStyle(el).visibility !== 'hidden' && el.type !== 'hidden')
    .filter(el => {  // a group of radio buttons is one Tab stop
      if (el.type !== 'radio' || !el.name) return true;
      if (radios.has(el.name)) return false;
      radios.add(el.name);
      return true;
    });
  const action = tabbable.find(el => el.matches('button[type=submit], button:not([type]), input[type=submit]'))
    || tabbable.find(el => el.matches('a[href]:not([href^="#"])')) || tabbable[0];
  if (!action) return {index: -1};
  action.dataset.crawlMain = '1';
  return {index: tabbable.indexOf(action), text: (action.textContent || action.value || '').trim().slice(0, 60)};
}"""

LINKS = """() => [...new Set([...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
  .filter(h => h.startsWith('/') && !h.startsWith('//')).map(h => h.split('#')[0]))]"""
