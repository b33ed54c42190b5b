"""Command line: `python -m opp <command>` (or `opp <command>` once installed)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from opp import settings
from opp.errors import OppError

app = typer.Typer(
    pretty_exceptions_show_locals=False,
    add_completion=False,
    no_args_is_help=True,
    help="OPP — observation participative et partagée du spectacle vivant.",
)


def _fail(err: OppError) -> None:
    typer.echo(err.message("fr"), err=True)
    raise typer.Exit(code=2)


@app.command("init-db")
def init_db(
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
) -> None:
    """Create the database with the demo region if it does not exist yet."""
    from opp.demo.generator import build_demo
    from opp.store import bulk, open_store

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
            if bulk.is_empty(store):
                typer.echo(f"Création des données de démonstration dans {target}…")
                summary = build_demo(store)
                typer.echo(
                    f"{summary.organisations} structures, {summary.responses} réponses "
                    f"({summary.drafts} brouillons), {summary.answer_rows} lignes de réponses."
                )
            else:
                typer.echo(f"Base existante : {target}")
        finally:
            store.close()
    except OppError as err:
        _fail(err)


@app.command("demo")
def demo(
    scale: float = typer.Option(1.0, help="Facteur d'échelle (1 ≈ 800 structures ; 10, 100…)"),
    seed: int = typer.Option(42, help="Graine du générateur (même graine → mêmes données)"),
    path: Path = typer.Option(None, help="Fichier DuckDB (défaut : data/opp.duckdb ou $OPP_DB)"),
    fast: bool = typer.Option(False, help="Ne pas revalider chaque réponse (grandes échelles)"),
) -> None:
    """Rebuild the demo region (erases every row of the database)."""
    from opp.demo.generator import build_demo
    from opp.store import bulk, open_store

    target = path or settings.db_path()
    try:
        store = open_store(target)
        try:
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


@app.command("check-surveys")
def check_surveys(
    root: Path = typer.Option(None, help="Dossier des questionnaires (défaut : surveys/)"),
) -> None:
    """Load every questionnaire file and report problems with file, line and field."""
    from opp.questionnaire.catalogue import load_catalogue

    try:
        catalogue = load_catalogue(root or settings.surveys_dir())
    except OppError as err:
        _fail(err)
    for q in catalogue.all():
        typer.echo(f"{q.key}: {len(q.questions)} questions, {len(q.sections)} sections")


def main() -> None:
    app(prog_name="opp")


if __name__ == "__main__":
    sys.exit(main())
