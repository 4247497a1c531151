"""Register operations: load the project's own register fixture (``fixture``), and import
SSB's files (``ssb_import``); both sync rows in bulk by natural key (``sync``).

Both are idempotent (rows are matched by natural key; a second run changes nothing) and run
inside one transaction, so bad input changes nothing. Code history is read by ``lineage``.
"""

from .fixture import (
    DEFAULT_FIXTURE,
    FIXTURE_FORMAT,
    LoadResult,
    RegisterDataError,
    load_register,
    read_fixture,
)
from .ssb_import import FileReport, ImportResult, import_register_files
from .sync import Tally

__all__ = [
    "DEFAULT_FIXTURE",
    "FIXTURE_FORMAT",
    "FileReport",
    "ImportResult",
    "LoadResult",
    "RegisterDataError",
    "Tally",
    "import_register_files",
    "load_register",
    "read_fixture",
]
