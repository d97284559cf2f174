"""Generate ``src/childsafe/data/groupings/un-m49.yaml``: the UN M49 regions, sub-regions and
intermediate regions with the jurisdictions they contain.

Authority: UN Statistics Division, "Standard country or area codes for statistical use (M49)",
https://unstats.un.org/unsd/methodology/m49/ (region names and hierarchy as listed there).
Data path: the M49 containment of Unicode CLDR (``territoryContainment``), CLDR 45, as
published in unicode-org/cldr-json ``cldr-json/cldr-core/supplemental/territoryContainment.json``
(commit cfeefb27ac8f0d6020b158c29078f18f0de11b9a). Babel does not ship containment, so the
relevant part is embedded below; ``--cldr-json FILE`` regenerates from a newer copy of that file.

Usage::

    .venv/bin/python scripts/generate_m49_groupings.py            # write the YAML file
    .venv/bin/python scripts/generate_m49_groupings.py --check    # fail if it is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from childsafe.kernel.errors import NotFound
from childsafe.kernel.jurisdictions import JurisdictionRegistry, default_registry

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "childsafe" / "data" / "groupings" / "un-m49.yaml"
CLDR_VERSION = "45"

# UN M49 areas: code -> (English name as on the UNSD M49 page, kind).
M49: dict[str, tuple[str, str]] = {
    "002": ("Africa", "un_m49_region"),
    "019": ("Americas", "un_m49_region"),
    "142": ("Asia", "un_m49_region"),
    "150": ("Europe", "un_m49_region"),
    "009": ("Oceania", "un_m49_region"),
    "015": ("Northern Africa", "un_m49_subregion"),
    "202": ("Sub-Saharan Africa", "un_m49_subregion"),
    "021": ("Northern America", "un_m49_subregion"),
    "419": ("Latin America and the Caribbean", "un_m49_subregion"),
    "143": ("Central Asia", "un_m49_subregion"),
    "030": ("Eastern Asia", "un_m49_subregion"),
    "034": ("Southern Asia", "un_m49_subregion"),
    "035": ("South-eastern Asia", "un_m49_subregion"),
    "145": ("Western Asia", "un_m49_subregion"),
    "151": ("Eastern Europe", "un_m49_subregion"),
    "154": ("Northern Europe", "un_m49_subregion"),
    "155": ("Western Europe", "un_m49_subregion"),
    "039": ("Southern Europe", "un_m49_subregion"),
    "053": ("Australia and New Zealand", "un_m49_subregion"),
    "054": ("Melanesia", "un_m49_subregion"),
    "057": ("Micronesia", "un_m49_subregion"),
    "061": ("Polynesia", "un_m49_subregion"),
    "011": ("Western Africa", "un_m49_intermediate_region"),
    "014": ("Eastern Africa", "un_m49_intermediate_region"),
    "017": ("Middle Africa", "un_m49_intermediate_region"),
    "018": ("Southern Africa", "un_m49_intermediate_region"),
    "013": ("Central America", "un_m49_intermediate_region"),
    "029": ("Caribbean", "un_m49_intermediate_region"),
    "005": ("South America", "un_m49_intermediate_region"),
}

# CLDR 45 territoryContainment, the M49 groups only ("group -> contains"), copied verbatim.
CLDR_CONTAINS: dict[str, str] = {
    "002": "015 011 017 014 018",
    "005": "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    "009": "053 054 057 061 QO",
    "011": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "013": "BZ CR GT HN MX NI PA SV",
    "014": "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    "015": "DZ EG EH LY MA SD TN EA IC",
    "017": "AO CD CF CG CM GA GQ ST TD",
    "018": "BW LS NA SZ ZA",
    "019": "021 013 029 005",
    "021": "BM CA GL PM US",
    "029": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    "030": "CN HK JP KP KR MN MO TW",
    "034": "AF BD BT IN IR LK MV NP PK",
    "035": "BN ID KH LA MM MY PH SG TH TL VN",
    "039": "AD AL BA ES GI GR HR IT ME MK MT RS PT SI SM VA XK",
    "053": "AU CC CX HM NF NZ",
    "054": "FJ NC PG SB VU",
    "057": "FM GU KI MH MP NR PW UM",
    "061": "AS CK NU PF PN TK TO TV WF WS",
    "142": "145 143 030 034 035",
    "143": "TM TJ KG KZ UZ",
    "145": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "150": "154 155 151 039",
    "151": "BG BY CZ HU MD PL RO RU SK UA",
    "154": "GG IM JE AX DK EE FI FO GB IE IS LT LV NO SE SJ CQ",
    "155": "AT BE CH DE FR LI LU MC NL",
    "202": "011 017 014 018",
    "419": "013 029 005",
}
# CLDR 45 "-status-deprecated" members: former territories that CLDR still places in a group.
CLDR_DEPRECATED: dict[str, str] = {
    "017": "ZR",
    "029": "AN",
    "035": "BU TP",
    "039": "CS YU",
    "145": "NT YD",
    "151": "SU",
    "155": "DD FX",
}


def load_cldr_json(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The (current, deprecated) containment of a CLDR ``territoryContainment.json`` file."""
    data = json.loads(path.read_text(encoding="utf-8"))["supplemental"]["territoryContainment"]
    current: dict[str, str] = {}
    deprecated: dict[str, str] = {}
    for key, value in data.items():
        code, _, status = key.partition("-status-")
        if code.isdigit() and not status:
            current[code] = " ".join(value["_contains"])
        elif code.isdigit() and status == "deprecated":
            deprecated[code] = " ".join(value["_contains"])
    return current, deprecated


