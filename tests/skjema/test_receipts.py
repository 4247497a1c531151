"""Receipts: the readable content of a version, and the DOCX document read back."""

import datetime
import io

import pytest
from django.utils import timezone

from skjema import services
from skjema.models import CountySubmission, Version
from skjema.receipts import build_receipt, describe, receipt_docx

from .conftest import OFFER, fill_profile

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_describe_gives_labels_display_values_and_row_legends(skien, users):
    skien = fill_profile(skien, users["fylke_b"])
    sections = {s.key: s for s in describe("profile", services.serialize(skien))}
    offer = sections["qualification"].rows[0]
    assert offer.legend == "Tilbud 1: Introduksjonsprogram med fagbrev"
    values = {item.label: item.value for item in offer.items}
    assert values["Type tilbud"] == "Introduksjonsprogram"
    assert values["Resultat: andel i arbeid eller utdanning (%)"] == "72,5"
    assert {i.label: i.value for i in sections["labour"].rows[0].items}["Yrke (STYRK-08)"] == (
        "53 Pleie- og omsorgsarbeidere"
    )
    assert sections["cooperation"].is_empty and not sections["capacity"].is_empty


def test_describe_costs_a_fixed_number_of_queries(skien, users, django_assert_max_num_queries):
    skien = fill_profile(
        skien, users["fylke_b"], labour=[{"occupation": c} for c in ("5", "51", "52", "53")]
    )
    data = services.serialize(skien)
    with django_assert_max_num_queries(3):  # occupations, programme areas (no municipalities)
        describe("profile", data)


def test_late_profile_receipt_document(skien, users):
    county = users["fylke_b"]
    skien = fill_profile(
        skien, county, qualification=[OFFER, {**OFFER, "name": "Språkpraksis i butikk"}]
    )
    late = skien.round.deadline + datetime.timedelta(days=1)
    version = services.submit(skien, county, now=late, late_reason="Kommunestyret møttes 20. juni.")
    version = Version.objects.select_related(
        "created_by", "submission__round", "submission__county", "submission__municipality"
    ).get(pk=version.pk)
    receipt = build_receipt(version)
    assert receipt.subject == "4003 Skien" and receipt.filename == "kvittering-2027-4003-v1.docx"
    text = docx_text(receipt_docx(receipt))
    assert "Kommuneprofil for Skien" in text
    assert timezone.localtime(late).strftime("%d.%m.%Y kl. %H.%M") in text
    assert "Tilbud 2: Språkpraksis i butikk" in text
    assert "Kommunestyret møttes 20. juni." in text
    assert "fylke-b" in text


def test_county_receipt_lists_recommendations(opened, counties, users):
    county = users["fylke_b"]
    submission = CountySubmission.objects.get(round=opened, county=counties["40"])
    ids = services.latest_edit_ids(submission)
    services.save_section(
        submission,
        "recommendations",
        [{"municipality": "4003", "number": 40, "justification": "God kapasitet."}],
        county,
        base_edit_id=ids["recommendations"],
    )
    services.save_section(
        submission, "plans", {"plan_title": "Integreringsplan"}, county, base_edit_id=ids["plans"]
    )
    submission.refresh_from_db()
    version = Version.objects.create(
        submission=submission,
        number=1,
        data=services.serialize(submission),
        created_at=timezone.now(),
        created_by=county,
    )
    text = docx_text(receipt_docx(build_receipt(version)))
    assert "Fylkets innspill fra Telemark" in text
    assert "Kommune 1: 4003 Skien" in text and "God kapasitet." in text
    assert "Integreringsplan" in text
