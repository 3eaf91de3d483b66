"""The map of Europe that shows where the club's organisations are.

The outlines are a small static file (``data/europe_map.json``, made by
``data/build_europe_map.py`` from Natural Earth's public-domain boundaries), so the map is
drawn by the server as inline SVG: no tiles, no third-party request. Every map is
paired with a table of the same counts for readers who do not see it.
"""

import json
from functools import cache
from pathlib import Path

from django.db.models import Count
from django_countries import countries

MAP_FILE = Path(__file__).resolve().parent / "data" / "europe_map.json"


@cache
def outlines() -> dict:
    """{"width", "height", "countries": {ISO code: SVG path}}, read once per process."""
    return json.loads(MAP_FILE.read_text())


def shade(count: int) -> int:
    """The map's colour step for a count: 0 (none), 1 (one), 2 (two to four), 3 (more)."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    return 2 if count < 5 else 3


def organisations_per_country(queryset) -> dict[str, int]:
    """{country code: number of organisations} of ``queryset``, in one query."""
    rows = queryset.order_by().values("country").annotate(count=Count("pk", distinct=True))
    return {row["country"]: row["count"] for row in rows if row["country"]}


def europe_map(counts: dict[str, int], *, link) -> dict:
    """What the map template draws: every outline, those with a count shaded and linked
    (``link(code)`` gives the address), and the table rows (name, count, address) in the
    reader's language, most organisations first."""
    data = outlines()
    shapes = []
    for code, path in data["countries"].items():
        count = counts.get(code, 0)
        shapes.append(
            {
                "code": code,
                "path": path,
                "count": count,
                "shade": shade(count),
                "name": countries.name(code) or code,
                "url": link(code) if count else "",
            }
        )
    rows = sorted(
        (
            {"code": code, "name": countries.name(code) or code, "count": count, "url": link(code)}
            for code, count in counts.items()
            if count
        ),
        key=lambda row: (-row["count"], row["name"]),
    )
    return {
        "width": data["width"],
        "height": data["height"],
        "shapes": shapes,
        "rows": rows,
        "total": sum(counts.values()),
    }
