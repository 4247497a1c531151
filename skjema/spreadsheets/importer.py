"""Reading a county workbook back: the entry points of the upload, in three steps kept in
their own modules:

- ``unpack``: the file within limits (upload size, unpacked size, cells, shared strings);
- ``validation`` and ``preview``: every row checked and compared with the working copies, per
  municipality (a dry run that writes nothing; the parsed data is kept server-side in
  ``PendingImport``);
- ``apply``: confirming, one transaction per municipality through ``services.save_section``
  (its locks and edit ids), and «send inn de importerte» through ``services.bulk_submit``.

django-import-export's import (``Resource.import_data`` with ``dry_run``) is not used here: it
writes model rows directly, past the services that keep versions, the edit log and conflict
detection; its dry run executes the writes and rolls them back; and it reads cells through tablib,
which loses the difference between the text «0301» and the number 301 that we must refuse."""

from __future__ import annotations

from .apply import CONFLICT_MESSAGE, confirm_import, imported_profiles, submit_imported
from .preview import (
    CHANGED,
    CREATED,
    DELETED,
    INVALID,
    UNCHANGED,
    create_pending_import,
    preview_workbook,
    state_label,
)
from .unpack import (
    LIMITS,
    MAX_COLUMNS,
    MAX_ROWS_PER_SHEET,
    MAX_UPLOAD_BYTES,
    ImportRefused,
    Limits,
    Scan,
    WorkbookTooLarge,
    open_workbook,
    scan_workbook,
)
from .validation import Problem, row_anchor

__all__ = [
    "CHANGED",
    "CONFLICT_MESSAGE",
    "CREATED",
    "DELETED",
    "INVALID",
    "LIMITS",
    "MAX_COLUMNS",
    "MAX_ROWS_PER_SHEET",
    "MAX_UPLOAD_BYTES",
    "UNCHANGED",
    "ImportRefused",
    "Limits",
    "Problem",
    "Scan",
    "WorkbookTooLarge",
    "confirm_import",
    "create_pending_import",
    "imported_profiles",
    "open_workbook",
    "preview_workbook",
    "row_anchor",
    "scan_workbook",
    "state_label",
    "submit_imported",
]
