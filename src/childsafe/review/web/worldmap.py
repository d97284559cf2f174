"""An offline world map as inline SVG: each country coloured by a CSS class, each a link.

Drawn server-side from the Natural Earth 1:110m TopoJSON shipped in ``data/geo`` so the page
needs no JavaScript and no network. The projection is Equal Earth (Šavrič, Patterson & Jenny
2018), an equal-area projection, so no country looks more important than it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import pycountry
from markupsafe import Markup, escape

from childsafe.kernel.paths import DATA_DIR

TOPOLOGY_FILE = DATA_DIR / "geo" / "countries-110m.json"

WIDTH = 1000.0
"""viewBox width: the whole 360° of longitude."""
NORTH, SOUTH = 84.0, -57.0
"""Latitudes cropped to: the data reaches 83.6°N; without Antarctica, land ends near 55.9°S."""
EXCLUDED = frozenset({"010"})
"""ISO numeric codes not drawn: Antarctica would take a third of the height for no data."""

PATTERNS = (
    '<defs><pattern id="pattern-no-legislation" width="4" height="4" '
    'patternUnits="userSpaceOnUse"><rect class="ground no-legislation" width="4" height="4"/>'
    '<path class="mark" d="M-1,1l2,-2M0,4l4,-4M3,5l2,-2"/></pattern>'
    '<pattern id="pattern-all-five" width="3.5" height="3.5" '
    'patternUnits="userSpaceOnUse"><rect class="ground all-five" width="3.5" height="3.5"/>'
    '<circle class="dot" cx="1.75" cy="1.75" r=".55"/></pattern></defs>'
)
"""The second channel beside colour for the two extreme classes (stripes for no legislation,
dots for all five criteria met); style.css fills those classes with them, colour as fallback."""

Point = tuple[float, float]
Ring = list[Point]

# Equal Earth polynomial coefficients (Šavrič et al. 2018, eq. 2).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_MERIDIAN_STEP = 2.0  # degrees: segments along a meridian are curved once projected


@dataclass(frozen=True)
class MapCountry:
    """One country as the caller wants it drawn; ``title`` is its accessible name."""

    code: str
    name: str
    href: str
    css_class: str
    title: str


@dataclass(frozen=True)
class _Shape:
    code: str | None
    name: str
    d: str


def equal_earth(lon: float, lat: float) -> Point:
    """Equal Earth (x, y) in unit-sphere units, y growing north, for degrees in."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta)
    x /= 3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180.0, 0.0)[0]
_SCALE = WIDTH / (2 * _X_MAX)
_Y_TOP = equal_earth(0.0, NORTH)[1]
HEIGHT = round((_Y_TOP - equal_earth(0.0, SOUTH)[1]) * _SCALE, 1)


def _to_view(lon: float, lat: float) -> Point:
    x, y = equal_earth(lon, lat)
    return round(WIDTH / 2 + x * _SCALE, 1), round((_Y_TOP - y) * _SCALE, 1)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Undo TopoJSON quantization: arcs are delta-encoded integers scaled by ``transform``."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        qx = qy = 0
        points: Ring = []
        for dx, dy, *_ in arc:
            qx += dx
            qy += dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def build_ring(arcs: Sequence[Ring], indices: Iterable[int]) -> Ring:
    """Join arcs into one ring; index ``~i`` (negative) means arc ``i`` walked backwards."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point: keep it once.
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """Arc indices as MultiPolygon nesting (polygon -> ring -> arc) whatever the type."""
    kind = geometry["type"]
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous (179 then -179 becomes 179 then 181); close polar rings.

    A ring that still ends 360° away from where it started goes round a pole: it is closed
    along that pole so clipping below sees an ordinary polygon.
    """
    if not ring:
        return []
    out: Ring = [ring[0]]
    offset = 0.0
    for (prev_lon, _), (lon, lat) in pairwise(ring):
        step = lon - prev_lon
        if step > 180:
            offset -= 360
        elif step < -180:
            offset += 360
        out.append((lon + offset, lat))
    if offset:
        pole = math.copysign(90.0, sum(lat for _, lat in ring))
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def _clip(ring: Ring, bound: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman: the part of ``ring`` on one side of the meridian ``bound``."""

    def inside(p: Point) -> bool:
        return p[0] <= bound if keep_below else p[0] >= bound

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (bound - previous[0]) / (current[0] - previous[0])
            out.append((bound, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def split_antimeridian(ring: Ring) -> list[Ring]:
    """Cut a ring at ±180° into pieces that each stay on the map, shifted back into range.

    Without this, Russia and Fiji draw streaks across the whole map.
    """
    unwrapped = _unwrap(ring)
    if not unwrapped:
        return []
    lons = [lon for lon, _ in unwrapped]
    pieces: list[Ring] = []
    for k in range(math.floor((min(lons) + 180) / 360), math.floor((max(lons) + 180) / 360) + 1):
        west, east = -180.0 + 360 * k, 180.0 + 360 * k
        piece = _clip(_clip(unwrapped, west, keep_below=False), east, keep_below=True)
        if len(piece) >= 3 and min(lon for lon, _ in piece) < max(lon for lon, _ in piece):
            pieces.append([(lon - 360 * k, lat) for lon, lat in piece])
    return pieces


def _densify(ring: Ring) -> Ring:
    """Add points along meridian segments (the cut edges), which Equal Earth curves."""
    out: Ring = []
    for i, (lon, lat) in enumerate(ring):
        prev_lon, prev_lat = ring[i - 1]
        if i and lon == prev_lon and abs(lat - prev_lat) > _MERIDIAN_STEP:
            steps = math.ceil(abs(lat - prev_lat) / _MERIDIAN_STEP)
            out += [(lon, prev_lat + (lat - prev_lat) * j / steps) for j in range(1, steps)]
        out.append((lon, lat))
    return out


def _fmt(value: float) -> str:
    """0.1 precision, shortest form: '3', '-.5', '12.3' (the SVG is a fifth of the page)."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        return "0"
    if text.startswith(("0.", "-0.")):
        text = text.replace("0.", ".", 1)
    return text


def ring_path(ring: Ring) -> str:
    """SVG path data for one closed ring, in view units rounded to 0.1; '' if it vanishes."""
    points: list[Point] = []
    for lon, lat in _densify(ring):
        point = _to_view(lon, lat)
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) < 3:
        return ""
    # Relative steps between already-rounded points: a third shorter, and errors cannot add up.
    (x0, y0), steps = points[0], []
    for (px, py), (x, y) in pairwise(points):
        steps.append(f"{_fmt(x - px)},{_fmt(y - py)}")
    return f"M{_fmt(x0)},{_fmt(y0)}l{' '.join(steps)}z"


