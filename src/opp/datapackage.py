"""A campaign's published figures as a Frictionless data package (open data).

`build(frames, indicators, viewer, campaign)` returns the package in memory —
`datapackage.json` (title, description, licence Licence Ouverte / Etalab 2.0, sources,
contributors, created) and one CSV per indicator × breakdown, each with its Table Schema
— and `write` / `zip_bytes` put it on disk or in one download. Every cell comes from
`opp.indicators.service.result` on the latest release (the dashboards' function, hence
their disclosure layer): a suppressed cell has an empty value (the schema's missing
value) and its rule and reason in columns of their own. Codes are those of the
standards: INSEE codes of départements and regions, ISO 3166-1 alpha-2 for countries,
OPP's filière, structure-type and size-class codes; every code has its French and
English label.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from opp import clock, geo
from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.api.figures import cells
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.engine import Filters, Result
from opp.indicators.model import Indicator
from opp.indicators.service import FrameSource, result
from opp.referentiel import FILIERES, label
from opp.store import audit, open_packages
from opp.store.db import Store
from opp.store.open_packages import OpenPackage
from opp.store.records import Campaign

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Etalab 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PUBLISHER = "Occitanie en scène"
UNITS = {
    "count": {"fr": "nombre", "en": "count"},
    "eur": {"fr": "euros", "en": "euros"},
    "percent": {"fr": "pourcentage", "en": "percent"},
    "ratio": {"fr": "ratio", "en": "ratio"},
    "fte": {"fr": "équivalents temps plein", "en": "full-time equivalents"},
    "points": {"fr": "points de pourcentage", "en": "percentage points"},
}
SECRETS = ["min_contributors", "dominance", "p_percent", "differencing"]
# Breakdowns published per campaign (its filière and year are fixed).
BREAKDOWNS = ("departement", "structure_type", "size_class")


@dataclass
class DataPackage:
    descriptor: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # path → content


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")


def _place(code: str | None) -> tuple[str, str]:
    """(standard code, kind) of a place code of OPP: INSEE département, INSEE region
    (stored as FR-xx), ISO country."""
    if not code:
        return "", ""
    if code in geo.DEPARTEMENTS:
        return code, "departement"
    if code.startswith("FR-"):
        return code[3:], "region"
    return code, "pays"


def _field(name: str, kind: str, fr: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "title": fr, "description": f"{fr} / {en}", **extra}


def _schema(indicator: Indicator, breakdown: str | None, table: list[dict[str, Any]]) -> dict:
    unit = UNITS[indicator.unit]
    fields = [
        _field("indicateur", "string", "Identifiant de l'indicateur", "Indicator id"),
        _field("annee", "integer", "Année de référence", "Reference year"),
        _field("filiere", "string", "Code de la filière", "Branch code"),
        _field(
            "ventilation",
            "string",
            "Dimension de ventilation (vide : ensemble)",
            "Breakdown dimension (empty: whole population)",
        ),
        _field(
            "code",
            "string",
            "Code du groupe (INSEE pour un département ; vide : ensemble)",
            "Group code (INSEE for a département; empty: whole population)",
        ),
        _field("libelle_fr", "string", "Libellé du groupe (français)", "Group label (French)"),
        _field("libelle_en", "string", "Libellé du groupe (anglais)", "Group label (English)"),
        _field("code_region", "string", "Code INSEE de la région", "INSEE region code"),
        _field("serie", "string", "Série", "Series"),
        _field("serie_libelle_fr", "string", "Libellé de la série", "Series label (French)"),
        _field("serie_libelle_en", "string", "Libellé de la série (anglais)", "Series label"),
    ]
    if any(row.get("categorie") for row in table):
        fields += [
            _field(
                "categorie",
                "string",
                "Code de la catégorie (INSEE, ISO 3166-1 pour un pays)",
                "Category code (INSEE, ISO 3166-1 for a country)",
            ),
            _field("categorie_type", "string", "Type de la catégorie", "Category kind"),
            _field("categorie_libelle_fr", "string", "Libellé de la catégorie", "Category"),
            _field("categorie_libelle_en", "string", "Libellé (anglais)", "Category (English)"),
        ]
    fields += [
        _field(
            "valeur",
            "number",
            f"Valeur ({unit['fr']}), légèrement perturbée ; vide : secret statistique",
            f"Value ({unit['en']}), slightly perturbed; empty: statistical confidentiality",
            unit=indicator.unit,
        ),
        _field(
            "contributeurs",
            "integer",
            "Nombre de contributeurs de la cellule",
            "Contributors to the cell",
        ),
    ]
    for extra in ("q1", "q3", "p10", "p90", "part"):
        if any(extra in row for row in table):
            fields.append(_field(extra, "number", extra, extra))
    fields += [
        _field(
            "secret",
            "string",
            "Règle de secret statistique qui masque la cellule (vide : publiée)",
            "Statistical confidentiality rule hiding the cell (empty: published)",
            constraints={"enum": SECRETS},
        ),
        _field("secret_motif_fr", "string", "Motif du secret", "Reason (French)"),
        _field("secret_motif_en", "string", "Motif du secret (anglais)", "Reason (English)"),
    ]
    return {"fields": fields, "missingValues": [""]}


def _rows(shown: Result, campaign: Campaign) -> list[dict[str, Any]]:
    out = []
    for cell in cells(shown):
        code = cell["group"] or ""
        row: dict[str, Any] = {
            "indicateur": shown.indicator.id,
            "annee": campaign.reference_year,
            "filiere": campaign.filiere,
            "ventilation": shown.breakdown or "",
            "code": code,
            "libelle_fr": cell["group_label_fr"],
            "libelle_en": cell["group_label_en"],
            "code_region": geo.OCCITANIE if shown.breakdown == "departement" and code else "",
            "serie": cell["series"],
            "serie_libelle_fr": cell["series_label_fr"],
            "serie_libelle_en": cell["series_label_en"],
        }
        if cell.get("category") not in (None, "", "None"):
            place, kind = _place(cell["category"])
            row |= {
                "categorie": place or cell["category"],
                "categorie_type": kind,
                "categorie_libelle_fr": geo.place_label(cell["category"], "fr"),
                "categorie_libelle_en": geo.place_label(cell["category"], "en"),
            }
        row |= {"valeur": cell["value"], "contributeurs": cell["contributors"]}
        for extra, name in (("q1", "q1"), ("q3", "q3"), ("p10", "p10"), ("p90", "p90")):
            if extra in cell:
                row[name] = cell[extra]
        if "share" in cell:
            row["part"] = cell["share"]
        row |= {
            "secret": cell["secret"] or "",
            "secret_motif_fr": cell["secret_reason_fr"] or "",
            "secret_motif_en": cell["secret_reason_en"] or "",
        }
        out.append(row)
    return out


def _csv(schema: dict, rows: list[dict[str, Any]]) -> bytes:
    names = [f["name"] for f in schema["fields"]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k, "") for k in names})
    return buffer.getvalue().encode("utf-8")


def applies(indicator: Indicator, campaign: Campaign) -> bool:
    return indicator.filieres is None or campaign.filiere in indicator.filieres


def build(
    frames: FrameSource,
    indicators: IndicatorCatalogue,
    viewer: Viewer,
    campaign: Campaign,
) -> DataPackage:
    """The package of one campaign (its filière and year) from the latest release."""
    require(viewer, Action.PUBLISH_OPEN_DATA)
    release = frames.release
    filiere_fr = label(FILIERES, campaign.filiere, "fr")
    filiere_en = label(FILIERES, campaign.filiere, "en")
    population = Filters(reference_year=campaign.reference_year, filiere=campaign.filiere)
    resources, files = [], {}
    for indicator in indicators.indicators.values():
        if not applies(indicator, campaign):
            continue
        for breakdown in (None, *[b for b in BREAKDOWNS if b in indicator.breakdowns]):
            shown = result(frames, indicator, population, breakdown, viewer)
            if shown.refused or shown.table.is_empty():
                continue
            rows = _rows(shown, campaign)
            schema = _schema(indicator, breakdown, rows)
            name = _slug(f"{indicator.id}-{breakdown or 'ensemble'}")
            path = f"data/{name}.csv"
            files[path] = _csv(schema, rows)
            resources.append(
                {
                    "name": name,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": indicator.label.fr
                    + (f" — par {breakdown}" if breakdown else " — ensemble"),
                    "description": f"{indicator.definition.fr} / {indicator.definition.get('en')}",
                    "schema": schema,
                }
            )
    published = release.published_at.strftime("%d/%m/%Y") if release else ""
    descriptor = {
        "profile": "tabular-data-package",
        "name": _slug(f"opp-occitanie-{campaign.id}"),
        "title": f"Observation du spectacle vivant en Occitanie — {filiere_fr}, "
        f"{campaign.reference_year}",
        "description": (
            f"Indicateurs agrégés de la campagne « {campaign.title('fr')} » (filière "
            f"{filiere_fr}, données {campaign.reference_year}), publication n° "
            f"{release.id if release else '?'} du {published} de l'observation "
            "participative et partagée (OPP). Chaque cellule a au moins 3 contributeurs "
            "(5 pour les rémunérations et le genre dans les petits groupes), les valeurs "
            "sont légèrement perturbées (méthode de la clé de cellule) et une cellule "
            "masquée a une valeur vide et son motif (secret statistique). / Aggregated "
            f"indicators of the {filiere_en} campaign, {campaign.reference_year}, with "
            "statistical disclosure control: suppressed cells are empty with their reason."
        ),
        "licenses": [LICENCE],
        "sources": [
            {
                "title": "OPP — observation participative et partagée du spectacle vivant "
                f"en Occitanie, publication n° {release.id if release else '?'}",
            }
        ],
        "contributors": [
            {"title": PUBLISHER, "role": "publisher"},
            {
                "title": f"Structures de la filière {filiere_fr} ayant répondu à la campagne",
                "role": "contributor",
            },
        ],
        "keywords": ["spectacle vivant", "Occitanie", filiere_fr, "observation"],
        "version": str(release.id) if release else "0",
        "created": clock.now().replace(microsecond=0).isoformat() + "Z",
        "resources": resources,
    }
    return DataPackage(descriptor, files)


def write(package: DataPackage, folder: Path) -> Path:
    """Write the package in `folder` (created); returns the path of datapackage.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in package.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(
        json.dumps(package.descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return descriptor


def zip_bytes(package: DataPackage) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(package.descriptor, ensure_ascii=False, indent=2)
        )
        for path, content in package.files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


# --- publication: the package the public "Chiffres clés" page shows -----------------------


def publish(store: Store, viewer: Viewer, package: DataPackage, campaign: Campaign) -> OpenPackage:
    """Record `package` as published (the files exactly as built): the public page shows
    the latest one until another is published."""
    require(viewer, Action.PUBLISH_OPEN_DATA)
    row = OpenPackage(
        id=uuid.uuid4().hex,
        campaign_id=campaign.id,
        release_id=int(package.descriptor.get("version") or 0),
        published_at=clock.now(),
        published_by=viewer.actor,
        title=package.descriptor["title"],
        content=zip_bytes(package),
    )
    with store.transaction() as cur:
        open_packages.insert(cur, row)
        audit.record(cur, viewer, "opendata.published", "campaign", campaign.id)
    return row


@dataclass(frozen=True)
class OpenedPackage:
    descriptor: dict[str, Any]
    tables: dict[str, pl.DataFrame]  # resource name → its CSV, typed by its schema


_POLARS = {"integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean}


def open_zip(content: bytes) -> OpenedPackage:
    """Read a published package back (the public page): descriptor and typed tables."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        tables = {}
        for resource in descriptor.get("resources", []):
            types = {
                f["name"]: _POLARS.get(f["type"], pl.String) for f in resource["schema"]["fields"]
            }
            tables[resource["name"]] = pl.read_csv(archive.read(resource["path"]), schema=types)
    return OpenedPackage(descriptor, tables)
