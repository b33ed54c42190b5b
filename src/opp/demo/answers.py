"""Realistic answers for the demo region.

Orders of magnitude follow the sector's published observation (Fédélima key figures,
the agency's project): small companies with few permanent staff and many intermittents,
women under-represented in direction and technical posts, most performances in the home
département and a minority outside the region. Values respect the questionnaire rules
(parts never exceed totals), so generated responses pass validation.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from opp.demo.names import (
    COUNTRY_WEIGHTS,
    REGION_WEIGHTS,
    communes_by_departement,
    pick_commune,
    pick_weighted,
)

WOMEN_SHARE = {"direction": 0.40, "artistique": 0.45, "technique": 0.17, "administration": 0.74}


@dataclass
class Traits:
    """Stable characteristics of a demo structure, drawn once."""

    structure_type: str
    filiere: str
    departement: str
    commune: str
    founded: int
    size: float  # multiplies headcounts, budget and activity
    women_bias: float  # shifts women's shares (some structures are more paritary)
    legal_form: str
    convention: str
    labels: list[str]
    details_performances: bool  # fills the optional one-item-per-performance list
    answers_pay: bool


def draw_traits(
    rng: random.Random, structure_type: str, filiere: str, dep: str, commune: str
) -> Traits:
    size = math.exp(rng.gauss(0, 0.6))
    if structure_type in ("lieu", "collectivite"):
        size *= 3.5
    elif structure_type == "festival":
        size *= 1.8
    legal = "association" if rng.random() < 0.82 else rng.choice(["scop", "scic", "societe"])
    if structure_type == "collectivite":
        legal = "regie"
    convention = rng.choices(["ccneac", "ccn_svp", "animation", "aucune"], [55, 30, 5, 10])[0]
    labels = _labels(rng, structure_type, filiere)
    return Traits(
        structure_type=structure_type,
        filiere=filiere,
        departement=dep,
        commune=commune,
        founded=rng.randint(1975, 2021),
        size=size,
        women_bias=rng.gauss(0, 0.08),
        legal_form=legal,
        convention=convention,
        labels=labels,
        details_performances=rng.random() < 0.4,
        answers_pay=rng.random() < 0.45,
    )


def _labels(rng: random.Random, structure_type: str, filiere: str) -> list[str]:
    labels: list[str] = []
    if structure_type in ("lieu", "festival"):
        national = {
            "arts_de_la_rue": "cnarep",
            "cirque": "pnc",
            "marionnette": "cnma",
            "musiques_actuelles": "smac",
        }[filiere]
        if rng.random() < 0.12:
            labels.append(national)
        if rng.random() < 0.08:
            labels.append("scene_conventionnee")
    if rng.random() < 0.25:
        labels.append("conventionnement_region")
    if rng.random() < 0.15:
        labels.append("conventionnement_drac")
    return labels or ["aucun"]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _split(rng: random.Random, total: int, shares: list[float]) -> list[int]:
    """Multinomial split of `total` (exact sum)."""
    counts = [0] * len(shares)
    for _ in range(total):
        counts[rng.choices(range(len(shares)), shares)[0]] += 1
    return counts


def _split_large(rng: random.Random, total: int, shares: list[float]) -> list[int]:
    if total < 200:
        return _split(rng, total, shares)
    raw = [total * s * rng.uniform(0.9, 1.1) for s in shares]
    scale = total / sum(raw)
    parts = [int(r * scale) for r in raw]
    parts[0] += total - sum(parts)
    return parts


def _gendered(
    rng: random.Random, count: int, share: float, other: float = 0.02
) -> tuple[int, int, int]:
    women = men = others = 0
    for _ in range(count):
        draw = rng.random()
        if draw < other:
            others += 1
        elif draw < other + share:
            women += 1
        else:
            men += 1
    return women, men, others


def core_answers(
    rng: random.Random, name: str, t: Traits, year: int, growth: float
) -> dict[str, Any]:
    """Answers to the common core for one reference year."""
    a: dict[str, Any] = {
        "nom_structure": name,
        "type_structure": t.structure_type,
        "forme_juridique": t.legal_form,
        "commune_siege": t.commune,
        "annee_creation": t.founded,
        "disciplines": sorted({t.filiere, *rng.sample(["theatre", "danse"], rng.randint(0, 1))}),
        "licence_categories": ["cat2"] if t.structure_type == "compagnie" else ["cat1", "cat3"],
        "labels": t.labels,
        "convention_collective": t.convention,
    }
    size = t.size * growth
    base_perm = {
        "compagnie": 1.3,
        "bureau_production": 2.0,
        "lieu": 2.6,
        "collectivite": 2.2,
        "festival": 1.6,
        "ecole": 3.0,
        "reseau": 2.0,
    }[t.structure_type]
    permanent = _poisson(rng, base_perm * size)
    a["effectif_permanent"] = permanent
    if permanent:
        cdi = sum(rng.random() < 0.72 for _ in range(permanent))
        autres = sum(rng.random() < 0.08 for _ in range(permanent - cdi))
        a["permanents_cdi"], a["permanents_autres"] = cdi, autres
        a["permanents_cdd"] = permanent - cdi - autres
        a["etp_permanents"] = round(permanent * rng.uniform(0.55, 1.0), 1)
    artists = _poisson(rng, (9 if t.structure_type == "compagnie" else 14) * size)
    techs = _poisson(rng, 3.5 * size)
    a["intermittents_artistes"], a["intermittents_techniciens"] = artists, techs
    if artists:
        a["cachets_artistes"] = int(artists * rng.uniform(8, 35))
    if techs:
        a["heures_techniciens"] = int(techs * rng.uniform(60, 420))
    volunteers = _poisson(rng, (35 if t.structure_type in ("festival", "lieu") else 4) * size)
    a["benevoles"] = volunteers
    if volunteers:
        a["heures_benevoles"] = int(volunteers * rng.uniform(10, 60))

    a |= _economy(rng, t, size, permanent, artists, techs)
    a |= _equality(rng, t, permanent, artists, techs, year)
    if t.structure_type in ("compagnie", "bureau_production"):
        a |= _diffusion(rng, t, size, year, artists)
    elif t.structure_type in ("lieu", "festival", "collectivite"):
        a |= _programming(rng, size)
    return a | _published_later(t, year, a)


def _own_rng(*parts: object) -> random.Random:
    """A generator of its own for answers added after the first demo: drawing them
    from the shared one would shift every later draw (and every demo figure)."""
    return random.Random(repr(parts))


def _published_later(t: Traits, year: int, core: dict[str, Any]) -> dict[str, Any]:
    """Core answers the first demo left blank (issue 17 publishes them): who directs the
    shows, young-audience performances."""
    rng = _own_rng(t, year, "core")
    out: dict[str, Any] = {}
    shows = core.get("spectacles_diffusion")
    if shows:
        women = sum(rng.random() < 0.38 + t.women_bias for _ in range(shows))
        mixed = sum(rng.random() < 0.15 for _ in range(shows - women))
        out |= {
            "spectacles_direction_femme": women,
            "spectacles_direction_mixte": mixed,
            "spectacles_direction_homme": shows - women - mixed,
        }
    total = core.get("representations_total") or 0
    if total:
        school = core.get("representations_scolaires") or 0
        young = school + sum(rng.random() < 0.12 for _ in range(total - school))
        out["representations_jeune_public"] = min(total, young)
    return out


def _economy(
    rng: random.Random, t: Traits, size: float, perm: int, artists: int, techs: int
) -> dict[str, Any]:
    budget = round(
        {
            "compagnie": 95_000,
            "bureau_production": 160_000,
            "lieu": 420_000,
            "collectivite": 380_000,
            "festival": 260_000,
            "ecole": 300_000,
            "reseau": 180_000,
        }[t.structure_type]
        * size
        * math.exp(rng.gauss(0, 0.3)),
        -2,
    )
    payroll = round(budget * rng.uniform(0.38, 0.62), -2)
    perm_share = perm / (perm + 0.15 * (artists + techs) + 1e-9) if perm else 0.0
    perm_payroll = round(payroll * perm_share * rng.uniform(0.9, 1.0), -2)
    own = rng.uniform(0.25, 0.6)
    public = rng.uniform(0.3, 0.9 - own)
    split = (
        [0.16, 0.27, 0.10, 0.42, 0.05]
        if t.structure_type != "compagnie"
        else [
            0.25,
            0.35,
            0.12,
            0.25,
            0.03,
        ]
    )
    noise = [s * rng.uniform(0.4, 1.6) for s in split]
    total_noise = sum(noise)
    subsidies = [round(budget * public * n / total_noise, -2) for n in noise]
    return {
        "budget_total": budget,
        "recettes_propres": round(budget * own, -2),
        "subv_etat": subsidies[0],
        "subv_region": subsidies[1],
        "subv_departement": subsidies[2],
        "subv_communes_epci": subsidies[3],
        "subv_europe": subsidies[4] if rng.random() < 0.15 else 0.0,
        "aides_organismes": round(budget * rng.uniform(0, 0.03), -2),
        "financements_prives": round(budget * rng.uniform(0, 0.02), -2),
        "masse_salariale_totale": payroll,
        "masse_salariale_permanents": perm_payroll,
        "masse_salariale_intermittents": round((payroll - perm_payroll) * 0.95, -2),
    }


def _equality(
    rng: random.Random, t: Traits, perm: int, artists: int, techs: int, year: int
) -> dict[str, Any]:
    trend = (year - 2023) * 0.015  # slow progress year after year
    out: dict[str, Any] = {}
    if perm:
        roles = ["direction", "artistique", "technique", "administration"]
        counts = [1, 0, 0, 0]  # every team has a direction
        for _ in range(perm - 1):
            counts[rng.choices(range(4), [0.12, 0.28, 0.25, 0.35])[0]] += 1
        for role, count in zip(roles, counts, strict=True):
            share = min(0.95, max(0.02, WOMEN_SHARE[role] + t.women_bias + trend))
            women, men, others = _gendered(rng, count, share)
            out[f"{role}_femmes"], out[f"{role}_hommes"], out[f"{role}_autres"] = women, men, others
    if artists:
        women, men, _ = _gendered(rng, artists, 0.39 + t.women_bias + trend, other=0.0)
        declared = rng.random() < 0.85
        if declared:
            out["intermittents_artistes_femmes"], out["intermittents_artistes_hommes"] = women, men
    if techs:
        women, men, _ = _gendered(rng, techs, 0.19 + t.women_bias + trend, other=0.0)
        out["intermittents_techniciens_femmes"], out["intermittents_techniciens_hommes"] = (
            women,
            men,
        )
    on_stage = max(artists, _poisson(rng, 12)) if t.structure_type != "compagnie" else artists
    women, men, others = _gendered(rng, on_stage, 0.41 + t.women_bias + trend, other=0.01)
    out |= {"artistes_scene_femmes": women, "artistes_scene_hommes": men}
    out["artistes_scene_autres"] = others
    if t.legal_form == "association":
        board = rng.randint(3, 12)
        women, men, _ = _gendered(rng, board, 0.47 + t.women_bias, other=0.0)
        out |= {"ca_femmes": women, "ca_hommes": men}
        out["presidence_genre"] = "femme" if rng.random() < 0.44 + t.women_bias else "homme"
    else:
        out["presidence_genre"] = "sans_objet"
    if perm >= 2 and t.answers_pay:
        men_pay = round(rng.uniform(27_000, 41_000), -2)
        out["salaire_moyen_hommes"] = men_pay
        out["salaire_moyen_femmes"] = round(men_pay * rng.uniform(0.8, 1.02), -2)
    out["charte_egalite"] = rng.random() < 0.22 + trend * 3
    out["autodiagnostic_egalite"] = rng.random() < 0.18 + trend * 2
    out["referent_vhss"] = rng.random() < 0.40 + trend * 4
    out["formation_vhss"] = rng.random() < 0.33 + trend * 3
    return out


PLACE_SHARES = {
    "arts_de_la_rue": [0.40, 0.25, 0.28, 0.07],
    "cirque": [0.35, 0.25, 0.30, 0.10],
    "marionnette": [0.45, 0.27, 0.23, 0.05],
    "musiques_actuelles": [0.42, 0.30, 0.22, 0.06],
}
PUBLIC_SPACE_SHARE = {
    "arts_de_la_rue": 0.7,
    "cirque": 0.3,
    "marionnette": 0.12,
    "musiques_actuelles": 0.15,
}
FEE_MEDIAN = {
    "arts_de_la_rue": 2_600,
    "cirque": 4_200,
    "marionnette": 2_100,
    "musiques_actuelles": 2_400,
}


def _diffusion(
    rng: random.Random, t: Traits, size: float, year: int, artists: int
) -> dict[str, Any]:
    shows = max(1, _poisson(rng, 1.6 * math.sqrt(size)))
    total = _poisson(rng, shows * 11 * math.sqrt(size))
    out: dict[str, Any] = {
        "spectacles_diffusion": shows,
        "creations_annee": int(rng.random() < 0.45),
        "representations_total": total,
    }
    if total == 0:
        return out
    dep, occ, fra, abroad = _split_large(rng, total, PLACE_SHARES[t.filiere])
    out |= {
        "representations_departement": dep,
        "representations_occitanie": occ,
        "representations_france": fra,
        "representations_etranger": abroad,
    }
    public_space = sum(rng.random() < PUBLIC_SPACE_SHARE[t.filiere] for _ in range(total))
    school = sum(rng.random() < (0.3 if t.filiere == "marionnette" else 0.1) for _ in range(total))
    out["representations_espace_public"] = public_space
    out["representations_scolaires"] = school
    out["spectateurs_payants"] = int((total - public_space) * rng.uniform(90, 260))
    out["spectateurs_gratuits"] = int(public_space * rng.uniform(150, 700) + total * 5)
    fee = FEE_MEDIAN[t.filiere] * math.exp(rng.gauss(0, 0.45)) * math.sqrt(size)
    out["prix_cession_moyen"] = round(fee, -1)
    if t.details_performances:
        out["detail_representations"] = _performances(
            rng, t, year, [dep, occ, fra, abroad], fee, public_space / total
        )
    return out


def _performances(
    rng: random.Random, t: Traits, year: int, places: list[int], fee: float, public: float
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    others = [d for d in communes_by_departement() if d != t.departement]
    kinds = ["home", "occitanie", "france", "abroad"]
    plan = [k for k, n in zip(kinds, places, strict=True) for _ in range(n)][:80]
    for kind in plan:
        item: dict[str, Any] = {
            "rep_date": dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
            "rep_en_occitanie": kind in ("home", "occitanie"),
        }
        if kind == "home":
            item["rep_commune"] = pick_commune(rng, t.departement, 0.3)
        elif kind == "occitanie":
            item["rep_commune"] = pick_commune(rng, rng.choice(others), 0.4)
        elif kind == "france":
            item["rep_hors_occitanie"] = pick_weighted(rng, REGION_WEIGHTS)
        else:
            item["rep_hors_occitanie"] = pick_weighted(rng, COUNTRY_WEIGHTS)
        outdoor = rng.random() < public
        item["rep_type_lieu"] = (
            "espace_public"
            if outdoor
            else rng.choice(
                ["salle", "salle", "salle", "etablissement_scolaire", "chapiteau", "autre"]
            )
        )
        mode = rng.choices(
            ["cession", "coproduction", "corealisation", "autoproduction", "autre"],
            [72, 8, 10, 7, 3],
        )[0]
        item["rep_mode_contrat"] = mode
        if mode == "cession":
            item["rep_prix_cession"] = round(fee * math.exp(rng.gauss(0, 0.3)), -1)
        if outdoor:
            item["rep_public_gratuit"] = int(rng.uniform(80, 900))
        else:
            item["rep_public_payant"] = int(rng.uniform(60, 320))
            item["rep_public_gratuit"] = int(rng.uniform(0, 20))
        items.append(item)
    return items


def _programming(rng: random.Random, size: float) -> dict[str, Any]:
    hosted = max(1, _poisson(rng, 28 * size))
    shows = max(1, min(hosted, _poisson(rng, 16 * size)))
    teams = max(1, min(shows, int(shows * rng.uniform(0.7, 1.0))))
    return {
        "representations_accueillies": hosted,
        "spectacles_accueillis": shows,
        "equipes_accueillies": teams,
        "equipes_accueillies_occitanie": int(teams * rng.uniform(0.35, 0.75)),
        "frequentation_payante": int(hosted * rng.uniform(80, 320)),
        "frequentation_gratuite": int(hosted * rng.uniform(5, 120)),
        "prix_billet_moyen": round(rng.uniform(7, 24), 1),
        "jauge_principale": int(rng.choice([120, 200, 300, 450, 600, 900, 1200]) * 1),
    }


def module_answers(rng: random.Random, t: Traits, core: dict[str, Any]) -> dict[str, Any]:
    """Answers to the filière module, consistent with the core answers."""
    first = _module_answers(rng, t, core)
    return first | _module_later(t, core, first)


def _module_later(t: Traits, core: dict[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    """Module answers the first demo left blank (issue 17 publishes them)."""
    rng = _own_rng(t, core.get("representations_total"), core.get("budget_total"), "module")
    if t.filiere == "arts_de_la_rue":
        total = core.get("representations_total") or 0
        return {
            "adr_residences": _poisson(rng, 0.8),
            "adr_representations_annulees": min(total, _poisson(rng, 0.7)),
        }
    if t.filiere == "marionnette":
        return {
            "mar_coproducteurs": _poisson(rng, 2.5),
            "mar_semaines_residence": min(104, _poisson(rng, 5)),
        }
    if t.filiere == "cirque":
        rigging = rng.random() < 0.55
        out: dict[str, Any] = {
            "cir_festivals": _poisson(rng, 3),
            "cir_accroches": rigging,
            "cir_accidents_travail": _poisson(rng, 0.3 + 0.4 * rigging),
            "cir_soutien_pnc": rng.random() < 0.25,
        }
        if rigging:
            out["cir_rigger"] = rng.random() < 0.45
        if first.get("cir_chapiteau"):
            out["cir_montages"] = max(1, _poisson(rng, 8))
        return out
    return {
        "mus_residences": _poisson(rng, 3 * t.size),
        "mus_actions_culturelles_heures": _poisson(rng, 120 * t.size),
    }


def _module_answers(rng: random.Random, t: Traits, core: dict[str, Any]) -> dict[str, Any]:
    total = core.get("representations_total") or 0
    if t.filiere == "arts_de_la_rue":
        festivals = _poisson(rng, 4)
        free = min(core.get("representations_espace_public") or 0, total)
        return {
            "adr_representations_espace_public_gratuit": int(free * rng.uniform(0.6, 1.0)),
            "adr_part_gratuit": round(rng.uniform(40, 95), 0),
            "adr_creations_in_situ": _poisson(rng, 0.6),
            "adr_festivals_joues": festivals,
            "adr_festivals_hors_region": min(festivals, _poisson(rng, 1.5)),
            "adr_public_estime": int(free * rng.uniform(200, 900)),
            "adr_autorisations_difficultes": rng.random() < 0.35,
            "adr_espaces": rng.sample(["rue_place", "parc_jardin", "site_patrimonial"], 2),
        }
    if t.filiere == "marionnette":
        workshop = rng.random() < 0.6
        out: dict[str, Any] = {
            "mar_spectacles_production": max(1, _poisson(rng, 1.2)),
            "mar_budget_production_moyen": round(rng.uniform(15_000, 90_000), -2),
            "mar_apports_non_monetaires": round(rng.uniform(2_000, 30_000), -2),
            "mar_types_apports": rng.sample(
                ["lieux_pretes", "residences", "materiel", "benevolat"], 2
            ),
            "mar_fabrication_atelier": workshop,
            "mar_part_jeune_public": round(rng.uniform(20, 90), 0),
            "mar_mois_residence_premiere": rng.randint(6, 30),
        }
        if workshop:
            out["mar_jours_fabrication"] = rng.randint(10, 120)
        return out
    if t.filiere == "cirque":
        big_top = rng.random() < 0.3
        out = {
            "cir_chapiteau": big_top,
            "cir_semaines_itinerance": rng.randint(0, 30) if big_top else rng.randint(0, 6),
            "cir_artistes_plateau": max(1, _poisson(rng, 4)),
            "cir_disciplines": rng.sample(
                ["aeriens", "acrobatie", "jonglage", "equilibre", "clown", "magie"], 2
            ),
            "cir_residences": _poisson(rng, 2),
            "cir_lien_ecoles": rng.random() < 0.4,
        }
        if big_top:
            out["cir_chapiteau_proprietaire"] = rng.random() < 0.6
            out["cir_chapiteau_jauge"] = rng.choice([250, 400, 600, 800])
        return out
    programmed = max(1, _poisson(rng, 60 * t.size))
    return {
        "mus_concerts_annee": max(1, _poisson(rng, 45 * t.size)),
        "mus_artistes_programmes": programmed,
        "mus_artistes_region": int(programmed * rng.uniform(0.3, 0.7)),
        "mus_groupes_direction_femme": int(programmed * rng.uniform(0.12, 0.3)),
        "mus_frequentation_payante": int(programmed * rng.uniform(80, 300)),
        "mus_frequentation_gratuite": int(programmed * rng.uniform(5, 60)),
        "mus_prix_moyen_billet": round(rng.uniform(8, 22), 1),
        "mus_heures_studios": _poisson(rng, 900 * t.size) if t.structure_type == "lieu" else 0,
        "mus_artistes_accompagnes": _poisson(rng, 6 * t.size),
        "mus_esthetiques": sorted(
            rng.sample(["rock_pop", "rap_hiphop", "electro", "chanson", "jazz_improvisees"], 3)
        ),
    }


@dataclass
class ArtistTraits:
    gender: str
    born: int
    commune: str
    started: int
    stage: str
    intermittent: bool
    level: float


def draw_artist(rng: random.Random, commune: str) -> ArtistTraits:
    born = rng.randint(1962, 2002)
    started = min(2022, born + rng.randint(17, 30))
    level = math.exp(rng.gauss(0, 0.5))
    stage = (
        "emergence"
        if started > 2016
        else rng.choices(["developpement", "confirme", "reconversion"], [45, 45, 10])[0]
    )
    return ArtistTraits(
        gender=rng.choices(["femme", "homme", "autre", "non_declare"], [31, 64, 2, 3])[0],
        born=born,
        commune=commune,
        started=started,
        stage=stage,
        intermittent=rng.random() < 0.55 * min(1.6, level),
        level=level,
    )


CAREER = ("emergence", "developpement", "confirme")


def stage_in(a: ArtistTraits, year: int) -> str:
    """An artist's career stage in a year: some move up a stage over the campaigns (a
    deterministic rule, drawing nothing, so the rest of the demo is unchanged)."""
    if a.stage not in CAREER:
        return a.stage
    moves = sum(1 for y in range(2020, year + 1) if (a.born * 7 + a.started + y) % 6 == 0)
    return CAREER[min(CAREER.index(a.stage) + moves, len(CAREER) - 1)]


def artist_answers(rng: random.Random, a: ArtistTraits, year: int) -> dict[str, Any]:
    concerts = max(0, _poisson(rng, 28 * a.level))
    home, france, abroad = _split(rng, concerts, [0.68, 0.26, 0.06])
    cachets = int(concerts * rng.uniform(0.9, 1.6))
    pay = cachets * rng.uniform(110, 190)
    statut = ["intermittent"] if a.intermittent else ["micro_entrepreneur"]
    if rng.random() < 0.3:
        statut.append("enseignant")
    if rng.random() < 0.35:
        statut.append("auteur")
    out: dict[str, Any] = {
        "art_genre": a.gender,
        "art_annee_naissance": a.born,
        "art_commune": a.commune,
        "art_debut_carriere": a.started,
        "art_stade_carriere": stage_in(a, year),
        "art_statut": statut,
        "art_esthetiques": sorted(
            rng.sample(["rock_pop", "chanson", "jazz_improvisees", "electro"], 2)
        ),
        "art_projets": rng.randint(1, 4),
        "art_accompagnement": rng.random() < 0.3,
        "art_concerts_total": concerts,
        "art_concerts_occitanie": home,
        "art_concerts_france": france,
        "art_concerts_etranger": abroad,
        "art_cachets": cachets,
        "art_heures_enseignement": rng.randint(50, 400) if "enseignant" in statut else 0,
        "art_rev_cachets": round(pay, -1),
        "art_rev_droits_auteur": round(rng.uniform(0, 2_500) if "auteur" in statut else 0, -1),
        "art_rev_droits_voisins": round(rng.uniform(0, 800), -1),
        "art_rev_enregistrements": round(rng.uniform(0, 1_200), -1),
        "art_rev_merchandising": round(rng.uniform(0, 900), -1),
        "art_rev_enseignement": round(
            rng.uniform(3_000, 14_000) if "enseignant" in statut else 0, -1
        ),
        "art_rev_autre_activite": round(rng.uniform(0, 9_000), -1),
        "art_rev_are": round(rng.uniform(6_000, 14_000) if a.intermittent else 0, -1),
        "art_rev_minima_sociaux": round(rng.uniform(1_500, 6_000), -1)
        if not a.intermittent and rng.random() < 0.4
        else 0.0,
        "art_difficultes": rng.sample(
            ["remuneration", "acces_scenes", "mobilite", "administration"], 2
        ),
    }
    artistic = out["art_rev_cachets"] + out["art_rev_droits_auteur"] + out["art_rev_droits_voisins"]
    artistic += out["art_rev_enregistrements"] + out["art_rev_merchandising"]
    total = artistic + out["art_rev_enseignement"] + out["art_rev_autre_activite"]
    total += out["art_rev_are"] + out["art_rev_minima_sociaux"]
    out["art_part_revenu_artistique"] = round(100 * artistic / total, 0) if total else 0.0
    _ = year
    return out
