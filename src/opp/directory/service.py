"""Importing a directory of structures: read → headers → validate → plan → (apply).

`check_file` is the dry run: a report line by line (row, column, what is wrong, how to
fix; will create / will update / unchanged). `import_file` applies it all or nothing, in
one transaction that plans again against the store as it is at that moment and refuses if
that is not what was previewed. A file with a single error imports nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from opp import clock
from opp.access.policy import Action, require, unrestricted
from opp.access.viewer import Viewer
from opp.directory.headers import CANONICAL, is_header, map_headers
from opp.directory.plan import PlannedRow, fingerprint, plan
from opp.directory.reading import read_table
from opp.directory.validate import Entry, Issue, header_issues, issue_of, validate_rows
from opp.errors import OppError
from opp.i18n import LANGUAGES, gettext, ngettext
from opp.store import directory as directory_store
from opp.store import failures
from opp.store import organisations as org_store
from opp.store.db import Cursor, Store
from opp.store.records import Organisation

MAX_SHOWN = 1_000  # issues listed in a message; the report keeps them all


@dataclass
class ImportReport:
    filename: str
    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field → header as written
    ignored: list[str] = field(default_factory=list)
    rows_read: int = 0
    issues: list[Issue] = field(default_factory=list)
    planned: list[PlannedRow] = field(default_factory=list)
    fingerprint: str = ""
    applied: bool = False
    entries: list[Entry] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.planned if row.action == action)

    def refusal(self) -> OppError:
        first = self.errors[0]
        return OppError(
            "DIR_REFUSED",
            count=len(self.errors),
            name=self.filename,
            first={lang: first.line(lang) for lang in LANGUAGES},
        )


def _own_filiere(viewer: Viewer) -> str | None:
    """None for the agency (every filière), else the filière the importer is limited to."""
    require(viewer, Action.IMPORT_DIRECTORY)
    return None if unrestricted(viewer, Action.IMPORT_DIRECTORY) else viewer.filiere


def check_file(store: Store, viewer: Viewer, data: bytes, filename: str) -> ImportReport:
    """The dry run: everything the import would do, and every problem, nothing written."""
    own = _own_filiere(viewer)
    report = ImportReport(filename=filename)
    try:
        table = read_table(data, filename, is_header)
    except OppError as err:
        report.issues.append(issue_of(err))
        return report
    hmap = map_headers(table.header)
    report.kind, report.encoding, report.delimiter = table.kind, table.encoding, table.delimiter
    report.sheet, report.header_row = table.sheet, table.header_row
    report.columns = dict(hmap.titles)
    report.ignored = list(hmap.ignored)
    report.rows_read = len(table.rows)
    report.issues += header_issues(hmap, coordinator=own is not None)
    if report.errors:
        return report
    entries, problems = validate_rows(table, hmap, own_filiere=own)
    report.entries = entries
    report.issues += problems
    planned, found = plan(
        entries,
        directory_store.snapshot(store.cursor()),
        own_filiere=own,
        columns=report.columns,
    )
    report.issues += found
    report.issues.sort(key=lambda i: (i.row or 0, i.severity != "error"))
    report.planned = planned if report.ok else []
    report.fingerprint = fingerprint(data, planned) if report.ok else ""
    return report


def import_file(
    store: Store,
    viewer: Viewer,
    data: bytes,
    filename: str,
    *,
    expected: str | None = None,
    checked: ImportReport | None = None,
) -> ImportReport:
    """Apply a file all or nothing. `expected`: the fingerprint of the preview the user
    confirmed (None: the one computed now, for the command line); `checked`: that
    preview's report, whose validated rows are reused (the plan made in the transaction
    must still match `expected`, which covers the file's bytes)."""
    reuse = checked is not None and checked.ok and checked.fingerprint == expected
    report = checked if reuse and checked is not None else check_file(store, viewer, data, filename)
    if not report.ok:
        raise report.refusal()
    own = _own_filiere(viewer)
    wanted = expected or report.fingerprint
    import_ref = uuid.uuid4().hex
    summary = {
        "import": import_ref,
        "file": filename[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": report.rows_read,
        "created": report.count("create"),
        "updated": report.count("update"),
        "unchanged": report.count("unchanged"),
    }
    try:
        with store.transaction() as cur:
            existing = directory_store.snapshot(cur)
            planned, found = plan(report.entries, existing, own_filiere=own, columns=report.columns)
            if any(i.severity == "error" for i in found) or fingerprint(data, planned) != wanted:
                raise OppError("DIR_CHANGED")
            _write(cur, viewer, planned, summary, {org.id: org for org in existing})
    except failures.ConstraintViolation:
        raise OppError("DIR_CHANGED") from None
    store.bump()
    report.planned = planned
    report.applied = True
    return report


def _write(
    cur: Cursor,
    viewer: Viewer,
    planned: list[PlannedRow],
    summary: dict,
    current: dict[str, Organisation],
) -> None:
    now = clock.now()
    created = [
        org_store.record_of(uuid.uuid4().hex, row.fields, created_at=now)
        for row in planned
        if row.action == "create"
    ]
    updated = []
    for row in planned:
        if row.action != "update" or row.organisation_id is None:
            continue
        before = current[row.organisation_id]
        record = org_store.record_of(
            before.id,
            row.fields,
            created_at=before.created_at,
            updated_at=now,
            archived_at=before.archived_at,
        )
        updated.append((record, sorted(row.changes)))
    directory_store.write_import(cur, viewer, created=created, updated=updated, summary=summary)


def report_lines(report: ImportReport, lang: str = "fr") -> list[str]:
    """The report as text (command line)."""

    def say(key: str, **params: object) -> str:
        return gettext(f"dir.report.{key}", lang, **params)

    def count(key: str, n: int, **params: object) -> str:
        return ngettext(f"dir.report.{key}", n, lang, **params)

    lines: list[str] = []
    source = report.kind.upper() or "?"
    details = [
        d
        for d in (
            report.encoding and say("encoding", encoding=report.encoding),
            report.delimiter and say("separator", separator=_shown(report.delimiter, lang)),
            report.sheet and say("sheet", sheet=report.sheet),
        )
        if d
    ]
    head = f"{report.filename} ({source}{', ' if details else ''}{', '.join(details)})"
    lines.append(count("rows", report.rows_read, head=head))
    if report.columns:
        mapped = ", ".join(
            say("column", field=CANONICAL[k], column=v) for k, v in report.columns.items()
        )
        lines.append(say("columns", mapped=mapped))
    if report.errors:
        lines.append(count("errors", len(report.errors)))
        lines += [f"  {issue.line(lang)}" for issue in report.errors[:MAX_SHOWN]]
        if len(report.errors) > MAX_SHOWN:
            lines.append(f"  {count('more', len(report.errors) - MAX_SHOWN)}")
    if report.warnings:
        lines.append(say("warnings"))
        lines += [f"  {issue.line(lang)}" for issue in report.warnings[:MAX_SHOWN]]
    if report.ok:
        lines.append(
            say(
                "applied" if report.applied else "planned",
                create=report.count("create"),
                update=report.count("update"),
                unchanged=report.count("unchanged"),
            )
        )
    return lines


def _shown(delimiter: str, lang: str) -> str:
    return gettext("dir.report.tab", lang) if delimiter == "\t" else delimiter