def geometry_path(geometry: dict[str, Any], arcs: Sequence[Ring]) -> str:
    """Path data for a Polygon or MultiPolygon; holes (South Africa's Lesotho) stay open
    because the ``<svg>`` sets ``fill-rule="evenodd"``, whatever the rings' winding."""
    parts: list[str] = []
    for polygon in polygons(geometry):
        for indices in polygon:
            for piece in split_antimeridian(build_ring(arcs, indices)):
                parts.append(ring_path(piece))
    return "".join(parts)


def alpha3(numeric: str | None) -> str | None:
    """ISO 3166-1 alpha-3 for a numeric code; None when the geometry has no (known) code."""
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return None if country is None else str(country.alpha_3)


@cache
def _shapes() -> tuple[_Shape, ...]:
    """Project every country once per process: rendering then only joins strings."""
    topology = json.loads(TOPOLOGY_FILE.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    merged: dict[str | None, _Shape] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in EXCLUDED:
            continue
        d = geometry_path(geometry, arcs)
        code = alpha3(numeric)
        name = str(geometry.get("properties", {}).get("name", code or ""))
        previous = merged.get(code)
        if previous is not None:
            d, name = previous.d + d, previous.name
        merged[code] = _Shape(code, name, d)
    return tuple(merged.values())


@cache
def _outline() -> str:
    """The globe's edge within the crop, so readers see where the map ends (class "sphere")."""
    return ring_path([(-180.0, SOUTH), (-180.0, NORTH), (180.0, NORTH), (180.0, SOUTH)])


def map_codes() -> frozenset[str]:
    """The alpha-3 codes drawn on the map; small states (e.g. SGP, MCO) are absent at 1:110m."""
    return frozenset(shape.code for shape in _shapes() if shape.code)


def render_world_map(
    countries: Sequence[MapCountry],
    *,
    label: str,
    default_class: str = "not-assessed",
    map_id: str = "world-map",
) -> Markup:
    """The map as an inline ``<svg>``; every text is escaped.

    Each country in ``countries`` is a focusable ``<a class="country {css_class}">``; style
    ``a.country:focus-visible path`` for the focus ring. Countries on the map but not given
    get ``default_class`` and no link; ``countries`` not on the map are skipped (see
    ``map_codes``). With links the root is ``role="group"``: ``role="img"`` would hide its
    links from assistive technology (its children are presentational in ARIA).
    """
    wanted = {country.code: country for country in countries}
    shapes = _shapes()
    role = "group" if any(shape.code in wanted for shape in shapes) else "img"
    map_id, title_id = escape(map_id), escape(f"{map_id}-title")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{map_id}" class="world-map" role="{role}" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {_fmt(WIDTH)} {_fmt(HEIGHT)}" '
        f'fill-rule="evenodd"><title id="{title_id}">{escape(label)}</title>{PATTERNS}'
        f'<path class="sphere" d="{_outline()}"/>',
    ]
    default = escape(default_class)
    parts += [_shape_markup(shape, wanted.get(shape.code or ""), default) for shape in shapes]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every caller value above went through escape


def _shape_markup(shape: _Shape, country: MapCountry | None, default_class: Markup) -> str:
    """One country's markup. f-strings with ``escape`` (C) are ~5x faster than Markup.format;
    ``shape.d`` and ``shape.code`` are our own digits and letters, so need no escaping."""
    if shape.code is None:
        return f'<path class="land" d="{shape.d}"/>'
    if country is None:
        return (
            f'<path class="country {default_class}" data-code="{shape.code}" d="{shape.d}">'
            f"<title>{escape(shape.name)}</title></path>"
        )
    title = escape(country.title)
    return (
        f'<a href="{escape(country.href)}" class="country {escape(country.css_class)}" '
        f'aria-label="{title}" data-code="{shape.code}" tabindex="0">'
        f'<title>{title}</title><path d="{shape.d}"/></a>'
    )
