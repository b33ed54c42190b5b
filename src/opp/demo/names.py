"""Plausible names and places for the demo region (deterministic from a random generator)."""

from __future__ import annotations

import random
from functools import cache

from opp import geo

# Weights of the départements: the metropoles of Toulouse and Montpellier dominate.
DEPARTEMENT_WEIGHTS: dict[str, float] = {
    "31": 25,
    "34": 21,
    "30": 8,
    "66": 6,
    "11": 5,
    "81": 5,
    "12": 4,
    "65": 4,
    "09": 4,
    "46": 3,
    "32": 3,
    "82": 3,
    "48": 2,
}

MAIN_CITY: dict[str, str] = {
    "31": "31555",
    "34": "34172",
    "30": "30189",
    "66": "66136",
    "11": "11069",
    "81": "81004",
    "12": "12202",
    "65": "65440",
    "09": "09122",
    "46": "46042",
    "32": "32013",
    "82": "82121",
    "48": "48095",
}

# Other French regions where Occitan teams tour, with rough weights.
REGION_WEIGHTS: dict[str, float] = {
    "FR-11": 24,
    "FR-75": 16,
    "FR-93": 15,
    "FR-84": 14,
    "FR-44": 6,
    "FR-52": 5,
    "FR-53": 5,
    "FR-32": 4,
    "FR-24": 3,
    "FR-27": 3,
    "FR-28": 3,
    "FR-94": 1,
    "FR-04": 1,
}
COUNTRY_WEIGHTS: dict[str, float] = {
    "ES": 22,
    "BE": 16,
    "CH": 12,
    "IT": 10,
    "DE": 9,
    "GB": 5,
    "CA": 6,
    "NL": 5,
    "PT": 4,
    "AD": 4,
    "MA": 3,
    "JP": 2,
    "US": 2,
}

_PREFIX = {
    "compagnie": ["Compagnie", "Cie", "Collectif", "Théâtre", "Groupe", "Les"],
    "lieu": ["Théâtre", "La Scène", "L'Usine", "Le Hangar", "La Halle", "Espace"],
    "festival": ["Festival", "Les Rencontres", "Les Nuits", "Festival"],
    "bureau_production": ["Bureau", "Agence", "Production", "Les Ateliers"],
    "ecole": ["École", "Centre de formation", "Académie"],
    "reseau": ["Réseau", "Fédération", "Collectif régional"],
    "collectivite": ["Salle municipale", "Espace culturel", "Théâtre municipal"],
}
_WORDS = [
    "du Vent Debout",
    "des Arpenteurs",
    "de la Lune Rousse",
    "du Grand Chemin",
    "des Pas Perdus",
    "Fil Tendu",
    "Hors Piste",
    "des Ailes",
    "du Quai",
    "Bruits de Couloir",
    "de l'Ourse",
    "des Cailloux",
    "Sous le Pont",
    "Les Mains Nues",
    "du Causse",
    "des Garrigues",
    "de la Pinède",
    "Pas de Côté",
    "Hautes Herbes",
    "de l'Éclaircie",
    "Rouge Brique",
    "du Canal",
    "des Tuiles",
    "Mille Bras",
    "Zéphyr",
    "de la Cigale",
    "des Lucioles",
    "Contrepoids",
    "du Fenouil",
    "Bois Flotté",
    "des Minuscules",
    "Pavés Sonores",
    "Ciel Ouvert",
    "de l'Envol",
    "Grand Large",
    "des Tréteaux",
    "Terre Battue",
    "du Marché",
    "des Embruns",
    "Petite Lanterne",
]
_FIRST = [
    "Camille",
    "Léa",
    "Inès",
    "Manon",
    "Lucie",
    "Nadia",
    "Sofia",
    "Jeanne",
    "Hugo",
    "Malik",
    "Louis",
    "Théo",
    "Paul",
    "Yanis",
    "Bastien",
    "Pierre",
    "Alex",
    "Sacha",
]
_LAST = [
    "Martin",
    "Bernard",
    "Garcia",
    "Roux",
    "Fabre",
    "Vidal",
    "Bonnet",
    "Mercier",
    "Castan",
    "Fournier",
    "Sabatier",
    "Pujol",
    "Marty",
    "Benali",
    "Rey",
    "Lopez",
]


def structure_name(rng: random.Random, structure_type: str, city: str) -> str:
    prefix = rng.choice(_PREFIX.get(structure_type, _PREFIX["compagnie"]))
    word = rng.choice(_WORDS)
    if structure_type in ("lieu", "collectivite", "festival") and rng.random() < 0.5:
        return f"{prefix} de {city}"
    return f"{prefix} {word}"


def artist_name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


@cache
def communes_by_departement() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, commune in geo.communes().items():
        out.setdefault(commune.departement, []).append(code)
    return {k: sorted(v) for k, v in out.items()}


def pick_departement(rng: random.Random) -> str:
    codes = list(DEPARTEMENT_WEIGHTS)
    return rng.choices(codes, weights=[DEPARTEMENT_WEIGHTS[c] for c in codes])[0]


def pick_commune(rng: random.Random, departement: str, city_bias: float = 0.5) -> str:
    """Half of the structures sit in the main city of their département."""
    if rng.random() < city_bias:
        return MAIN_CITY[departement]
    return rng.choice(communes_by_departement()[departement])


def pick_weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
