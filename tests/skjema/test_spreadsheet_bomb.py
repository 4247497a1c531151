"""Spreadsheet bombs from the attacker's side: a small .xlsx that unpacks to a row of 10 M cells
or a sharedStrings part of 30 M entries is refused early, with a Norwegian message, and the
scan stops at the limit (no more cells, strings or bytes are read than the limit allows)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skjema.models import PendingImport
from skjema.spreadsheets.importer import LIMITS, ImportRefused, Limits, scan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PLAIN = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org'
    '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    "</Types>",
    "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS}><sheets/></workbook>',
}


def _bomb(part: str, head: str, unit: str, count: int, tail: str) -> bytes:
    """A workbook whose ``part`` is head + unit × count + tail, streamed into the zip so the
    test never holds the unpacked part in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PLAIN.items():
            archive.writestr(name, text)
        with archive.open(part, "w", force_zip64=True) as stream:
            stream.write(head.encode())
            block = (unit * 100_000).encode()
            for _ in range(count // 100_000):
                stream.write(block)
            stream.write(tail.encode())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def wide_row():
    """One row of 10 million cells."""
    return _bomb(
        "xl/worksheets/sheet1.xml",
        f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">',
        "<c/>",
        10_000_000,
        "</row></sheetData></worksheet>",
    )


@pytest.fixture(scope="module")
def many_strings():
    """A sharedStrings part of 30 million entries."""
    return _bomb(
        "xl/sharedStrings.xml",
        f'<?xml version="1.0"?><sst {NS} count="30000000" uniqueCount="30000000">',
        "<si/>",
        30_000_000,
        "</sst>",
    )


def test_the_bombs_are_small_and_under_the_upload_limit(wide_row, many_strings):
    assert len(wide_row) < 1024 * 1024
    assert len(many_strings) < 1024 * 1024


def test_a_ten_million_cell_row_is_refused_by_its_unpacked_size(wide_row):
    with pytest.raises(ImportRefused) as refused:
        scan_workbook(io.BytesIO(wide_row))
    assert "for stor" in refused.value.message
    assert "pakkes ut til" in refused.value.message
    assert refused.value.scan.bytes_read == 0  # refused from the zip directory, before reading


def test_the_row_scan_stops_at_the_cell_limit(wide_row):
    generous = Limits(max_part_bytes=10**9, max_unpacked_bytes=10**9)
    with pytest.raises(ImportRefused) as refused:
        scan_workbook(io.BytesIO(wide_row), generous)
    scan = refused.value.scan
    assert "en rad har mer enn 1000 celler" in refused.value.message
    assert scan.cells == generous.max_cells_per_row + 1
    assert scan.bytes_read < 1024 * 1024  # a few chunks of the 40 MB part


def test_a_thirty_million_string_part_is_refused_by_its_unpacked_size(many_strings):
    with pytest.raises(ImportRefused) as refused:
        scan_workbook(io.BytesIO(many_strings))
    assert "xl/sharedStrings.xml" in refused.value.message
    assert refused.value.scan.bytes_read == 0


def test_the_string_scan_stops_at_the_string_limit(many_strings):
    generous = Limits(max_part_bytes=10**9, max_unpacked_bytes=10**9)
    with pytest.raises(ImportRefused) as refused:
        scan_workbook(io.BytesIO(many_strings), generous)
    scan = refused.value.scan
    assert "tekstverdier" in refused.value.message
    assert scan.shared_strings == generous.max_shared_strings + 1
    assert scan.bytes_read <= (generous.max_shared_strings + 1) * 5 + 256 * 1024


def test_a_real_workbook_passes_the_scan(client, opened, users):
    client.force_login(users["fylke_b"])
    response = client.get(reverse("skjema:spreadsheet-download", args=[opened.year]))
    scan = scan_workbook(io.BytesIO(response.content))
    assert 0 < scan.cells < LIMITS.max_cells


@pytest.mark.django_db
@pytest.mark.parametrize("bomb", ["wide_row", "many_strings"])
def test_uploading_a_bomb_gives_a_clear_message_and_stores_nothing(
    bomb, request, client, opened, users
):
    client.force_login(users["fylke_b"])
    upload = SimpleUploadedFile("arbeidsbok.xlsx", request.getfixturevalue(bomb), XLSX)
    response = client.post(reverse("skjema:spreadsheet", args=[opened.year]), {"workbook": upload})
    assert response.status_code == 400
    assert "Arbeidsboken er for stor til å lastes opp" in response.content.decode()
    assert not PendingImport.objects.exists()
