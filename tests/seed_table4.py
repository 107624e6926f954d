"""Read Table 4 straight from the seed text, independently of our CSV, to hold the CSV to it."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = "Provinces/Municipalities/ Regions (number of clusters)\tCity/County\tIndustrial Clusters"
PAGE_FOOTER = "D.3.2 - Preparatory Briefing on China"
PROVINCE_RE = re.compile(r"^(?P<name>.+?) \((?P<count>\d+)\)$")


def parse_table4(seed_file: Path) -> tuple[list[dict], dict[str, int]]:
    """Rows (province, place, industry, place_printed_blank) and the printed per-province counts."""
    lines = seed_file.read_text(encoding="utf-8").splitlines()
    start = [i for i, line in enumerate(lines) if line.strip() == HEADER.strip()][-1] + 1
    rows: list[dict] = []
    counts: dict[str, int] = {}
    province = place = None
    for line in lines[start:]:
        if not line.strip() or line.strip() == PAGE_FOOTER:
            if len(rows) >= 100:
                break
            continue
        cells = [c.strip() for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        blank_place = False
        if len(cells) == 3 and cells[0]:
            m = PROVINCE_RE.match(cells[0])
            if not m:
                break
            province, counts[m["name"]] = m["name"], int(m["count"])
            place, industry = cells[1], cells[2]
        elif len(cells) == 3 and not cells[0] and not cells[1]:
            industry, blank_place = cells[2], True
        elif len(cells) == 3:
            place, industry = cells[1], cells[2]
        elif len(cells) == 2 and cells[0]:
            place, industry = cells[0], cells[1]
        else:
            break
        if not industry.endswith("industrial cluster"):
            break
        rows.append({"province": province, "place": place, "industry": industry, "place_printed_blank": blank_place})
    return rows, counts
