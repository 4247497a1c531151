"""``manage.py load_register``: the project's own register fixture, loaded idempotently."""

import datetime
import json
import re
import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.register.models import (
    CodeChange,
    County,
    Municipality,
    Occupation,
    Programme,
    ProgrammeArea,
    StructureVersion,
)
from portal.register.services import DEFAULT_FIXTURE

EXPECTED_COUNTS = {
    StructureVersion: 2,
    County: 33,
    Municipality: 851,
    CodeChange: 115,
    Occupation: 582,  # STYRK-08, all four levels (fixtures/occupations.json)
    Programme: 15,
    ProgrammeArea: 75,
}


def load(**options) -> str:
    out = StringIO()
    call_command("load_register", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def empty_register() -> None:
    CodeChange.objects.all().delete()
    Municipality.objects.update(current=None)
    Municipality.objects.all().delete()
    County.objects.all().delete()
    StructureVersion.objects.all().delete()
    for level in (4, 3, 2, 1):
        Occupation.objects.filter(level=level).delete()
    ProgrammeArea.objects.all().delete()
    Programme.objects.all().delete()


@pytest.mark.django_db
class TestLoadRegister:
    def test_loads_everything_into_an_empty_register_then_changes_nothing(self):
        empty_register()
        first = load()
        assert counts() == EXPECTED_COUNTS
        assert "(2483 nye, 0 endret)" in first
        assert "851 kommuner" in first and "115 kodeendringer" in first
        assert "810 nabopar" in first

        second = load()
        assert "(0 nye, 0 endret)" in second
        assert counts() == EXPECTED_COUNTS

    def test_restores_a_changed_row_and_reports_it(self):
        Municipality.objects.filter(number="5612").update(name="Feil", parallel_names=[])
        output = load()
        assert "(0 nye, 1 endret)" in output
        kautokeino = Municipality.objects.get(number="5612")
        assert (kautokeino.name, kautokeino.parallel_names) == ("Kautokeino", ["Guovdageaidnu"])

    def test_numbers_are_strings_with_leading_zeros(self):
        oslo = Municipality.objects.select_related("county").get(number="0301")
        assert oslo.number == "0301" and oslo.county.number == "03"
        assert all(
            re.fullmatch(r"\d{4}", n) for n in Municipality.objects.values_list("number", flat=True)
        )
        assert all(
            re.fullmatch(r"\d{2}", n) for n in County.objects.values_list("number", flat=True)
        )

    def test_structure_filter(self):
        v2024, v2020 = (StructureVersion.objects.get(code=code) for code in ("2024", "2020"))
        assert Municipality.objects.in_structure(v2024).count() == 357
        assert Municipality.objects.in_structure(v2020).count() == 356
        assert County.objects.in_structure(v2024).count() == 15
        assert County.objects.in_structure(v2020).count() == 11
        assert StructureVersion.objects.resolve("2022") == v2020
        assert (v2024.label, v2024.valid_from, v2024.valid_to) == (
            "Kommunestruktur 2024–",
            datetime.date(2024, 1, 1),
            None,
        )

    def test_ended_municipalities_know_todays_municipality(self):
        ended = Municipality.objects.filter(valid_to__isnull=False)
        assert ended.count() == 494
        # SSB's group «K.Rest»: codes split between several of today's municipalities.
        assert set(ended.filter(current__isnull=True).values_list("number", flat=True)) == {
            "1571", "1612", "1613", "1617", "1622", "1636", "1638", "1805", "1849", "1850",
            "1854", "5011", "5012", "5013", "5016", "5023", "5024",
        }  # fmt: skip
        assert not ended.filter(valid_to__gte="2020-01-01", current__isnull=True).exists()
        assert Municipality.objects.get(number="1507").current.number == "1508"
        assert Municipality.objects.get(number="0301").resolve_current().number == "0301"

    @pytest.mark.parametrize(
        ("number", "name", "parallel_names"),
        [
            ("5612", "Kautokeino", ["Guovdageaidnu"]),
            ("5622", "Porsanger", ["Porsángu", "Porsanki"]),
            ("5540", "Kåfjord", ["Gáivuotna", "Kaivuono"]),
            ("1826", "Hattfjelldal", ["Aarborte"]),
            ("1875", "Hamarøy", ["Hábmer"]),
            ("5001", "Trondheim", ["Tråante"]),
            ("5610", "Karasjok", ["Kárášjohka"]),
            ("1818", "Herøy (Nordland)", []),
            ("3114", "Våler (Østfold)", []),
            ("0301", "Oslo", []),
        ],
    )
    def test_norwegian_and_parallel_names_are_held_separately(self, number, name, parallel_names):
        municipality = Municipality.objects.get(number=number)
        assert (municipality.name, municipality.parallel_names) == (name, parallel_names)

    def test_county_parallel_names(self):
        names = {c.number: (c.name, c.parallel_names) for c in County.objects.all()}
        assert names["55"] == ("Troms", ["Romsa", "Tromssa"])
        assert names["56"] == ("Finnmark", ["Finnmárku", "Finmarkku"])
        assert names["18"] == ("Nordland", ["Nordlánnda"])
        assert names["50"] == ("Trøndelag", ["Trööndelage"])

    def test_all_text_is_clean_nfc(self):
        texts = []
        for model in (County, Municipality):
            for name, parallel in model.objects.values_list("name", "parallel_names"):
                texts += [name, *parallel]
        texts += list(Occupation.objects.values_list("name", flat=True))
        texts += list(ProgrammeArea.objects.values_list("name", flat=True))
        dirty = [
            t
            for t in texts
            if not unicodedata.is_normalized("NFC", t)
            or t != t.strip()
            or "\xa0" in t
            or "  " in t
            or " - " in t
        ]
        assert dirty == []

    def test_occupations_and_programmes(self):
        assert Occupation.objects.filter(level=1).count() == 10
        assert Occupation.objects.filter(level=2).count() == 43
        assert Occupation.objects.get(code="22").parent.code == "2"
        hs = Programme.objects.get(code="HS")
        assert hs.kind == Programme.Kind.VOCATIONAL
        assert hs.areas.filter(level="Vg1").get().code == "HSHSF1----"
        assert hs.areas.filter(level="Vg2").count() == 7
        assert Programme.objects.filter(kind=Programme.Kind.STUDY).count() == 5

    def test_the_fixture_lives_in_the_project(self):
        assert DEFAULT_FIXTURE.is_file()
        assert "shared" not in DEFAULT_FIXTURE.read_text(encoding="utf-8")


@pytest.mark.django_db
class TestBadFixture:
    def _write(self, tmp_path, change) -> str:
        data = json.loads(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / "register.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def test_a_bad_number_is_refused_and_nothing_changes(self, tmp_path):
        def bad_number(data):
            data["municipalities"][0]["name"] = "Endret"
            data["municipalities"][5]["number"] = 301

        before = counts()
        with pytest.raises(CommandError, match=r"kommuner, post nr\. 6: number"):
            load(file=self._write(tmp_path, bad_number))
        assert counts() == before
        assert Municipality.objects.get(number="0301").name == "Oslo"

    def test_an_unknown_county_is_refused(self, tmp_path):
        def unknown_county(data):
            data["municipalities"][0]["county"] = "13"

        with pytest.raises(CommandError, match="ukjent fylke 13"):
            load(file=self._write(tmp_path, unknown_county))

    def test_not_a_register_file(self, tmp_path):
        path = tmp_path / "annet.json"
        path.write_text('[{"model": "register.county"}]', encoding="utf-8")
        with pytest.raises(CommandError, match="er ikke en registerfil"):
            load(file=str(path))