def leaves(group: str, contains: Mapping[str, str]) -> list[str]:
    """The territory (alpha-2) codes below ``group``, in CLDR order."""
    found: list[str] = []
    for child in contains.get(group, "").split():
        found.extend(leaves(child, contains) if child.isdigit() else [child])
    return found


def members_of(
    group: str,
    contains: Mapping[str, str],
    deprecated: Mapping[str, str],
    registry: JurisdictionRegistry,
) -> tuple[list[Any], list[str]]:
    """(members as YAML values, alpha-2 codes dropped because the registry lacks them)."""
    members: list[Any] = []
    dropped: list[str] = []
    for alpha2 in leaves(group, contains):
        try:
            members.append(registry.resolve(alpha2).code)
        except NotFound:
            dropped.append(alpha2)
    for sub in _all_groups([group], contains):
        for alpha2 in deprecated.get(sub, "").split():
            item = _historic(alpha2, registry)
            if item is not None:
                members.append({"code": item[0], "until": item[1]})
    return sorted(members, key=lambda m: m if isinstance(m, str) else m["code"]), dropped


def _all_groups(groups: list[str], contains: Mapping[str, str]) -> list[str]:
    seen: list[str] = []
    pending = list(groups)
    while pending:
        group = pending.pop(0)
        if group not in seen:
            seen.append(group)
            pending.extend(g for g in contains.get(group, "").split() if g.isdigit())
    return seen


def _historic(alpha2: str, registry: JurisdictionRegistry) -> tuple[str, date] | None:
    try:
        item = registry.resolve(alpha2)
    except NotFound:
        return None
    return (item.code, item.withdrawn) if item.withdrawn else None


def document(
    contains: Mapping[str, str], deprecated: Mapping[str, str], registry: JurisdictionRegistry
) -> dict[str, Any]:
    groupings: list[dict[str, Any]] = []
    dropped: set[str] = set()
    for code, (name, kind) in M49.items():
        members, missing = members_of(code, contains, deprecated, registry)
        dropped.update(missing)
        entry: dict[str, Any] = {"id": f"M49-{code}", "name": name, "kind": kind, "m49": code}
        groupings.append({**entry, "members": members})
    return {
        "source": (
            "UN Statistics Division, Standard country or area codes for statistical use (M49), "
            "https://unstats.un.org/unsd/methodology/m49/ (names and hierarchy); membership "
            f"from Unicode CLDR {CLDR_VERSION} territoryContainment (unicode-org/cldr-json, "
            "cldr-core/supplemental/territoryContainment.json)."
        ),
        "retrieved": "2026-11-28",
        "note": (
            "Generated by scripts/generate_m49_groupings.py; do not edit by hand. CLDR follows "
            "M49 but also places Taiwan (TWN) in Eastern Asia and Kosovo (XKX) in Southern "
            "Europe, which the UNSD list does not show separately. Withdrawn codes CLDR still "
            "places in a group are kept with until = their ISO 3166-3 withdrawal date. CLDR "
            "codes that are not jurisdictions of the registry are left out: "
            f"{', '.join(sorted(dropped))}."
        ),
        "groupings": groupings,
    }


def _member(value: Any) -> str:
    if isinstance(value, str):
        return value
    # non-breaking spaces keep one member on one line when wrapping; render() turns them back
    return f"{{code:\u00a0{value['code']},\u00a0until:\u00a0{value['until'].isoformat()}}}"


def _grouping(entry: Mapping[str, Any]) -> list[str]:
    lines = [
        f"  - id: {entry['id']}",
        f"    name: {entry['name']}",
        f"    kind: {entry['kind']}",
        f'    m49: "{entry["m49"]}"',
    ]
    wrapped = textwrap.wrap(
        ", ".join(_member(m) for m in entry["members"]),
        width=100,
        initial_indent="    members: [",
        subsequent_indent="      ",
        break_on_hyphens=False,
    )
    wrapped[-1] += "]"
    return [*lines, *(line.replace("\u00a0", " ") for line in wrapped)]


def render(doc: Mapping[str, Any]) -> str:
    """The YAML text: header fields, then one compact block per grouping."""
    header = {key: doc[key] for key in ("source", "retrieved", "note")}
    lines = ["# Generated by scripts/generate_m49_groupings.py from CLDR M49 containment."]
    lines.append(yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=96).rstrip())
    lines.append("groupings:")
    for entry in doc["groupings"]:
        lines.extend(_grouping(entry))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cldr-json", type=Path, help="a CLDR territoryContainment.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    contains, deprecated = (
        load_cldr_json(args.cldr_json) if args.cldr_json else (CLDR_CONTAINS, CLDR_DEPRECATED)
    )
    text = render(document(contains, deprecated, default_registry()))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
