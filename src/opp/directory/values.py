"""Values of a structure's record, as a spreadsheet user types them → stored values.

Pure functions, one per field: each takes the text of a cell (or a form field) and returns
the normalised value, or raises `OppError` with a `DIR_*` code saying what is wrong and how
to fix it. The import pipeline and the organisation forms use the same functions, and the
store checks every record with them again before writing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Final

from opp import geo
from opp.errors import OppError
from opp.i18n import LANGUAGES, Vocabulary, texts
from opp.referentiel import FILIERES, LABELS, LEGAL_FORMS, STRUCTURE_TYPES, Labels

MAX_NAME = 200
MAX_EMAIL = 254
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what opp.exports neutralises too
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SEPARATORS = re.compile(r"[;,|\n]+")  # between several filières or labels in one cell
_EMAIL = re.compile(r"^[^@\s;,<>]{1,64}@[^@\s;,<>]{1,253}\.[^@\s;,<>.]{2,63}$")
_COMMUNE_WITH_DEP = re.compile(r"^(.*?)\s*\((\d[\dAB])\)$")

# How messages name each field (catalogue messages `dir.field.<field>`).
FIELD_LABELS: Final = Vocabulary(
    "dir.field",
    (
        "name",
        "siret",
        "commune",
        "departement",
        "filieres",
        "structure_type",
        "email",
        "labels",
        "legal_form",
    ),
)

# Words people write for a filière or a structure type besides its code and labels.
_SYNONYMS: dict[str, dict[str, str]] = {
    "filieres": {
        "arts de la rue": "arts_de_la_rue",
        "art de la rue": "arts_de_la_rue",
        "rue": "arts_de_la_rue",
        "art dans l espace public": "arts_de_la_rue",
        "espace public": "arts_de_la_rue",
        "marionnette": "marionnette",
        "marionnettes": "marionnette",
        "theatre d objets": "marionnette",
        "cirque": "cirque",
        "arts du cirque": "cirque",
        "musiques actuelles": "musiques_actuelles",
        "musique actuelle": "musiques_actuelles",
        "musique": "musiques_actuelles",
        "musiques": "musiques_actuelles",
    },
    "structure_type": {
        "compagnie": "compagnie",
        "cie": "compagnie",
        "equipe artistique": "compagnie",
        "groupe": "compagnie",
        "lieu": "lieu",
        "salle": "lieu",
        "salle de spectacle": "lieu",
        "lieu de diffusion": "lieu",
        "theatre": "lieu",
        "festival": "festival",
        "bureau de production": "bureau_production",
        "bureau d accompagnement": "bureau_production",
        "production": "bureau_production",
        "ecole": "ecole",
        "centre de formation": "ecole",
        "formation": "ecole",
        "reseau": "reseau",
        "federation": "reseau",
        "collectivite": "collectivite",
        "regie": "collectivite",
        "artiste": "artiste",
        "musicien": "artiste",
        "musicienne": "artiste",
    },
    "labels": {
        "conventionnement region": "conventionnement_region",
        "region": "conventionnement_region",
        "conventionnement drac": "conventionnement_drac",
        "drac": "conventionnement_drac",
        "scene conventionnee": "scene_conventionnee",
        "cdn": "cdn_ccn",
        "ccn": "cdn_ccn",
    },
    "legal_form": {
        "association loi 1901": "association",
        "asso": "association",
        "sarl": "societe",
        "sas": "societe",
        "eurl": "societe",
        "sasu": "societe",
        "micro entreprise": "micro_entreprise",
        "auto entrepreneur": "micro_entreprise",
        "entreprise individuelle": "micro_entreprise",
    },
}
_VOCABULARIES: dict[str, Labels] = {
    "filieres": FILIERES,
    "structure_type": STRUCTURE_TYPES,
    "labels": LABELS,
    "legal_form": LEGAL_FORMS,
}


def clean_text(text: str | None) -> str:
    """NFC, outer spaces removed, inner runs of spaces collapsed; control characters and
    formulas are refused (a cell starting with '=' is a formula whatever the field)."""
    value = unicodedata.normalize("NFC", str(text or ""))
    if value.startswith("="):
        raise OppError("DIR_FORMULA", value=value[:40])
    if _CONTROL.search(value.replace("\t", " ").replace("\r", " ").strip()):
        raise OppError("DIR_CONTROL_CHAR")
    return " ".join(value.split())


def parse_name(text: str | None) -> str:
    raw = unicodedata.normalize("NFC", str(text or ""))
    if raw[:1] in FORMULA_START and raw[:1] != "=":
        shown = {"\t": "tabulation", "\r": "retour chariot"}.get(raw[0], raw[0])
        raise OppError("DIR_FORMULA_LIKE", value=raw.strip()[:40], char=shown)
    name = clean_text(raw)
    if not name:
        raise OppError("DIR_REQUIRED", field=FIELD_LABELS["name"], hint=hint("name"))
    if len(name) > MAX_NAME:
        raise OppError("DIR_TOO_LONG", field=FIELD_LABELS["name"], length=len(name), limit=MAX_NAME)
    return name


def siret_key_ok(digits: str) -> bool:
    """The Luhn key of a SIRET. La Poste's establishments (SIREN 356000000) other than its
    head office use instead a sum of digits divisible by 5."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    if total % 10 == 0:
        return True
    return digits.startswith("356000000") and sum(int(d) for d in digits) % 5 == 0


