"""The contract every search backend fulfils."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BackendStatus:
    ok: bool
    detail: str


class SearchBackend:
    name = "base"

    def status(self) -> BackendStatus:
        raise NotImplementedError
