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
from typing import Any, Final

import polars as pl

from opp import clock, geo
from opp.access.policy import Action, require
from opp.access.viewer import Viewer
from opp.api.figures import cells
from opp.i18n import DEFAULT, LANGUAGES, Vocabulary, format_date, gettext
from opp.indicators.catalogue import IndicatorCatalogue
from opp.indicators.engine import Filters, Result
from opp.indicators.model import Indicator
from opp.indicators.service import FrameSource, result
from opp.referentiel import FILIERES
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
# How a field's description names the unit of its values (catalogue `dp.unit.<unit>`).
UNITS: Final = Vocabulary("dp.unit", ("count", "eur", "percent", "ratio", "fte", "points"))
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


def _field(
    name: str, kind: str, *, title: str | None = None, unit: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A column of the schema: titled in French, described in every language, French
    first ("Série / Series"), from the catalogue message `dp.field.<name>` (one
    descriptor serves readers of both languages)."""
    if unit is not None:
        extra["unit"] = unit
    if title is not None:
        return {"name": name, "type": kind, "title": title, "description": title, **extra}
    words = {
        lang: gettext(f"dp.field.{name}", lang, unit=UNITS.label(unit, lang)) for lang in LANGUAGES
    }
    described = " / ".join(words.values())
    return {"name": name, "type": kind, "title": words[DEFAULT], "description": described, **extra}


def _schema(indicator: Indicator, breakdown: str | None, table: list[dict[str, Any]]) -> dict:
    unit = indicator.unit
    fields = [
        _field("indicateur", "string"),
        _field("annee", "integer"),
        _field("filiere", "string"),
        _field(
            "ventilation",
            "string",
        ),
        _field(
            "code",
            "string",
        ),
        _field("libelle_fr", "string"),
        _field("libelle_en", "string"),
        _field("code_region", "string"),
        _field("serie", "string"),
        _field("serie_libelle_fr", "string"),
        _field("serie_libelle_en", "string"),
    ]
    if any(row.get("categorie") for row in table):
        fields += [
            _field(
                "categorie",
                "string",
            ),
            _field("categorie_type", "string"),
            _field("categorie_libelle_fr", "string"),
            _field("categorie_libelle_en", "string"),
        ]
    fields += [
        _field("valeur", "number", unit=unit),
        _field(
            "contributeurs",
            "integer",
        ),
    ]
    for extra in ("q1", "q3", "p10", "p90", "part"):
        if any(extra in row for row in table):
            fields.append(_field(extra, "number", title=extra))
    fields += [
        _field(
            "secret",
            "string",
            constraints={"enum": SECRETS},
        ),
        _field("secret_motif_fr", "string"),
        _field("secret_motif_en", "string"),
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
    filiere = {lang: FILIERES.label(campaign.filiere, lang) for lang in LANGUAGES}
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
                    "title": gettext(
                        f"dp.resource.{'by' if breakdown else 'whole'}",
                        DEFAULT,
                        indicator=indicator.label.fr,
                        breakdown=breakdown,
                    ),
                    "description": f"{indicator.definition.fr} / {indicator.definition.get('en')}",
                    "schema": schema,
                }
            )
    number = str(release.id) if release else "?"

    def said(msgid: str, lang: str) -> str:
        return gettext(
            msgid,
            lang,
            filiere=filiere[lang],
            year=campaign.reference_year,
            campaign=campaign.title(lang),
            release=number,
            published=format_date(release.published_at, lang) if release else "",
        )

    descriptor = {
        "profile": "tabular-data-package",
        "name": _slug(f"opp-occitanie-{campaign.id}"),
        "title": said("dp.title", DEFAULT),
        "description": " / ".join(said("dp.description", lang) for lang in LANGUAGES),
        "licenses": [LICENCE],
        "sources": [{"title": said("dp.source", DEFAULT)}],
        "contributors": [
            {"title": PUBLISHER, "role": "publisher"},
            {"title": said("dp.contributors", DEFAULT), "role": "contributor"},
        ],
        "keywords": [
            *(gettext("dp.keyword.sector", lang) for lang in LANGUAGES),
            "Occitanie",
            filiere[DEFAULT],
            "observation",
        ],
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
