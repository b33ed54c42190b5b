"""Command line: `python -m opp <command>` (or `opp <command>` once installed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from opp import i18n, settings
from opp.errors import OppError
from opp.i18n import texts


def _lang() -> str:
    """The operator's language: `OPP_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`,
    `LANG`), else French."""
    return i18n.operator_language(os.environ)


def _t(msgid: str, **params: Any) -> str:
    """A text of the command line (catalogue message `cli.<msgid>`) in the operator's
    language."""
    return i18n.gettext(f"cli.{msgid}", _lang(), **params)


def _tn(msgid: str, n: int, **params: Any) -> str:
    return i18n.ngettext(f"cli.{msgid}", n, _lang(), **params)


app = typer.Typer(
    pretty_exceptions_show_locals=False,
    add_completion=False,
    no_args_is_help=True,
    help=_t("help.app"),
)


def _fail(err: OppError) -> None:
    text = err.message(_lang())
    typer.echo(text[:1].upper() + text[1:], err=True)
    raise typer.Exit(code=2)


@app.command("init-db", help=_t("cmd.init-db"))
def init_db(
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Create the database with the demo region if it does not exist yet (what `make run`
    does), and publish questionnaire versions found in surveys/ that the database does not
    hold yet. An instance created with `init --empty` never gets demo data."""
    from opp import instance
    from opp.demo.generator import build_demo
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store, questionnaires

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            if instance.wants_demo(store):
                typer.echo(_t("demo_building", target=store.path))
                summary = build_demo(store)
                typer.echo(
                    _t(
                        "demo_built",
                        organisations=summary.organisations,
                        responses=summary.responses,
                        drafts=summary.drafts,
                        rows=summary.answer_rows,
                    )
                )
            elif instance.is_real(store):
                typer.echo(_t("existing_real", target=store.path))
            else:
                typer.echo(_t("existing", target=store.path))
            published, edited = questionnaires.sync(store, load_catalogue().all())
            _report_sync(published, edited)
        finally:
            store.close()
    except OppError as err:
        _fail(err)


def _report_sync(published: list[str], edited: list[str]) -> None:
    for key in published:
        typer.echo(_t("published_from_files", key=key))
    for key in edited:
        typer.echo(_t("edited_published", key=key), err=True)


