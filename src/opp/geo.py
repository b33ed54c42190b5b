"""Reference geography: communes and départements of Occitanie, French regions, countries.

Source of the shapes and communes: IGN Admin Express (Licence Ouverte), copied into
`src/opp/data/geo/` (package data, read through importlib.resources). Country names come
from pycountry (ISO 3166) with their French translation.
Places are identified by codes: commune = INSEE code ("31555"), département = "31",
another French region = "FR-11", a country = ISO alpha-2 ("BE").
"""

from __future__ import annotations

import csv
import gettext
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from opp import settings
from opp.i18n import LANGUAGES

GEO_DIR = settings.package_data("geo")
OCCITANIE = "76"

DEPARTEMENTS: dict[str, str] = {
    "09": "Ariège",
    "11": "Aude",
    "12": "Aveyron",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "34": "Hérault",
    "46": "Lot",
    "48": "Lozère",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
}

# INSEE region codes; overseas regions have no outline in the map file.
REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    departement: str
    lon: float
    lat: float

    def label(self) -> str:
        return f"{self.nom} ({self.departement})"


@cache
def communes() -> dict[str, Commune]:
    """The 4,485 communes of Occitanie by INSEE code."""
    path = GEO_DIR / "occitanie-communes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["code_insee"]: Commune(
                code=row["code_insee"],
                nom=row["nom"],
                departement=row["departement"],
                lon=float(row["lon"]),
                lat=float(row["lat"]),
            )
            for row in csv.DictReader(fh)
        }


def departement_of(commune_code: str | None) -> str | None:
    commune = communes().get(commune_code or "")
    return commune.departement if commune else None


def fold(text: str) -> str:
    """Lowercase without accents or punctuation, for forgiving search ("st" ≈ "saint")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = "".join(c if c.isalnum() else " " for c in plain)
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in plain.split()]
    return " ".join(words)


@cache
def _commune_index() -> list[tuple[str, Commune]]:
    return sorted(((fold(c.nom), c) for c in communes().values()), key=lambda x: x[0])


def search_communes(query: str, limit: int = 20) -> list[Commune]:
    """Communes whose name starts with (then contains) the query; accents ignored."""
    needle = fold(query or "")
    if not needle:
        return []
    if needle.isdigit():
        return [c for code, c in communes().items() if code.startswith(needle)][:limit]
    starts = [c for name, c in _commune_index() if name.startswith(needle)]
    if len(starts) >= limit:
        return starts[:limit]
    contains = [c for name, c in _commune_index() if needle in name and not name.startswith(needle)]
    return (starts + contains)[:limit]


@cache
def _countries() -> dict[str, dict[str, str]]:
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    out: dict[str, dict[str, str]] = {}
    for country in pycountry.countries:
        if country.alpha_2 == "FR":
            continue
        name_en = getattr(country, "common_name", None) or country.name
        out[country.alpha_2] = {"fr": fr.gettext(country.name), "en": name_en}
    return dict(sorted(out.items(), key=lambda kv: fold(kv[1]["fr"])))


@cache
def places_outside() -> dict[str, dict[str, str]]:
    """Other French regions then countries, code → {fr, en} label."""
    regions = {
        f"FR-{code}": dict.fromkeys(LANGUAGES, f"{name} (France)")
        for code, name in sorted(REGIONS.items(), key=lambda kv: fold(kv[1]))
        if code != OCCITANIE
    }
    return {**regions, **_countries()}


def place_label(code: str | None, lang: str = "fr") -> str:
    """Label of any place code: commune, département, region or country."""
    if not code:
        return "—"
    if code in communes():
        return communes()[code].label()
    if code in DEPARTEMENTS:
        return f"{DEPARTEMENTS[code]} ({code})"
    grouping = groupings().get(code)
    if grouping is not None:
        return grouping.name(lang)
    place = places_outside().get(code)
    if place:
        return place.get(lang) or place["fr"]
    return code


def place_scope(code: str | None) -> str | None:
    """'region' for another French region, 'abroad' for a country."""
    if not code:
        return None
    if code.startswith("FR-"):
        return "region"
    return "abroad" if code in places_outside() else None


@cache
def geojson(name: str) -> dict[str, Any]:
    """`departements` (Occitanie) or `regions` (metropolitan France) outlines."""
    files = {
        "departements": "occitanie-departements.geojson",
        "regions": "france-regions.geojson",
    }
    return json.loads((GEO_DIR / files[name]).read_text(encoding="utf-8"))


# --- groupings of départements and populations ------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grouping(_Frozen):
    """A set of départements published as one territory (e.g. a former region)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: dict[str, str]
    departements: tuple[str, ...] = Field(min_length=1)

    def name(self, lang: str = "fr") -> str:
        return self.label.get(lang) or self.label["fr"]