def parse_siret(text: str | None) -> str | None:
    """14 digits with a valid key; spaces, dots and dashes typed between groups are fine.
    A number a spreadsheet stripped of its leading zero (13 digits) gets it back."""
    raw = clean_text(text)
    if not raw:
        return None
    if re.fullmatch(r"\d+\.0+", raw):  # a number a spreadsheet wrote as a decimal
        raw = raw.split(".")[0]
    digits = re.sub(r"[\s.\-_/]", "", raw)
    if not digits.isdigit() or not digits.isascii():
        count = sum(c.isdigit() for c in digits)
        raise OppError("DIR_SIRET_FORMAT", value=raw[:40], count=count)
    if len(digits) == 13:
        digits = "0" + digits
    if len(digits) == 9:
        raise OppError("DIR_SIRET_SIREN", value=raw[:40])
    if len(digits) != 14:
        raise OppError("DIR_SIRET_FORMAT", value=raw[:40], count=len(digits))
    if not siret_key_ok(digits):
        raise OppError("DIR_SIRET_KEY", value=raw[:40])
    return digits


def parse_commune(text: str | None) -> str | None:
    """An INSEE code of a commune of Occitanie (a number a spreadsheet shortened to four
    digits gets its leading zero back), or a commune's name when it names one commune
    (`Nom (dép.)` otherwise)."""
    raw = clean_text(text)
    if not raw:
        return None
    communes = geo.communes()
    code = raw.upper()
    if re.fullmatch(r"\d+(\.0+)?", code):
        code = code.split(".")[0].zfill(5)
    if code in communes:
        return code
    if re.fullmatch(r"\d{5}", code):
        raise OppError("DIR_COMMUNE_UNKNOWN", value=raw[:60])
    name, departement = raw, None
    match = _COMMUNE_WITH_DEP.match(raw)
    if match:
        name, departement = match.group(1), match.group(2)
    wanted = geo.fold(name)
    found = [
        c
        for c in communes.values()
        if geo.fold(c.nom) == wanted and (departement is None or c.departement == departement)
    ]
    if len(found) == 1:
        return found[0].code
    if found:
        candidates = [f"{c.label()} {c.code}" for c in found[:6]]
        raise OppError("DIR_COMMUNE_AMBIGUOUS", value=raw[:60], candidates=candidates)
    raise OppError("DIR_COMMUNE_UNKNOWN", value=raw[:60])


def parse_departement(text: str | None) -> str | None:
    raw = clean_text(text)
    if not raw:
        return None
    code = raw.split(" ")[0].strip("()")
    if code.isdigit():
        code = code.zfill(2)
    if code in geo.DEPARTEMENTS:
        return code
    wanted = geo.fold(raw)
    for number, name in geo.DEPARTEMENTS.items():
        if geo.fold(name) == wanted:
            return number
    return raw[:40]  # compared with the commune's département by the caller


@cache
def _index(field: str) -> dict[str, str]:
    """Folded code, French and English labels and synonyms of a vocabulary → its code."""
    index: dict[str, str] = {}
    for code, labels in _VOCABULARIES[field].items():
        for text in (code, labels["fr"], labels.get("en", "")):
            index.setdefault(geo.fold(text), code)
    for text, code in _SYNONYMS.get(field, {}).items():
        index.setdefault(text, code)
    index.pop("", None)
    return index


@lru_cache(maxsize=4096)  # a directory repeats the same few values on every row
def _lookup(field: str, text: str) -> str:
    """A code of the field's vocabulary from its code, French or English label (accents,
    case and punctuation ignored) or a common synonym."""
    code = _index(field).get(geo.fold(text))
    if code is None:
        raise OppError(
            "DIR_VALUE_UNKNOWN", field=FIELD_LABELS[field], value=text[:60], expected=hint(field)
        )
    return code


def parse_structure_type(text: str | None) -> str:
    raw = clean_text(text)
    if not raw:
        raise OppError(
            "DIR_REQUIRED", field=FIELD_LABELS["structure_type"], hint=hint("structure_type")
        )
    return _lookup("structure_type", raw)


def parse_legal_form(text: str | None) -> str | None:
    raw = clean_text(text)
    return _lookup("legal_form", raw) if raw else None


def _several(field: str, text: str | None) -> list[str]:
    raw = clean_text(text)
    codes: list[str] = []
    for part in _SEPARATORS.split(raw):
        part = part.strip()
        if part and geo.fold(part) not in {"aucun", "aucune", "none", "non"}:
            code = _lookup(field, part)
            if code not in codes:
                codes.append(code)
    return codes


def parse_filieres(text: str | None) -> list[str]:
    """One or several filières, separated by ';', ',', '|' or line breaks (filière labels
    themselves contain '/' and 'et')."""
    return _several("filieres", text)


def parse_labels(text: str | None) -> list[str]:
    return _several("labels", text)


def parse_email(text: str | None) -> str | None:
    raw = clean_text(text)
    if not raw:
        return None
    value = raw.lower().removeprefix("mailto:")
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise OppError("DIR_EMAIL_INVALID", value=raw[:80])
    return value


def hint(field: str) -> dict[str, str] | str:
    """What a field accepts, in both languages (for messages)."""
    if field == "name":
        return texts("dir.field.name_hint")
    vocabulary = _VOCABULARIES[field]
    return {
        lang: ", ".join(f"{code} ({vocabulary.label(code, lang)})" for code in vocabulary)
        for lang in LANGUAGES
    }
