"""Values every search reads (register names, the synonym list), kept in the shared cache and,
in each process, as the object last read from it: a cheap stamp in the cache says whether that
copy is still current, so a search does not unpickle a thousand names to use them."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

_local: dict[str, tuple[str, Any]] = {}
_lock = threading.Lock()


def _stamp_key(key: str) -> str:
    return f"{key}:stamp"


def shared_value(key: str, seconds: int, load: Callable[[], Any]) -> Any:
    """The value under ``key``: this process's copy while the cache's stamp matches it, else
    the cache's entry, else ``load()`` (then cached for ``seconds`` under a new stamp)."""
    stamp = cache.get(_stamp_key(key))
    if stamp is not None:
        held = _local.get(key)
        if held is not None and held[0] == stamp:
            return held[1]
        entry = cache.get(key)
        if entry is not None and entry[0] == stamp:
            _local[key] = entry
            return entry[1]
    value = load()
    entry = (uuid.uuid4().hex, value)
    with _lock:
        _local[key] = entry
    cache.set_many({key: entry, _stamp_key(key): entry[0]}, seconds)
    return value


def forget(key: str) -> None:
    """Drop the value everywhere: the next read in any process loads it afresh."""
    cache.delete_many([key, _stamp_key(key)])
    _local.pop(key, None)
