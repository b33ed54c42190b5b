"""Every page speaks one language: in English no French interface text, in French no
English one (questionnaire and indicator content, place and organisation names aside),
and numbers formatted the reader's way.

The sweep reads every string the page sent to the browser (labels, help texts,
captions, alerts, options, table headers and cells, chart specifications) and looks for
words that belong to the other language only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf.descriptor import FieldDescriptor

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
VIEWERS = ["admin", "coreps", "coord:cirque", "contrib:cirque", None]  # None: signed out

# Words of one language that the other does not use (as whole words, any case).
FRENCH = {
    "le", "la", "les", "des", "du", "une", "est", "sont", "pour", "avec", "dans", "sur",
    "vous", "votre", "vos", "aucun", "aucune", "pas", "aux", "cette", "ces", "qui", "ne",
    "mais", "chaque", "leur", "leurs", "année", "données", "réponse", "réponses",
    "filière", "filières", "télécharger", "enregistrer",
    "modifier", "ajouter", "retirer", "campagne", "campagnes", "accueil", "chiffres",
    "égalité", "emploi", "compte", "mot", "passe", "courriel", "oui", "non", "ou", "et",
    "statistique", "envoyer", "envoyée", "fermer", "clore", "publier", "être",
}  # fmt: skip
ENGLISH = {
    "the", "and", "of", "your", "with", "for", "this", "from", "download", "save",
    "organisation", "organisations", "answer", "answers", "yes", "no", "branch",
    "branches", "figures", "sign", "password", "employment", "equality", "touring",
    "release", "campaign", "campaigns", "submit", "submitted", "edit", "remove", "add",
    "which", "what", "when", "there", "their", "been", "have", "has", "not",
}  # fmt: skip
# whole words only: not inside identifiers (from_level) or hexadecimal ids
WORD = re.compile(r"(?<![\w-])[A-Za-zÀ-ÖØ-öø-ÿŒœ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿŒœ]+)*(?![\w-])")
ESCAPE = re.compile(r"\\(.)")  # Markdown escapes: \( → (
QUOTED = re.compile(r"«[^»]*»")  # names quoted in French (a tab, a README section, a title)
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|/\S+")  # e-mail addresses, links, paths
SKIPPED_FIELDS = {"id", "form_id", "key", "icon", "type", "url", "help_url", "page_script_hash"}


def _strings(message: Any) -> list[str]:
    """Every string field of a protobuf message, nested messages included."""
    out: list[str] = []
    for field, value in message.ListFields():
        if field.name in SKIPPED_FIELDS:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if field.type == FieldDescriptor.TYPE_STRING:
                out.extend(_json_strings(item) if item.startswith('{"') else [item])
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                out.extend(_strings(item))
    return out


def _json_strings(text: str) -> list[str]:
    """The string values of a JSON document (a Plotly chart's specification)."""
    try:
        document = json.loads(text)
    except ValueError:
        return [text]
    out: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("bdata", "dtype", "shape", "template"):
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and "color" not in key:
            out.append(value)

    walk(document)
    return out


def page_texts(at: Any) -> list[str]:
    """The texts of everything drawn: element and block protos, and the headers and
    string cells of tables (sent as Arrow data, not strings)."""
    texts: list[str] = []

    def visit(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            texts.extend(_strings(proto))
        if type(node).__name__ == "Dataframe":
            frame = node.value
            texts.extend(str(c) for c in frame.columns)
            for column in frame.columns:
                if frame[column].dtype == object:
                    texts.extend(str(v) for v in frame[column].dropna().unique()[:50])
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return texts


def _yaml_french(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "fr" and isinstance(item, str):
                out.add(item.strip())
            elif key != "en":
                _yaml_french(item, out)
    elif isinstance(value, list):
        for item in value:
            _yaml_french(item, out)
    elif isinstance(value, str):
        out.add(value.strip())


@pytest.fixture(scope="module")
def content(demo_file) -> list[str]:
    """Texts that are content, not interface: questionnaires and indicators (YAML, French
    where no English was written), names of organisations, people and places."""
    from opp import geo
    from opp.store import open_store

    texts: set[str] = set()
    for path in (ROOT / "src" / "opp" / "data" / "surveys").rglob("*.yaml"):
        _yaml_french(yaml.safe_load(path.read_text(encoding="utf-8")), texts)
    store = open_store(demo_file)
    try:
        cur = store.cursor()
        for sql in (
            "SELECT name FROM organisations",
            "SELECT display_name FROM accounts",
            "SELECT title_fr FROM campaigns",
            "SELECT rationale FROM proposals",  # what people wrote, in their language
            "SELECT body FROM proposal_comments",
        ):
            texts.update(str(r[0]) for r in cur.execute(sql).fetchall() if r[0])
    finally:
        store.close()
    texts.update(c.nom for c in geo.communes().values())
    texts.update(str(name) for name in geo.DEPARTEMENTS.values())
    texts.update(str(name) for name in geo.REGIONS.values())
    texts.update(("Occitanie en scène", "Occitanie", "Coreps", "OPP"))
    return sorted((t for t in texts if len(t) > 2), key=len, reverse=True)


def foreign(texts: list[str], words: set[str], content: list[str]) -> list[str]:
    """The texts holding a word of the other language, content removed first."""
    found = []
    for text in texts:
        rest = ESCAPE.sub(r"\1", text)
        for known in content:
            if known in rest:
                rest = rest.replace(known, " ")
        rest = QUOTED.sub(" ", rest)
        hits = {w.lower() for w in WORD.findall(ADDRESS.sub(" ", rest))} & words
        if hits:
            found.append(f"{sorted(hits)}: {text[:160]}")
    return found


def _visible(demo_file, page: str, viewer_key: str | None) -> bool:
    from conftest import demo_viewer

    from opp.ui.navigation import PAGES as MENU
    from opp.ui.navigation import visible

    viewer = demo_viewer(demo_file, viewer_key) if viewer_key else None
    return visible(next(spec for spec in MENU if spec.path == page), viewer)


CASES = [(page, viewer) for page in PAGES for viewer in VIEWERS]


@pytest.mark.parametrize(("page", "viewer_key"), CASES)
def test_languages__an_english_page_shows_no_french(run_app, demo_file, content, page, viewer_key):
    if not _visible(demo_file, page, viewer_key):
        pytest.skip("not offered to this viewer")
    at = run_app(demo_file, page, viewer_key=viewer_key, lang="en")
    assert not at.exception
    found = foreign(page_texts(at), FRENCH, content)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("page", PAGES)
def test_languages__a_french_page_shows_no_english(run_app, demo_file, content, page):
    viewer_key = next(v for v in VIEWERS if _visible(demo_file, page, v))
    at = run_app(demo_file, page, viewer_key=viewer_key, lang="fr")
    assert not at.exception
    found = foreign(page_texts(at), ENGLISH, content)
    assert not found, "\n".join(found)


def _on_screen(element: Any) -> list[list[str]]:
    """The cells a table shows (Streamlit draws a styled table's display values)."""
    import pyarrow as pa

    reader = pa.ipc.open_stream(element.proto.arrow_data.styler.display_values)
    return [[str(v) for v in row.values()] for row in reader.read_all().to_pylist()]


FORMATS = {
    # a whole amount, a percentage with one decimal, a count with a thousands separator
    "fr": (r"^\d{1,3}(\u202f\d{3})*\u00a0€$", r"^\d{1,3},\d\u00a0%$", r"^\d{1,3}(\u202f\d{3})+"),
    "en": (r"^€\d{1,3}(,\d{3})*$", r"^\d{1,3}\.\d%$", r"^\d{1,3}(,\d{3})+"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_numbers__cards_and_tables_of_a_page_read_the_same_way(run_app, demo_file, lang):
    """Before: French cards said "48,6 %" beside tables showing 10781200 and 68.7, and
    English cards "124,721,066 €" and "43.9 %"."""
    amount, percent, count = FORMATS[lang]
    at = run_app(demo_file, "pages/economie.py", viewer_key="admin", lang=lang)
    values = [m.value for m in at.metric]
    assert re.match(amount, values[0]), values  # total budget
    assert re.match(amount, values[1]), values  # median budget
    assert re.match(percent, values[2]), values  # share of own revenue
    cells = [cell for row in _on_screen(at.dataframe[0]) for cell in row]
    big = [c for c in cells if re.match(r"^\d[\d\u202f,.]{4,}$", c)]
    assert big, cells
    assert all(re.match(count, c) for c in big), big  # 10 781 200 / 10,781,200, never 10781200
    other = {"fr": ".", "en": "\u202f"}[lang]
    assert not any(other in c for c in cells), cells
    at = run_app(demo_file, "pages/emploi.py", viewer_key="admin", lang=lang)
    artists = next(
        m.value for m in at.metric if m.label in ("Artistes intermittents", "Intermittent artists")
    )
    assert re.match(count, artists), artists
