"""The offline world map: data decoding, projection bounds, antimeridian, markup, speed."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pytest

from childsafe.review.web import worldmap
from childsafe.review.web.worldmap import MapCountry, map_codes, render_world_map

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each 'M x,y l dx,dy ... z' ring, as render writes them."""
    rings = []
    for chunk in re.findall(r"M[^M]*", d):
        values = [float(v) for v in NUMBER.findall(chunk)]
        x, y = values[0], values[1]
        points = [(x, y)]
        for dx, dy in zip(values[2::2], values[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def _all_rings() -> list[list[tuple[float, float]]]:
    return [ring for shape in worldmap._shapes() for ring in _rings(shape.d)]


def _thailand(**changes: str) -> MapCountry:
    fields = {
        "code": "THA",
        "name": "Thailand",
        "href": "/countries/THA",
        "css_class": "sufficient",
        "title": "Thailand: sufficient legislation",
    }
    return MapCountry(**(fields | changes))


def test_decoding_finds_the_countries_and_leaves_out_microstates_and_antarctica() -> None:
    codes = map_codes()
    assert len(codes) >= 170
    assert {"THA", "FRA", "USA", "RUS", "FJI", "IDN", "NZL"} <= codes
    assert codes.isdisjoint({"SGP", "MCO", "VAT", "ATA"})  # too small at 1:110m / excluded
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_geometries_without_an_iso_code_are_plain_land() -> None:
    uncoded = [shape for shape in worldmap._shapes() if shape.code is None]
    assert len(uncoded) == 1  # Kosovo, N. Cyprus and Somaliland merged into one path
    assert len(_rings(uncoded[0].d)) == 3


def test_negative_arc_index_walks_the_arc_backwards() -> None:
    arcs = [[(0.0, 0.0), (1.0, 0.0)], [(1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]]
    assert worldmap.build_ring(arcs, [0, 1]) == [(0, 0), (1, 0), (1, 1), (0, 0)]
    assert worldmap.build_ring(arcs, [-2, -1]) == [(0, 0), (1, 1), (1, 0), (0, 0)]


def test_quantized_arcs_are_delta_decoded() -> None:
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [-10, 5]},
        "arcs": [[[0, 0], [2, 1], [-1, 3]]],
    }
    assert worldmap.decode_arcs(topology) == [[(-10, 5), (-9, 7), (-9.5, 13)]]


def test_equal_earth_is_symmetric_and_matches_the_paper_extent() -> None:
    x, y = worldmap.equal_earth(180, 90)
    assert worldmap.equal_earth(-180, -90) == pytest.approx((-x, -y))
    assert worldmap.equal_earth(0, 0) == (0, 0)
    # Šavrič et al. 2018: the world map is about 2.05 times as wide as it is tall.
    width = 2 * worldmap.equal_earth(180, 0)[0]
    assert width / (2 * y) == pytest.approx(2.05, abs=0.01)


def test_every_coordinate_is_inside_the_view_box() -> None:
    points = [point for ring in _all_rings() for point in ring]
    assert len(points) > 5000
    assert all(0 <= x <= worldmap.WIDTH and 0 <= y <= worldmap.HEIGHT for x, y in points)


def test_no_segment_crosses_the_map_so_the_antimeridian_is_cut() -> None:
    for ring in _all_rings():
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            assert abs(x1 - x0) < worldmap.WIDTH / 2 and abs(y1 - y0) < worldmap.HEIGHT / 2


def test_countries_across_the_antimeridian_appear_on_both_edges() -> None:
    shapes = {shape.code: shape for shape in worldmap._shapes()}
    for code in ("RUS", "FJI"):
        xs = [x for ring in _rings(shapes[code].d) for x, _ in ring]
        assert min(xs) < worldmap.WIDTH * 0.2 and max(xs) > worldmap.WIDTH * 0.8


def test_a_ring_round_the_pole_is_closed_along_it() -> None:
    ring = [(-180.0 + i * 10.0, -70.0) for i in range(37)] + [(-180.0, -70.0)]
    pieces = worldmap.split_antimeridian(ring)
    assert len(pieces) == 1
    assert min(lat for _, lat in pieces[0]) == -90


def test_output_is_well_formed_and_labelled() -> None:
    svg = render_world_map([_thailand()], label="Global Review 2023")
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "group"  # role="img" would hide the links from screen readers
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Global Review 2023"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("viewBox") == f"0 0 1000 {worldmap.HEIGHT:g}"
    assert len(root.findall(f"{SVG}path[@class='land']")) == 1


def test_listed_countries_are_focusable_links_and_the_rest_are_not() -> None:
    root = ET.fromstring(str(render_world_map([_thailand()], label="Map")))
    (link,) = root.findall(f"{SVG}a")
    assert link.get("href") == "/countries/THA"
    assert link.get("aria-label") == "Thailand: sufficient legislation"
    assert link.get("class") == "country sufficient"
    assert link.get("data-code") == "THA"
    assert link.get("tabindex") == "0"
    assert link.findtext(f"{SVG}title") == "Thailand: sufficient legislation"
    france = root.find(f"{SVG}path[@data-code='FRA']")
    assert france is not None and france.get("class") == "country not-assessed"


def test_without_links_the_map_is_one_image_and_default_class_applies() -> None:
    root = ET.fromstring(str(render_world_map([], label="Map", default_class="none")))
    assert root.get("role") == "img"
    classes = {p.get("class") for p in root.findall(f"{SVG}path[@data-code]")}
    assert classes == {"country none"}


def test_countries_not_on_the_map_are_skipped() -> None:
    svg = render_world_map([_thailand(code="SGP")], label="Map")
    assert "SGP" not in svg and "<a " not in svg


def test_all_text_is_escaped() -> None:
    nasty = "<&\">'"
    country = _thailand(href=f"/x?a=1&b={nasty}", css_class=nasty, title=nasty, name=nasty)
    svg = str(render_world_map([country], label=nasty))
    assert "<&" not in svg
    root = ET.fromstring(svg)
    link = root.find(f"{SVG}a")
    assert link is not None
    assert link.get("aria-label") == nasty
    assert link.get("href") == f"/x?a=1&b={nasty}"
    assert root.findtext(f"{SVG}title") == nasty


def test_rendering_after_the_first_call_is_fast() -> None:
    countries = [
        MapCountry(code, code, f"/countries/{code}", "partial", f"{code}: partial")
        for code in sorted(map_codes())
    ]
    render_world_map(countries, label="warm-up")
    start = time.perf_counter()
    for _ in range(10):
        render_world_map(countries, label="Map")
    assert (time.perf_counter() - start) / 10 < 0.05
