"""How reporting's documents read as tables (the CLI's table, CSV and Markdown output)."""

from __future__ import annotations

from typing import Any

from childsafe.kernel.documents import Document
from childsafe.kernel.tabular import Tabular, cell_text


def sites_table(document: Document) -> Tabular:
    return Tabular(
        title="Reported sites",
        header=["Id", "Domain", "Status", "Reports", "First reported", "URLs"],
        rows=[
            [
                str(s["id"]),
                s["domain"],
                s["status"],
                str(s["reports"]),
                cell_text(s["first_reported"]),
                " ".join(s["urls"]),
            ]
            for s in document["sites"]
        ],
        numeric=frozenset({"Id", "Reports"}),
        notes=[f"{len(document['sites'])} sites", _suffix_list_note(document)],
    )


def _share(part: int, whole: int, share: float | None) -> str:
    return f"{part}/{whole}" + ("" if share is None else f" ({share:.0%})")


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f} h"


def metrics_table(document: Document) -> Tabular:
    """One row per figure: measure, period (or country, currency), value."""
    rows: list[list[str]] = []
    unique = document["unique_commercial_sites"]
    rows += [["Unique commercial sites", m["month"], str(m["sites"])] for m in unique["months"]]
    rows += _baseline_rows(unique)
    for m in document["test_transactions"]["months"]:
        value = _share(m["completed"], m["attempts"], m["rate"])
        rows.append(["Test purchases completed", m["month"], value])
    for c in document["card_refusals"]["countries"]:
        value = _share(c["refusing"], c["sites"], c["share"])
        rows.append(["Sites refusing cards issued in", c["country"], value])
    for currency, months in document["prices"]["currencies"].items():
        for m in months:
            value = f"{m['median']} ({m['observations']} prices)"
            rows.append([f"Median price, {currency}", m["month"], value])
    timing = document["report_to_action"]
    rows.append(
        ["Report to action, median", f"{timing['cases']} cases", _hours(timing["median_hours"])]
    )
    rows.append(["Report to action, 90th percentile", "", _hours(timing["p90_hours"])])
    return Tabular(
        title="Effectiveness metrics",
        header=["Measure", "Period", "Value"],
        rows=rows,
        notes=[f"{name}: {text}" for name, text in document["definitions"].items()]
        + [_suffix_list_note(document)],
    )


def _suffix_list_note(document: Document) -> str:
    psl = document["public_suffix_list"]
    return f"Sites by the Public Suffix List of {psl['source']} (SHA-256 {psl['sha256'][:12]})"


def _baseline_rows(unique: dict[str, Any]) -> list[list[str]]:
    baseline, comparison = unique["baseline"], unique["comparison"]
    if baseline is None:
        return []
    rows = [
        [
            "Baseline, sites per month",
            f"{baseline['start']} to {baseline['end']}",
            f"{baseline['mean']:.1f}",
        ]
    ]
    if comparison is not None:
        period = f"{comparison['start']} to {comparison['end']}"
        rows.append(["Since, sites per month", period, f"{comparison['mean']:.1f}"])
    change = unique["change"]
    rows.append(["Change against the baseline", "", "" if change is None else f"{change:+.1%}"])
    return rows


def tokens_table(document: Document) -> Tabular:
    tokens = document["tokens"]
    return Tabular(
        title="API tokens",
        header=["Id", "Organisation", "Name", "Created by", "Created", "Revoked"],
        rows=[
            [
                str(t["id"]),
                t["organisation_id"],
                t["name"],
                t["created_by"],
                cell_text(t["created_at"]),
                cell_text(t["revoked_at"]),
            ]
            for t in tokens
        ],
        numeric=frozenset({"Id"}),
        notes=[f"{len(tokens)} tokens, {sum(t['revoked_at'] is not None for t in tokens)} revoked"],
    )


def report_table(document: Document) -> Tabular:
    """One report as field / value rows, each known-site match a row of its own."""
    assessment = document.get("assessment") or {}
    rows = [
        ["Id", str(document["id"])],
        ["URL", document["url"]],
        ["Site", f"{document['site']['domain']} ({document['site']['status']})"],
        ["Incident type", document["incident_type"]],
        ["Source", document["source"]],
        ["Received", cell_text(document["received_at"])],
        ["Stage", document["stage"]],
        ["Hosting country", cell_text(document["hosting_country"])],
        ["Assessment", cell_text(assessment.get("value"))],
    ]
    rows += [
        ["Payment", " ".join(cell_text(p[k]) for k in ("kind", "brand", "identifier"))]
        for p in document["payment"]
    ]
    for known in document.get("known", []):
        verdict = f" ({known['verdict']})" if known["verdict"] else ""
        rows.append(["Known", f"to {known['source']} since {known['since']}{verdict}"])
    return Tabular(title=f"Report {document['id']}", header=["Field", "Value"], rows=rows)
