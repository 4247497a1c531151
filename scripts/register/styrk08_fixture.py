"""Convert SSB Klass 7 (STYRK-08) into the project's occupation fixture.

    python scripts/register/styrk08_fixture.py ../shared/data/register/ssb-klass-7-styrk08.json

writes portal/register/fixtures/occupations.json: every code of the four levels, with its
level and parent, in the register fixture's own format (one record per line). Source: Statistics
Norway (SSB), Klass classification 7, «Standard for yrkesklassifisering (STYRK-08)»; licence:
NLOD 2.0 (Norwegian Licence for Open Government Data)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "portal" / "register" / "fixtures" / "occupations.json"


def records(klass: dict) -> list[dict]:
    out = []
    for code in klass["codes"]:
        name = unicodedata.normalize("NFC", code["name"]).replace("\u00a0", " ")
        # SSB writes «Eiendomsmeglere og - forvaltere»: the hyphen belongs to the word.
        name = re.sub(r"\s+", " ", name).replace(" - ", " -").strip()
        out.append(
            {
                "code": code["code"],
                "name": name,
                "level": int(code["level"]),
                "parent": code["parentCode"] or None,
            }
        )
    return sorted(out, key=lambda r: r["code"])


def render(rows: list[dict]) -> str:
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in rows]
    head = {
        "format": "bosettingsportalen.register",
        "version": 1,
        "source": "Statistisk sentralbyrå (SSB), Klass 7: Standard for yrkesklassifisering "
        "(STYRK-08), https://www.ssb.no/klass/klassifikasjoner/7",
        "licence": "NLOD 2.0 (Norsk lisens for offentlige data)",
    }
    body = ",\n    ".join(lines)
    fields = ",\n".join(
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()
    )
    return "{\n" + fields + ',\n  "occupations": [\n    ' + body + "\n  ]\n}\n"


def main(argv: list[str]) -> int:
    source = (
        Path(argv[1])
        if len(argv) > 1
        else ROOT.parent / "shared/data/register/ssb-klass-7-styrk08.json"
    )
    rows = records(json.loads(source.read_text(encoding="utf-8")))
    TARGET.write_text(render(rows), encoding="utf-8")
    print(f"{len(rows)} yrkeskoder skrevet til {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
