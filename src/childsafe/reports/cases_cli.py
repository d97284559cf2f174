"""``childsafe reports list|show|export``: cases read and exported from the command line, as
an operator (see ``childsafe.reports.cli``, which registers these commands).

``export`` writes the field's formats: ``goaml`` (a site's report to an FIU, per FIU profile),
``cybertipline`` (one report; the CyberTipline requires the reporter's email) and
``threatexchange`` (the URLs assessed illegal). Files are written whole or not at all.
"""

from __future__ import annotations

import getpass
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from childsafe.accounts.model import Operator
from childsafe.kernel.cli.options import DatabaseOption, FormatOption
from childsafe.kernel.cli.output import OutputFormat, emit
from childsafe.kernel.cli.services import service as open_service
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.tabular import Tabular, cell_text
from childsafe.reports.exports import goaml
from childsafe.reports.exports.rates import parse_rates
from childsafe.reports.service.core import ReportsService
from childsafe.reports.service.listing import list_reports
from childsafe.reports.service.tabular import report_table

OutputOption = Annotated[Path, typer.Option("--output", "-o", help="The file to write.")]


class ExportKind(StrEnum):
    goaml = "goaml"
    cybertipline = "cybertipline"
    threatexchange = "threatexchange"


def _reports(database: str | None) -> ReportsService:
    return open_service(ReportsService, database)


def _operator() -> Operator:
    return Operator(f"{getpass.getuser()} (command line)")


def reports_table(document: Document) -> Tabular:
    return Tabular(
        title="Reports",
        header=["Id", "Received", "Type", "Stage", "Country", "Site", "URL", "Known to"],
        rows=[
            [
                str(r["id"]),
                cell_text(r["received_at"])[:16].replace("T", " "),
                r["incident_type"],
                r["stage"],
                cell_text(r["hosting_country"]),
                r["site"],
                r["url"],
                "; ".join(f"{k['source']} since {k['since']}" for k in r["known"]),
            ]
            for r in document["reports"]
        ],
        numeric=frozenset({"Id"}),
        notes=[f"{len(document['reports'])} reports, newest first"],
    )


def list_command(
    stage: Annotated[str | None, typer.Option(help="received, assessed, referred…")] = None,
    incident_type: Annotated[str | None, typer.Option(help="e.g. live_stream.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """Reports, newest first, each with the known-site lists it matches."""
    document = list_reports(
        _reports(database),
        _operator(),
        limit=limit,
        stage=stage,
        incident_type=incident_type,
    )
    emit(document, fmt, reports_table)


def show_command(
    report_id: Annotated[int, typer.Argument(help="The report's id (see reports list).")],
    fmt: FormatOption = OutputFormat.table,
    database: DatabaseOption = None,
) -> None:
    """One report with its stages, payment channels, assessment and known-site matches."""
    emit(_reports(database).report(_operator(), report_id), fmt, report_table)


def export_command(
    kind: Annotated[ExportKind, typer.Argument(help="goaml, cybertipline or threatexchange.")],
    output: OutputOption,
    *,
    site: Annotated[int | None, typer.Option(help="goaml: the site's id.")] = None,
    report: Annotated[int | None, typer.Option(help="cybertipline: the report's id.")] = None,
    fiu: Annotated[str, typer.Option(help="goaml: the FIU profile (uae, …).")] = "uae",
    filer: Annotated[
        Path | None,
        typer.Option(help="goaml: YAML with rentity_id, reporting_person and location."),
    ] = None,
    rentity_id: Annotated[
        int | None, typer.Option(help="goaml: the id the FIU gave the reporting entity.")
    ] = None,
    report_code: Annotated[
        str | None, typer.Option(help="goaml: STR (with transactions) or SAR (without).")
    ] = None,
    rate: Annotated[
        list[str] | None, typer.Option(help="goaml: exchange rate, e.g. USD:3.6725.")
    ] = None,
    email: Annotated[str, typer.Option(help="cybertipline: the reporter's email.")] = "",
    database: DatabaseOption = None,
) -> None:
    """Export a case in a format of the field, to a file (written whole or not at all)."""
    service = _reports(database)
    if kind is ExportKind.goaml:
        if site is None:
            raise InvalidValue("goaml needs --site ID (and --filer FILE or --rentity-id N)")
        data = service.export_goaml(
            _operator(),
            site,
            fiu=fiu,
            rentity_id=rentity_id,
            rates=parse_rates(rate or []),
            report_code=report_code,
            filer=None if filer is None else goaml.load_filer(filer),
        )
    elif kind is ExportKind.cybertipline:
        if report is None:
            raise InvalidValue("cybertipline needs --report ID (and --email)")
        data = service.export_cybertipline(_operator(), report, email=email)
    else:
        data = service.export_threatexchange(_operator())
    write_whole(output, data)
    typer.echo(f"wrote {output} ({len(data)} bytes)")


def write_whole(path: Path, data: bytes) -> None:
    """Write through a temporary file beside ``path``: a failure leaves no half file."""
    folder = path.resolve().parent
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, prefix=f".{path.name}.") as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)
