"""Extension points: places on a lower app's pages that apps higher up fill with panels and
columns, so the lower app never imports them (the register's municipality page shows skjema's
profile, placement adds «Ledig 12 av 20» to search hits and the round dashboard).

An app registers a provider for a point, usually in a module its ``AppConfig.ready`` imports::

    from portal import extensions

    @extensions.register(extensions.MUNICIPALITY_PAGE, order=20)
    def profile_panel(*, request, municipality):
        return extensions.Panel("skjema/includes/municipality_profiles.html", {...})

The page asks for what is registered (``panels(point, **context)`` or, in a template,
``{% extension_panels "municipality_page" municipality=municipality %}``). A provider returns
a ``Panel`` / ``Column``, or None to show nothing. Column providers get every row key of the
page at once, so a column costs a fixed number of queries however many rows there are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The points, each with the keyword arguments its providers receive (besides ``request``).
MUNICIPALITY_PAGE = "municipality_page"  # panels; municipality
ROUND_DASHBOARD = "round_dashboard"  # columns per county; round_, keys (county numbers)
SEARCH_HIT = "search_hit"  # columns per hit; round_year, keys (municipality numbers)
COUNTY_RECOMMENDATIONS = "county_recommendations"  # panels; submission (a county submission)
MEETING_FACTS = "meeting_facts"  # panels (<dt>/<dd> pairs of the facts list); meeting

POINTS = {
    MUNICIPALITY_PAGE: "panels",
    ROUND_DASHBOARD: "columns",
    SEARCH_HIT: "columns",
    COUNTY_RECOMMENDATIONS: "panels",
    MEETING_FACTS: "panels",
}


@dataclass
class Panel:
    """A block of a page: ``template`` rendered with ``context`` (plus ``request``)."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass
class Column:
    """An extra column of a list: a header and the cell text per row key."""

    header: str
    values: dict[str, str] = field(default_factory=dict)
    empty: str = ""

    def value(self, key) -> str:
        return self.values.get(str(key), self.empty)


_providers: dict[str, list[tuple[int, str, Callable]]] = {point: [] for point in POINTS}


def register(point: str, *, order: int = 100):
    """Decorator: ``fn(*, request, **context)`` provides for ``point``; lower ``order`` first.
    Registering the same function twice (a module imported again) keeps one."""
    if point not in POINTS:
        raise ValueError(f"Ukjent utvidelsespunkt: {point!r} (kjente: {', '.join(POINTS)})")

    def decorator(fn: Callable) -> Callable:
        name = f"{fn.__module__}.{fn.__qualname__}"
        entries = [entry for entry in _providers[point] if entry[1] != name]
        entries.append((order, name, fn))
        _providers[point] = sorted(entries, key=lambda entry: (entry[0], entry[1]))
        return fn

    return decorator


def unregister(point: str, fn: Callable) -> None:
    name = f"{fn.__module__}.{fn.__qualname__}"
    _providers[point] = [entry for entry in _providers[point] if entry[1] != name]


def providers(point: str) -> list[Callable]:
    return [fn for _order, _name, fn in _providers[point]]


def _collect(point: str, kind: type, context: dict) -> list:
    found = []
    for fn in providers(point):
        result = fn(**context)
        if result is None:
            continue
        for item in result if isinstance(result, list | tuple) else [result]:
            if not isinstance(item, kind):
                raise TypeError(f"{fn.__qualname__} ga {type(item).__name__}, ikke {kind.__name__}")
            found.append(item)
    return found


def panels(point: str, *, request, **context) -> list[Panel]:
    """The panels registered for ``point``, in order, for this page."""
    return _collect(point, Panel, {"request": request, **context})


def columns(point: str, *, request, keys, **context) -> list[Column]:
    """The extra columns registered for ``point`` for these row keys, in order."""
    keys = [str(key) for key in keys]
    return _collect(point, Column, {"request": request, "keys": keys, **context})
