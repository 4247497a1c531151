"""Reading an uploaded workbook within limits: the upload's size, what its zip parts unpack to,
the cells of its sheets and its shared strings are checked by streaming the XML before openpyxl
reads anything (a small .xlsx can hold a «zip bomb»)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..exceptions import SkjemaError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS_PER_SHEET = 5000
MAX_COLUMNS = 60


@dataclass(frozen=True)
class Limits:
    """What a workbook may unpack to, checked by ``scan_workbook`` before openpyxl reads it: a
    small .xlsx can hold a part of gigabytes (a «zip bomb»), a row of millions of cells or
    millions of shared strings, and openpyxl would read them all into memory."""

    max_parts: int = 200
    max_part_bytes: int = 25 * 1024 * 1024  # unpacked, per part
    max_unpacked_bytes: int = 60 * 1024 * 1024  # unpacked, all parts
    max_cells_per_row: int = 1000  # the workbook has at most MAX_COLUMNS; styled blanks beside
    max_cells: int = (MAX_ROWS_PER_SHEET + 1) * MAX_COLUMNS * 2  # all sheets
    max_shared_strings: int = (MAX_ROWS_PER_SHEET + 1) * MAX_COLUMNS


LIMITS = Limits()


class ImportRefused(SkjemaError):
    """The upload or its confirmation is refused; nothing was written."""

    def __init__(self, message: str, conflicts: list | None = None):
        super().__init__(message)
        self.conflicts = conflicts or []


@dataclass
class Scan:
    """What ``scan_workbook`` read: never more than the limits (it stops at the first)."""

    bytes_read: int = 0
    cells: int = 0
    shared_strings: int = 0
    widest_row: int = 0


class WorkbookTooLarge(ImportRefused):
    def __init__(self, message: str, scan: Scan):
        super().__init__(message)
        self.scan = scan


_NOT_XLSX = (
    "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Last ned arbeidsboken fra "
    "portalen, fyll den ut og lagre den som .xlsx."
)
_TOO_LARGE = (
    "Arbeidsboken er for stor til å lastes opp: {what}. Last ned en ny arbeidsbok fra "
    "portalen og lim inn bare verdiene (ikke hele kolonner eller rader med formatering)."
)


class _CountingReader(io.RawIOBase):
    """Reads a zip part and stops the scan once the part or the whole workbook passes its
    limit: the declared sizes are checked first, this is the guard on what is really read."""

    def __init__(self, stream, scan: Scan, limits: Limits, name: str):
        self.stream, self.scan, self.limits, self.name = stream, scan, limits, name
        self.part_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.stream.read(min(len(buffer), 64 * 1024))
        self.part_bytes += len(chunk)
        self.scan.bytes_read += len(chunk)
        if self.part_bytes > self.limits.max_part_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"delen {self.name} pakkes ut til mer enn "
                    f"{self.limits.max_part_bytes // 1024 // 1024} MB"
                ),
                self.scan,
            )
        if self.scan.bytes_read > self.limits.max_unpacked_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"den pakkes ut til mer enn "
                    f"{self.limits.max_unpacked_bytes // 1024 // 1024} MB"
                ),
                self.scan,
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def scan_workbook(file, limits: Limits = LIMITS) -> Scan:
    """Check an upload's unpacked size, its sheets' cells and its shared strings against
    ``limits`` by streaming the XML (nothing is kept); refuse at the first limit passed, with a
    Norwegian message. Returns what was read."""
    scan = Scan()
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_NOT_XLSX) from exc
    try:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise WorkbookTooLarge(_TOO_LARGE.format(what=f"den har {len(parts)} deler"), scan)
        declared = sum(part.file_size for part in parts)
        biggest = max(parts, key=lambda part: part.file_size, default=None)
        if biggest is not None and biggest.file_size > limits.max_part_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"delen {biggest.filename} pakkes ut til "
                    f"{biggest.file_size // 1024 // 1024} MB"
                ),
                scan,
            )
        if declared > limits.max_unpacked_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(what=f"den pakkes ut til {declared // 1024 // 1024} MB"), scan
            )
        for part in parts:
            name = part.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _scan_sheet(archive, part, scan, limits)
            elif name == "xl/sharedStrings.xml":
                _scan_shared_strings(archive, part, scan, limits)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, RuntimeError) as exc:
        raise ImportRefused(_NOT_XLSX) from exc
    finally:
        archive.close()
        file.seek(0)
    return scan


def _events(archive, part, scan, limits):
    with archive.open(part) as raw:
        reader = io.BufferedReader(_CountingReader(raw, scan, limits, part.filename))
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        while chunk := reader.read(64 * 1024):
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()


def _scan_sheet(archive, part, scan: Scan, limits: Limits) -> None:
    in_row = 0
    for event, element in _events(archive, part, scan, limits):
        tag = _local(element.tag)
        if event == "start" and tag == "row":
            in_row = 0
        elif event == "start" and tag == "c":
            in_row += 1
            scan.cells += 1
            scan.widest_row = max(scan.widest_row, in_row)
            if in_row > limits.max_cells_per_row:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(what=f"en rad har mer enn {limits.max_cells_per_row} celler"),
                    scan,
                )
            if scan.cells > limits.max_cells:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(what=f"den har mer enn {limits.max_cells} celler"), scan
                )
        elif event == "end" and tag in ("c", "row"):
            element.clear()


def _scan_shared_strings(archive, part, scan: Scan, limits: Limits) -> None:
    for event, element in _events(archive, part, scan, limits):
        if event != "end":
            continue
        if _local(element.tag) == "si":
            scan.shared_strings += 1
            element.clear()
            if scan.shared_strings > limits.max_shared_strings:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(
                        what=f"den har mer enn {limits.max_shared_strings} tekstverdier"
                    ),
                    scan,
                )


def open_workbook(file) -> Any:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"Filen er for stor ({size // 1024} kB). Største tillatte størrelse er "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    scan_workbook(file)
    try:
        return load_workbook(file, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(
            "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Last ned arbeidsboken fra "
            "portalen, fyll den ut og lagre den som .xlsx."
        ) from exc