@app.command("init", help=_t("cmd.init"))
def init_command(
    empty: bool = typer.Option(False, "--empty", help=_t("help.empty")),
    demo: bool = typer.Option(False, "--demo", help=_t("help.demo")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Create an instance: --empty for an agency's own data (then `create-admin`), or
    --demo for the demo region."""
    from opp import instance
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import open_store

    if demo and not empty:
        init_db(path)
        return
    if not empty:
        _fail(OppError("INSTANCE_CHOOSE"))
    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            summary = instance.init_empty(store, load_catalogue().all())
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    if summary.already:
        counts = instance.describe_counts(summary.counts)[_lang()]
        typer.echo(_t("already", target=store.path, counts=counts))
    else:
        typer.echo(_t("created_empty", target=store.path))
    _report_sync(summary.published, summary.edited)
    if not summary.already:
        typer.echo(_t("next_step"))


@app.command("create-admin", help=_t("cmd.create-admin"))
def create_admin_command(
    email: str = typer.Argument(..., help=_t("help.admin_email")),
    name: str = typer.Option(None, "--name", help=_t("help.admin_name")),
    another: bool = typer.Option(False, "--another", help=_t("help.another")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Create an administrator account and print its single-use set-up link."""
    from opp import instance
    from opp.store import open_store

    try:
        store = open_store(path or settings.db_path())
        try:
            link = instance.create_admin(store, email, name=name, another=another)
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    if link.renewed:
        typer.echo(_t("link_renewed", email=link.email))
    else:
        typer.echo(_t("admin_created", email=link.email))
    typer.echo(_t("link_valid", until=link.expires_at))
    typer.echo(link.url)


@app.command("import-organisations", help=_t("cmd.import-organisations"))
def import_organisations(
    file: Path = typer.Argument(..., help=_t("help.directory")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_t("help.dry_run")),
    lang: str = typer.Option(None, help=_t("help.report_lang")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Import a directory of structures (all or nothing; a dry run first shows what would
    be created, updated or left unchanged, and every problem with its row and column)."""
    from opp import instance
    from opp.directory.service import check_file, import_file, report_lines
    from opp.store import open_store

    language = i18n.language(lang) if lang else _lang()
    try:
        data = file.read_bytes()
    except OSError as err:
        _fail(OppError("FILE_NOT_FOUND", path_given=str(err.filename or file)))
    try:
        store = open_store(path or settings.db_path())
        try:
            viewer = instance.operator()
            report = check_file(store, viewer, data, file.name)
            if report.ok and not dry_run:
                report = import_file(
                    store, viewer, data, file.name, expected=report.fingerprint, checked=report
                )
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    for line in report_lines(report, language):
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(code=2)
    if dry_run:
        typer.echo(i18n.gettext("cli.dry_run_done", language))


@app.command("demo", help=_t("cmd.demo"))
def demo(
    scale: float = typer.Option(1.0, help=_t("help.scale")),
    seed: int = typer.Option(42, help=_t("help.seed")),
    path: Path = typer.Option(None, help=_t("help.path")),
    fast: bool = typer.Option(False, help=_t("help.fast")),
    replace_real_data: bool = typer.Option(
        False, "--replace-real-data", help=_t("help.replace_real")
    ),
) -> None:
    """Rebuild the demo region (erases every row of the database)."""
    from opp import instance
    from opp.demo.generator import build_demo
    from opp.store import bulk, open_store

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            real = instance.is_real(store) or (
                instance.holds_data(store) and not instance.is_demo(store)
            )
            if real and not replace_real_data:
                raise OppError(
                    "INSTANCE_REAL_DATA",
                    value=store.path,
                    counts=instance.describe_counts(instance.data_counts(store)),
                )
            bulk.reset_data(store)
            summary = build_demo(
                store,
                scale=scale,
                seed=seed,
                validate=not fast,
                progress=lambda msgid, n, **params: typer.echo(_tn(msgid, n, **params)),
            )
            store.checkpoint()
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(
        _t(
            "demo_done",
            organisations=summary.organisations,
            campaigns=summary.campaigns,
            responses=summary.responses,
            drafts=summary.drafts,
            rows=summary.answer_rows,
            target=store.path,
        )
    )


@app.command("publish", help=_t("cmd.publish"))
def publish_command(
    campaign: str = typer.Option(..., "--campaign", help=_t("help.campaign")),
    to: Path = typer.Option(..., "--to", help=_t("help.package_to")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Publish a campaign's open data: a Frictionless data package (datapackage.json and one
    CSV per indicator × breakdown) from the latest release, through the disclosure layer,
    written in a folder and shown on the public "Chiffres clés" page."""
    from opp import datapackage
    from opp.access.viewer import SYSTEM
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.service import build_frames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.services import campaigns
    from opp.store import open_store

    try:
        store = open_store(path or settings.db_path())
        try:
            chosen = campaigns.get(store, SYSTEM, campaign)
            surveys = load_catalogue()
            indicators = load_indicators(surveys=surveys)
            frames = build_frames(store, surveys, indicators)
            package = datapackage.build(frames, indicators, SYSTEM, chosen)
            written = datapackage.write(package, to)
            datapackage.publish(store, SYSTEM, package, chosen)
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(_t("package_written", files=len(package.files), descriptor=written.name, to=to))


@app.command("backup", help=_t("cmd.backup"))
def backup_command(
    to: Path = typer.Option(None, help=_t("help.backups")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Snapshot every table as Parquet files (plus a manifest) in a new folder."""
    from opp.store import open_store
    from opp.store.backup import backup

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            folder = backup(store, to or settings.db_path().parent / "backups")
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(_t("backup_written", folder=folder))


@app.command("restore", help=_t("cmd.restore"))
def restore_command(
    backup_dir: Path = typer.Argument(..., help=_t("help.backup_dir")),
    to: str = typer.Option(None, help=_t("help.restore_to")),
) -> None:
    """Create a database from a backup folder: a new DuckDB file, or an empty PostgreSQL
    database (never overwrites; checks every file against the manifest's checksums and
    executes nothing from the folder)."""
    from opp.store.backup import is_database_url, restore

    target = to or settings.database_url() or ""
    try:
        if not target:
            raise OppError("BACKUP_RESTORE_TARGET")
        manifest = restore(backup_dir, target if is_database_url(target) else Path(target))
    except OppError as err:
        _fail(err)
    if is_database_url(target):
        from opp.store.engine_pg import redacted

        target = redacted(target)
    typer.echo(_t("restored", to=target, created=manifest["created_at"]))
    if manifest["ignored"]:
        typer.echo(_t("restore_ignored", files=", ".join(manifest["ignored"])))


@app.command("compact", help=_t("cmd.compact"))
def compact_command(
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Rewrite the database file from a fresh export (after erasures; app stopped)."""
    import tempfile

    from opp.store.backup import compact

    target = path or settings.db_path()
    try:
        with tempfile.TemporaryDirectory() as work:
            compact(target, Path(work))
    except OppError as err:
        _fail(err)
    typer.echo(_t("compacted", target=target))


@app.command("export-surveys", help=_t("cmd.export-surveys"))
def export_surveys(
    to: Path = typer.Option(Path("surveys"), help=_t("help.surveys_to")),
    path: Path = typer.Option(None, help=_t("help.path")),
    questionnaire: str = typer.Option(None, help=_t("help.one_questionnaire")),
) -> None:
    """Write the latest published version of each questionnaire as a surveys/ YAML file
    (versions published through co-design become files to commit)."""
    from opp import clock
    from opp.access.viewer import SYSTEM
    from opp.questionnaire.catalogue import load_catalogue
    from opp.questionnaire.yaml_export import file_path, to_yaml
    from opp.services import questionnaires
    from opp.store import open_store

    try:
        modules = {k: v.questionnaire for k, v in load_catalogue().modules.items()}
        store = open_store(path or settings.db_path())
        try:
            ids = sorted(
                {v["questionnaire_id"] for v in questionnaires.list_versions(store, SYSTEM)}
            )
            if questionnaire and questionnaire not in ids:
                raise OppError(
                    "NOT_FOUND",
                    what=texts("what.questionnaire"),
                    value=questionnaire,
                )
            for qid in [questionnaire] if questionnaire else ids:
                latest = questionnaires.latest(store, SYSTEM, qid)
                target = to / file_path(latest)
                target.parent.mkdir(parents=True, exist_ok=True)
                text = to_yaml(latest, modules, clock.today().isoformat())
                target.write_text(text, encoding="utf-8")
                typer.echo(f"{latest.key} → {target}")
        finally:
            store.close()
    except OppError as err:
        _fail(err)


@app.command("send-mail", help=_t("cmd.send-mail"))
def send_mail(
    path: Path = typer.Option(None, help=_t("help.path")),
    limit: int = typer.Option(None, help=_t("help.limit")),
) -> None:
    """Queue the scheduled campaign reminders that are due, send every queued e-mail whose
    time has come, then exit (for cron). Exit codes: 0 done, 1 some messages failed,
    2 mail settings missing or wrong, 75 database in use (the running server's own sender
    is doing the job)."""
    from opp.mail import config as mail_config
    from opp.mail.maintenance import run_maintenance
    from opp.mail.sender import drain
    from opp.store import open_store, outbox

    try:
        store = open_store(path or settings.db_path())
    except OppError as err:
        typer.echo(err.message(_lang()), err=True)
        raise typer.Exit(code=75 if err.code == "STORE_LOCKED" else 2) from None
    try:
        run_maintenance(store)
        try:
            config = mail_config.load()
        except OppError as err:
            _fail(err)
        if config is None:
            waiting = outbox.counts(store).get("queued", 0)
            typer.echo(_tn("mail_not_configured", waiting), err=True)
            raise typer.Exit(code=2)
        report = drain(store, config, limit=limit)
        waiting = outbox.counts(store).get("queued", 0)
    finally:
        store.close()
    typer.echo(
        _t(
            "mail_report",
            sent=report.sent,
            retried=report.retried,
            failed=report.failed,
            interrupted=report.interrupted,
            cancelled=report.cancelled,
            waiting=waiting,
        )
    )
    for error in report.errors:
        typer.echo(_t("smtp_error", error=error), err=True)
    if report.failed or report.errors:
        raise typer.Exit(code=1)


@app.command("check-surveys", help=_t("cmd.check-surveys"))
def check_surveys(
    root: Path = typer.Option(None, help=_t("help.surveys_root")),
) -> None:
    """Load every questionnaire, indicator definition and dashboard declaration and
    report problems with file, line and field."""
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.dashboards import load_dashboards
    from opp.questionnaire.catalogue import load_catalogue

    folder = root or settings.surveys_dir()
    try:
        catalogue = load_catalogue(folder)
        indicators = load_indicators(folder / "indicators", surveys=catalogue)
        dashboards = load_dashboards(indicators, folder)
    except OppError as err:
        _fail(err)
    for q in catalogue.all():
        typer.echo(
            _t(
                "questionnaire_summary",
                key=q.key,
                questions=len(q.questions),
                sections=len(q.sections),
            )
        )
    typer.echo(_tn("indicators", len(indicators.indicators)))
    for name, page in sorted(dashboards.dashboards.items()):
        typer.echo(_t("dashboard_summary", name=name, panels=len(page.panels())))


@app.command("permissions-matrix", help=_t("cmd.permissions-matrix"))
def permissions_matrix(
    write: Path = typer.Option(None, "--write", help=_t("help.matrix_write")),
) -> None:
    """Print the permission matrix generated from the policy table, or write it into the
    README (`make permissions`)."""
    from opp.access import matrix

    if write is None:
        typer.echo(matrix.markdown(), nl=False)
        return
    try:
        changed = matrix.write(write)
    except (OSError, ValueError) as err:
        typer.echo(_t("matrix_failed", file=write, error=err), err=True)
        raise typer.Exit(code=2) from None
    typer.echo(_t("matrix_updated" if changed else "matrix_current", file=write))


def main() -> None:
    app(prog_name="opp")


if __name__ == "__main__":
    main()


@app.command("release", help=_t("cmd.release"))
def release_command(
    include_open: list[str] = typer.Option(
        [],
        "--include-open",
        help=_t("help.include_open"),
    ),
    if_due: bool = typer.Option(False, "--if-due", help=_t("help.if_due")),
    note: str = typer.Option(None, help=_t("help.note")),
    path: Path = typer.Option(None, help=_t("help.path")),
) -> None:
    """Publish the next release of the figures (closed campaigns, and chosen open ones)."""
    from opp.access.viewer import SYSTEM
    from opp.services import releases
    from opp.store import open_store

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            pending = releases.pending(store)
            if if_due and not pending.due:
                typer.echo(_t("release_not_due"))
                return
            chosen = include_open or releases.provisional_still_open(store)
            made = releases.publish(store, SYSTEM, include_open=chosen, reason="agency", note=note)
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(
        _t("release_done", id=made.id, campaigns=len(made.campaigns), responses=made.responses)
    )