class GroupingFamily(_Frozen):
    """A partition of the départements of Occitanie into groupings: a breakdown."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: dict[str, str]
    source: dict[str, str]
    groupings: tuple[Grouping, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _partition(self) -> GroupingFamily:
        seen: list[str] = [d for g in self.groupings for d in g.departements]
        unknown = sorted(set(seen) - set(DEPARTEMENTS))
        doubled = sorted({d for d in seen if seen.count(d) > 1})
        missing = sorted(set(DEPARTEMENTS) - set(seen))
        if unknown or doubled or missing:
            raise ValueError(
                f"family {self.id}: each of the 13 départements must be in exactly one "
                f"grouping (unknown {unknown}, in two groupings {doubled}, missing {missing})"
            )
        return self

    def name(self, lang: str = "fr") -> str:
        return self.label.get(lang) or self.label["fr"]

    def of(self, departement: str) -> str | None:
        """The grouping a département belongs to in this family."""
        for grouping in self.groupings:
            if departement in grouping.departements:
                return grouping.id
        return None


class _Territories(_Frozen):
    families: tuple[GroupingFamily, ...]

    @model_validator(mode="after")
    def _unique(self) -> _Territories:
        ids = [f.id for f in self.families] + [g.id for f in self.families for g in f.groupings]
        if len(ids) != len(set(ids)):
            raise ValueError("family and grouping ids must be unique")
        return self


@cache
def grouping_families() -> tuple[GroupingFamily, ...]:
    """The groupings of départements declared in `data/geo/territoires.yaml`."""
    raw = yaml.safe_load((GEO_DIR / "territoires.yaml").read_text(encoding="utf-8"))
    return _Territories.model_validate(raw).families


def groupings() -> dict[str, Grouping]:
    """Every grouping of every family, by id (the values of the "territoire" filter)."""
    return {g.id: g for family in grouping_families() for g in family.groupings}


def grouping_family(family_id: str) -> GroupingFamily | None:
    return next((f for f in grouping_families() if f.id == family_id), None)


class Populations(_Frozen):
    """Population of each département (public denominators), with its source line."""

    source: dict[str, str]
    vintage: int
    checked_against_official_file: bool
    departements: dict[str, int]

    @model_validator(mode="after")
    def _complete(self) -> Populations:
        if set(self.departements) != set(DEPARTEMENTS) or min(self.departements.values()) <= 0:
            raise ValueError("populations: one positive figure for each of the 13 départements")
        return self

    def of(self, code: str) -> int | None:
        """Population of a département, a grouping, or the region ("__total__")."""
        if code in self.departements:
            return self.departements[code]
        grouping = groupings().get(code)
        if grouping is not None:
            return sum(self.departements[d] for d in grouping.departements)
        if code in ("__total__", OCCITANIE):
            return sum(self.departements.values())
        return None


@cache
def populations() -> Populations:
    """Département populations (`data/geo/populations.yaml`, INSEE populations légales:
    the operator refreshes them every year)."""
    raw = yaml.safe_load((GEO_DIR / "populations.yaml").read_text(encoding="utf-8"))
    return Populations.model_validate(raw)
