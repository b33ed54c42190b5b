"""Column headers as spreadsheet users write them → the directory's fields.

Headers are compared folded (case, accents, punctuation and spacing ignored: "N° SIRET",
"Commune (code)", "E-mail", "Filière(s)"), first against known names, then by the word
that gives them away ("Code INSEE de la commune" → commune). Unknown columns are ignored
and reported; two columns for the same field are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opp.geo import fold

# The documented header of each field (what the template and messages show).
CANONICAL: dict[str, str] = {
    "name": "nom",
    "siret": "siret",
    "commune": "code_commune",
    "filieres": "filiere",
    "structure_type": "type_structure",
    "email": "email",
    "labels": "labels",
    "legal_form": "forme_juridique",
    "departement": "departement",
}

_ALIASES: dict[str, set[str]] = {
    "name": {
        "nom",
        "nom de la structure",
        "nom structure",
        "nom de structure",
        "structure",
        "raison sociale",
        "denomination",
        "nom usuel",
        "organisation",
        "nom de l organisation",
        "name",
    },
    "siret": {"siret", "n siret", "no siret", "numero siret", "numero de siret", "code siret"},
    "commune": {
        "code commune",
        "commune code",
        "code insee",
        "insee",
        "code insee commune",
        "code commune insee",
        "cog",
        "commune",
        "ville",
        "nom de la commune",
        "localite",
    },
    "filieres": {"filiere", "filieres", "filiere s", "discipline", "disciplines"},
    "structure_type": {
        "type structure",
        "type de structure",
        "type",
        "categorie",
        "type d organisation",
    },
    "email": {
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse email",
        "adresse e mail",
        "adresse mail",
        "adresse electronique",
        "adresse courriel",
    },
    "labels": {"labels", "label", "label s", "labels et conventionnements", "conventionnement"},
    "legal_form": {"forme juridique", "statut juridique", "statut"},
    "departement": {"departement", "dept", "dep", "code departement", "n departement"},
}
_FOLDED_ALIASES = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

# When no alias matches: the word that gives the field away, in this order ("nom de la
# commune" is a commune, "code INSEE" too).
_GIVEAWAYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("siret", ("siret",)),
    ("commune", ("insee",)),
    ("email", ("mail", "courriel")),
    ("filieres", ("filiere", "filieres")),
    ("structure_type", ("type",)),
    ("labels", ("label", "labels", "conventionnement", "conventionnements")),
    ("legal_form", ("juridique",)),
    ("departement", ("departement",)),
    ("commune", ("commune", "ville")),
    ("name", ("nom", "denomination", "raison")),
)


def field_of(header: str) -> str | None:
    """The field a header stands for, or None."""
    folded = fold(header or "")
    if not folded:
        return None
    if folded in _FOLDED_ALIASES:
        return _FOLDED_ALIASES[folded]
    words = set(folded.split())
    for name, giveaways in _GIVEAWAYS:
        if words & set(giveaways):
            return name
    return None


@dataclass
class HeaderMap:
    columns: dict[str, int] = field(default_factory=dict)  # field → column index
    titles: dict[str, str] = field(default_factory=dict)  # field → header as written
    ignored: list[str] = field(default_factory=list)
    twice: list[tuple[str, str, str]] = field(default_factory=list)  # field, first, second

    def get(self, cells: list[str], name: str) -> str | None:
        """The cell of a field in a row; None when the file has no such column."""
        index = self.columns.get(name)
        if index is None:
            return None
        return cells[index] if index < len(cells) else ""


def map_headers(header: list[str]) -> HeaderMap:
    found = HeaderMap()
    for index, title in enumerate(header):
        text = (title or "").strip()
        if not text:
            continue
        name = field_of(text)
        if name is None:
            found.ignored.append(text)
        elif name in found.columns:
            found.twice.append((name, found.titles[name], text))
        else:
            found.columns[name] = index
            found.titles[name] = text
    return found


def is_header(cells: list[str]) -> bool:
    """A header row names at least the structure and one other field."""
    fields = {field_of(c) for c in cells if c and c.strip()}
    return "name" in fields and len(fields - {None}) >= 2


def accepted() -> str:
    """The documented headers, for messages."""
    return ", ".join(CANONICAL.values())
