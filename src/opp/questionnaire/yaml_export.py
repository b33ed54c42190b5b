"""A published questionnaire written back as a `surveys/` YAML file.

The files stay the source of truth for a fresh install: a version published through
co-design is exported here and committed. The stored snapshot is the composed whole
(common core included); the file keeps only the questionnaire's own part and
`include`s the modules, so loading the file gives back exactly the stored version.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml

from opp.questionnaire.model import Questionnaire

MODULE_FOLDER = "socle"


def own_part(questionnaire: Questionnaire, modules: Mapping[str, Questionnaire]) -> dict[str, Any]:
    """The document a file holds: included modules' sections, rules and lists left out."""
    data = questionnaire.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    included = [modules[m.id] for m in questionnaire.composed_from if m.id in modules]
    module_rules = {r.id for m in included for r in m.rules}
    module_lists = {k: v for m in included for k, v in m.choice_lists.items()}
    data.pop("composed_from", None)
    data["kind"] = questionnaire.kind
    data["status"] = questionnaire.status
    sections = []
    for section, dumped in zip(questionnaire.sections, data["sections"], strict=True):
        if section.origin in (None, questionnaire.id):
            dumped.pop("origin", None)
            sections.append(dumped)
    data["sections"] = sections
    if "rules" in data:
        data["rules"] = [r for r in data["rules"] if r["id"] not in module_rules]
    if "choice_lists" in data:
        data["choice_lists"] = {
            k: v
            for k, v in data["choice_lists"].items()
            if k not in module_lists or module_lists[k] != questionnaire.choice_lists[k]
        }
    return {k: v for k, v in _ordered(data).items() if v not in ([], {})}


_ORDER = (
    "id",
    "kind",
    "filiere",
    "audience",
    "version",
    "status",
    "languages",
    "include",
    "title",
    "description",
    "choice_lists",
    "sections",
    "rules",
    "changelog",
)


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in _ORDER if k in data} | {
        k: v for k, v in data.items() if k not in _ORDER
    }


def to_yaml(
    questionnaire: Questionnaire, modules: Mapping[str, Questionnaire], exported_on: str = ""
) -> str:
    header = (
        f"# {questionnaire.title.fr} — version {questionnaire.version}.\n"
        "# Fichier exporté par OPP (`opp export-surveys`) depuis la version publiée"
        + (f", le {exported_on}" if exported_on else "")
        + ".\n# Les identifiants de questions sont stables : on ne renomme pas, on ajoute.\n\n"
    )
    body = yaml.safe_dump(
        own_part(questionnaire, modules), allow_unicode=True, sort_keys=False, width=100
    )
    return header + body


def file_path(questionnaire: Questionnaire) -> PurePosixPath:
    """Where the file goes under `surveys/` (the layout of the shipped files)."""
    folder = MODULE_FOLDER if questionnaire.kind == "module" else questionnaire.filiere
    return PurePosixPath(folder) / f"{questionnaire.id}.yaml"
