"""Command line: `python -m opp <command>` (or `opp <command>` once installed)."""

from __future__ import annotations

from pathlib import Path

import typer

from opp import i18n, settings
from opp.errors import OppError

app = typer.Typer(
    pretty_exceptions_show_locals=False,
    add_completion=False,
    no_args_is_help=True,
    help="OPP — observation participative et partagée du spectacle vivant.",
)


def _fail(err: OppError) -> None:
    text = err.message("fr")
    typer.echo(text[:1].upper() + text[1:], err=True)
    raise typer.Exit(code=2)


@app.command("init-db")
def init_db(
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
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
                typer.echo(f"Création des données de démonstration dans {store.path}…")
                summary = build_demo(store)
                typer.echo(
                    f"{summary.organisations} structures, {summary.responses} réponses "
                    f"({summary.drafts} brouillons), {summary.answer_rows} lignes de réponses."
                )
            elif instance.is_real(store):
                typer.echo(f"Instance existante (sans démonstration) : {target}")
            else:
                typer.echo(f"Base existante : {target}")
            published, edited = questionnaires.sync(store, load_catalogue().all())
            _report_sync(published, edited)
        finally:
            store.close()
    except OppError as err:
        _fail(err)


def _report_sync(published: list[str], edited: list[str]) -> None:
    for key in published:
        typer.echo(f"Version publiée depuis surveys/ : {key}")
    for key in edited:
        typer.echo(
            f"Attention : {key} diffère de la version déjà publiée ; une version "
            "publiée ne change plus. Donnez un nouveau numéro de version au fichier.",
            err=True,
        )


@app.command("init")
def init_command(
    empty: bool = typer.Option(
        False, "--empty", help="Instance vide : schéma et questionnaires, sans démonstration"
    ),
    demo: bool = typer.Option(False, "--demo", help="La région de démonstration (= init-db)"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
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
        counts = instance.describe_counts(summary.counts)["fr"]
        typer.echo(
            f"{store.path} est déjà une instance sans démonstration ({counts}) : rien n'a été "
            "effacé ni créé, seules les versions de questionnaires manquantes sont publiées."
        )
    else:
        typer.echo(f"Instance vide créée dans {store.path} (schéma et questionnaires, sans démo).")
    _report_sync(summary.published, summary.edited)
    if not summary.already:
        typer.echo("Étape suivante : python -m opp create-admin VOTRE@ADRESSE")


@app.command("create-admin")
def create_admin_command(
    email: str = typer.Argument(..., help="Adresse électronique de l'administrateur"),
    name: str = typer.Option(None, "--name", help="Nom affiché (défaut : l'adresse)"),
    another: bool = typer.Option(
        False, "--another", help="Créer un administrateur de plus quand il en existe déjà"
    ),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
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
        typer.echo(f"Nouveau lien pour {link.email} (l'ancien ne fonctionne plus).")
    else:
        typer.echo(f"Compte administrateur créé pour {link.email}.")
    typer.echo(f"Lien à usage unique, valable jusqu'au {link.expires_at} (choix du mot de passe) :")
    typer.echo(link.url)


@app.command("import-organisations")
def import_organisations(
    file: Path = typer.Argument(..., help="Annuaire des structures (CSV ou XLSX)"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Vérifier seulement : le rapport ligne par ligne, rien d'écrit"
    ),
    lang: str = typer.Option("fr", help="Langue du rapport : fr ou en"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
) -> None:
    """Import a directory of structures (all or nothing; a dry run first shows what would
    be created, updated or left unchanged, and every problem with its row and column)."""
    from opp import instance
    from opp.directory.service import check_file, import_file, report_lines
    from opp.store import open_store

    language = i18n.language(lang)
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


@app.command("demo")
def demo(
    scale: float = typer.Option(1.0, help="Facteur d'échelle (1 ≈ 800 structures ; 10, 100…)"),
    seed: int = typer.Option(42, help="Graine du générateur (même graine → mêmes données)"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
    fast: bool = typer.Option(False, help="Ne pas revalider chaque réponse (grandes échelles)"),
    replace_real_data: bool = typer.Option(
        False, "--replace-real-data", help="Accepter d'effacer une instance réelle"
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
                    value=str(target),
                    counts=instance.describe_counts(instance.data_counts(store)),
                )
            bulk.reset_data(store)
            summary = build_demo(
                store, scale=scale, seed=seed, validate=not fast, progress=typer.echo
            )
            store.checkpoint()
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(
        f"{summary.organisations} structures, {summary.campaigns} campagnes, "
        f"{summary.responses} réponses ({summary.drafts} brouillons), "
        f"{summary.answer_rows} lignes de réponses → {target}"
    )


@app.command("publish")
def publish_command(
    campaign: str = typer.Option(..., "--campaign", help="Identifiant de la campagne"),
    to: Path = typer.Option(..., "--to", help="Dossier où écrire le paquet de données"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
) -> None:
    """Publish a campaign's open data: a Frictionless data package (datapackage.json and one
    CSV per indicator × breakdown) from the latest release, through the disclosure layer,
    written in a folder and shown on the public "Chiffres clés" page."""
    from opp import datapackage
    from opp.access.viewer import SYSTEM
    from opp.indicators.catalogue import load_indicators
    from opp.indicators.service import build_frames
    from opp.questionnaire.catalogue import load_catalogue
    from opp.store import campaigns, open_store

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
    typer.echo(
        f"{len(package.files)} fichiers CSV et {written.name} écrits dans {to} ; "
        "paquet publié sur la page « Chiffres clés »."
    )


@app.command("backup")
def backup_command(
    to: Path = typer.Option(None, help="Dossier des sauvegardes (défaut : data/backups)"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
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
    typer.echo(f"Sauvegarde écrite dans {folder}")


@app.command("restore")
def restore_command(
    backup_dir: Path = typer.Argument(..., help="Dossier d'une sauvegarde (opp-backup-…)"),
    to: Path = typer.Option(..., help="Nouveau fichier DuckDB à créer"),
) -> None:
    """Create a database file from a backup folder (never overwrites a file; checks every
    file against the manifest's checksums and executes nothing from the folder)."""
    from opp.store.backup import restore

    try:
        manifest = restore(backup_dir, to)
    except OppError as err:
        _fail(err)
    typer.echo(f"Base restaurée dans {to} (sauvegarde du {manifest['created_at']}).")
    if manifest["ignored"]:
        typer.echo(
            "Fichiers du dossier ignorés (absents du manifeste, jamais exécutés) : "
            + ", ".join(manifest["ignored"])
        )


@app.command("compact")
def compact_command(
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
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
    typer.echo(f"Fichier réécrit : {target}")


@app.command("export-surveys")
def export_surveys(
    to: Path = typer.Option(Path("surveys"), help="Dossier de destination (défaut : surveys/)"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
    questionnaire: str = typer.Option(None, help="Un seul questionnaire (identifiant)"),
) -> None:
    """Write the latest published version of each questionnaire as a surveys/ YAML file
    (versions published through co-design become files to commit)."""
    from opp import clock
    from opp.access.viewer import SYSTEM
    from opp.questionnaire.catalogue import load_catalogue
    from opp.questionnaire.yaml_export import file_path, to_yaml
    from opp.store import open_store, questionnaires

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
                    what={"fr": "Questionnaire", "en": "Questionnaire"},
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


@app.command("send-mail")
def send_mail(
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
    limit: int = typer.Option(None, help="Envoyer au plus N messages puis s'arrêter"),
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
        typer.echo(err.message("fr"), err=True)
        raise typer.Exit(code=75 if err.code == "STORE_LOCKED" else 2) from None
    try:
        run_maintenance(store)
        try:
            config = mail_config.load()
        except OppError as err:
            _fail(err)
        if config is None:
            waiting = outbox.counts(store).get("queued", 0)
            typer.echo(
                f"Courriel non configuré (OPP_SMTP_URL, OPP_MAIL_FROM) : {waiting} message(s) "
                "en attente dans la boîte d'envoi.",
                err=True,
            )
            raise typer.Exit(code=2)
        report = drain(store, config, limit=limit)
        waiting = outbox.counts(store).get("queued", 0)
    finally:
        store.close()
    typer.echo(
        f"{report.sent} envoyé(s), {report.retried} à réessayer, {report.failed} en échec, "
        f"{report.interrupted} interrompu(s) (non renvoyés), {report.cancelled} devenu(s) "
        f"inutile(s) ; {waiting} en attente."
    )
    for error in report.errors:
        typer.echo(f"Serveur SMTP : {error}", err=True)
    if report.failed or report.errors:
        raise typer.Exit(code=1)


@app.command("check-surveys")
def check_surveys(
    root: Path = typer.Option(
        None, help="Dossier des questionnaires (défaut : $OPP_SURVEYS, sinon ceux fournis avec OPP)"
    ),
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
        typer.echo(f"{q.key}: {len(q.questions)} questions, {len(q.sections)} sections")
    typer.echo(f"{len(indicators.indicators)} indicateurs")
    for name, page in sorted(dashboards.dashboards.items()):
        typer.echo(f"tableau de bord {name}: {len(page.panels())} panneaux")


@app.command("permissions-matrix")
def permissions_matrix(
    write: Path = typer.Option(
        None, "--write", help="Réécrire la matrice de ce fichier (README.md) entre ses marqueurs"
    ),
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
        typer.echo(f"Impossible de mettre à jour {write} : {err}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"{write} : matrice {'mise à jour' if changed else 'déjà à jour'}.")


def main() -> None:
    app(prog_name="opp")


if __name__ == "__main__":
    main()


@app.command("release")
def release_command(
    include_open: list[str] = typer.Option(
        [],
        "--include-open",
        help="Campagne ouverte à publier à titre provisoire (répétable ; défaut : celles que "
        "la dernière publication contenait déjà)",
    ),
    if_due: bool = typer.Option(
        False, "--if-due", help="Ne publier que si une publication est due (pour cron)"
    ),
    note: str = typer.Option(None, help="Note de la publication"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
) -> None:
    """Publish the next release of the figures (closed campaigns, and chosen open ones)."""
    from opp.access.viewer import SYSTEM
    from opp.store import open_store, releases

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            pending = releases.pending(store)
            if if_due and not pending.due:
                typer.echo("Aucune publication due : la dernière est à jour.")
                return
            chosen = include_open or releases.provisional_still_open(store)
            made = releases.publish(store, SYSTEM, include_open=chosen, reason="agency", note=note)
        finally:
            store.close()
    except OppError as err:
        _fail(err)
    typer.echo(
        f"Publication n° {made.id} : {len(made.campaigns)} campagnes, {made.responses} réponses."
    )
