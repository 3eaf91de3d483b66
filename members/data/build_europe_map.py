"""Build ``europe_map.json``: the outlines of Europe's countries for the club's map.

Source: Natural Earth's 1:50m countries (public domain), in the TopoJSON of the npm
package ``world-atlas`` (2.0.2): ``npm pack world-atlas@2.0.2`` and unpack it, then

    DJANGO_SETTINGS_MODULE=config.settings python members/data/build_europe_map.py \
        package/countries-50m.json

The outlines are projected (Lambert azimuthal equal-area centred on 52°N 10°E, the
projection of the EU's own statistical maps), cut to the map's frame, simplified
(Douglas-Peucker, one unit of the 1000-wide frame) and written with whole-unit
coordinates: the file stays small enough to inline in a page. Run it again only to change
the frame or the detail; the site reads the JSON it writes.
"""

import json
import math
import sys
from pathlib import Path

WIDTH, HEIGHT = 1000, 860
CENTRE_LAT, CENTRE_LON = math.radians(52), math.radians(10)
# The frame, in projected kilometres around the centre: Iceland to the Caucasus, the
# North Cape to Crete and Cyprus.
X_MIN, X_MAX, Y_MIN, Y_MAX = -2900.0, 3000.0, -2500.0, 2570.0
TOLERANCE = 1.0
SMALLEST_RING = 3.0  # square units: smaller islands are left out
# Natural Earth codes some countries without an ISO number.
ISO_BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": None}


def project(lon, lat):
    """Lambert azimuthal equal-area, in kilometres on a 6371 km sphere."""
    lon, lat = math.radians(lon), math.radians(lat)
    k = math.sqrt(
        2
        / (
            1
            + math.sin(CENTRE_LAT) * math.sin(lat)
            + math.cos(CENTRE_LAT) * math.cos(lat) * math.cos(lon - CENTRE_LON)
        )
    )
    x = k * math.cos(lat) * math.sin(lon - CENTRE_LON)
    y = k * (
        math.cos(CENTRE_LAT) * math.sin(lat)
        - math.sin(CENTRE_LAT) * math.cos(lat) * math.cos(lon - CENTRE_LON)
    )
    return x * 6371, y * 6371


def to_frame(point):
    x, y = point
    return (
        (x - X_MIN) / (X_MAX - X_MIN) * WIDTH,
        (Y_MAX - y) / (Y_MAX - Y_MIN) * HEIGHT,
    )


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indexes, arcs):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def clip(ring, inside, intersect):
    """One edge of Sutherland-Hodgman."""
    result = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                result.append(intersect(previous, current))
            result.append(current)
        elif inside(previous):
            result.append(intersect(previous, current))
    return result


def clip_to_frame(ring):
    def cut_x(edge):
        return lambda a, b: (edge, a[1] + (b[1] - a[1]) * (edge - a[0]) / (b[0] - a[0]))

    def cut_y(edge):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (edge - a[1]) / (b[1] - a[1]), edge)

    for inside, intersect in (
        (lambda p: p[0] >= 0, cut_x(0)),
        (lambda p: p[0] <= WIDTH, cut_x(WIDTH)),
        (lambda p: p[1] >= 0, cut_y(0)),
        (lambda p: p[1] <= HEIGHT, cut_y(HEIGHT)),
    ):
        if not ring:
            return ring
        ring = clip(ring, inside, intersect)
    return ring


def simplify(points, tolerance):
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1e-9
    farthest, distance = 0, -1.0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if d > distance:
            farthest, distance = i, d
    if distance <= tolerance:
        return [points[0], points[-1]]
    left = simplify(points[: farthest + 1], tolerance)
    return left[:-1] + simplify(points[farthest:], tolerance)


def area(ring):
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def path_of(rings):
    parts = []
    for ring in rings:
        # A closed ring simplified as two halves keeps its shape.
        half = len(ring) // 2
        ring = simplify(ring[: half + 1], TOLERANCE)[:-1] + simplify(ring[half:], TOLERANCE)
        rounded = []
        for x, y in ring:
            point = (round(x), round(y))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) < 3 or area(rounded) < SMALLEST_RING:
            continue
        parts.append("M" + "L".join(f"{x} {y}" for x, y in rounded) + "Z")
    return "".join(parts)


def main(source):
    import django

    django.setup()
    from django_countries import countries

    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        if name in ISO_BY_NAME:
            code = ISO_BY_NAME[name]
        elif geometry.get("id", "").isdigit():
            code = countries.alpha2(int(geometry["id"])) or None
        else:
            code = None
        if not code or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                ring = [to_frame(project(lon, lat)) for lon, lat in ring_points(indexes, arcs)]
                ring = clip_to_frame(ring)
                if len(ring) >= 3:
                    rings.append(ring)
        d = path_of(rings)
        if d:
            shapes[code] = shapes.get(code, "") + d
    out = Path(__file__).with_name("europe_map.json")
    out.write_text(
        json.dumps(
            {"width": WIDTH, "height": HEIGHT, "countries": dict(sorted(shapes.items()))},
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"{out}: {len(shapes)} countries, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
