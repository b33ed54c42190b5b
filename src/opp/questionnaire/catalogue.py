"""All questionnaire files of a `surveys/` folder, loaded and composed.

Modules (`kind: module`, e.g. the common core) are loaded first so questionnaires can
include them. The files are the source of truth for a fresh install; the store keeps a
snapshot of each published version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from opp import settings
from opp.errors import OppError, OppErrorGroup, did_you_mean
from opp.questionnaire.loader import Located, load_doc
from opp.questionnaire.model import Questionnaire
from opp.questionnaire.yaml_source import SourceDoc, parse_yaml, read_text

NOT_QUESTIONNAIRES = {"indicators", "policy", "dashboards"}  # indicators, policy, pages


@dataclass
class SurveyCatalogue:
    questionnaires: dict[str, Located] = field(default_factory=dict)
    modules: dict[str, Located] = field(default_factory=dict)

    def get(self, questionnaire_id: str) -> Questionnaire:
        located = self.questionnaires.get(questionnaire_id) or self.modules.get(questionnaire_id)
        if located is None:
            known = sorted(self.questionnaires)
            raise OppError(
                "Q_NOT_FOUND",
                value=questionnaire_id,
                expected=known,
                suggestion=did_you_mean(questionnaire_id, known),
            )
        return located.questionnaire

    def for_filiere(self, filiere: str) -> list[Questionnaire]:
        return [
            loc.questionnaire
            for loc in self.questionnaires.values()
            if loc.questionnaire.filiere == filiere
        ]

    def all(self) -> list[Questionnaire]:
        return [loc.questionnaire for loc in self.questionnaires.values()]


def survey_files(root: Path | None = None) -> list[Path]:
    """Every questionnaire file under `root` (indicator definitions excluded)."""
    root = root or settings.surveys_dir()
    return sorted(
        p
        for p in root.rglob("*.yaml")
        if not (set(p.relative_to(root).parts[:-1]) & NOT_QUESTIONNAIRES)
    )


def load_catalogue(root: Path | None = None) -> SurveyCatalogue:
    """Load modules, then questionnaires; report every broken file at once."""
    root = root or settings.surveys_dir()
    docs: list[SourceDoc] = []
    errors: list[OppError] = []
    for path in survey_files(root):
        try:
            docs.append(parse_yaml(read_text(path), _display_path(path, root)))
        except OppError as exc:
            errors.append(exc)
    catalogue = SurveyCatalogue()
    module_docs = [d for d in docs if isinstance(d.data, dict) and d.data.get("kind") == "module"]
    other_docs = [d for d in docs if d not in module_docs]
    for doc in module_docs:
        try:
            located = load_doc(doc, {})
            catalogue.modules[located.questionnaire.id] = located
        except OppError as exc:
            errors.append(exc)
    for doc in other_docs:
        try:
            located = load_doc(doc, catalogue.modules)
            catalogue.questionnaires[located.questionnaire.id] = located
        except OppError as exc:
            errors.append(exc)
    if errors:
        flat: list[OppError] = []
        for err in errors:
            flat += err.errors if isinstance(err, OppErrorGroup) else [err]
        raise OppErrorGroup(flat)
    return catalogue


def _display_path(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)
