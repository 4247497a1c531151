"""Errors the skjema services raise; each carries a Norwegian message for the user."""

from __future__ import annotations

from dataclasses import dataclass, field


class SkjemaError(Exception):
    """A refused operation. ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(SkjemaError):
    pass


class InvalidTransition(SkjemaError):
    pass


@dataclass
class SubmissionInvalid(SkjemaError):
    problems: list = field(default_factory=list)
    message: str = "Skjemaet kan ikke sendes inn før feilene er rettet."

    def __post_init__(self):
        Exception.__init__(self, self.message)


@dataclass
class EditConflict(SkjemaError):
    """Someone else saved the section after the form was opened. Nothing was written."""

    section: str
    base_edit: object | None
    latest_edit: object
    message: str = (
        "Noen andre har lagret denne delen etter at du åpnet den. Endringene dine er ikke lagret "
        "ennå – se hva som er endret, og lagre på nytt for å bruke din versjon."
    )

    def __post_init__(self):
        Exception.__init__(self, self.message)
