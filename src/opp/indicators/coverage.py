"""Which questions were asked which year, so figures can say when one was not.

Questionnaires evolve (co-design adds, retires questions); each campaign is bound to a
version. An indicator resting on a question that a year's questionnaires did not ask
has no answers that year: the figure is withheld or rests on fewer questionnaires, and
the dashboard must say why rather than show a gap or a misleading trend.
"""

from __future__ import annotations

from dataclasses import dataclass

from opp.access.viewer import SYSTEM
from opp.i18n import LANGUAGES, gettext
from opp.indicators.engine import Filters
from opp.indicators.model import Indicator
from opp.questionnaire.model import L10n
from opp.services import campaigns, questionnaires
from opp.store.db import Store


@dataclass(frozen=True)
class Asked:
    """The questions of the version one campaign used."""

    reference_year: int
    filiere: str
    audience: str
    key: str  # questionnaire@version
    questions: frozenset[str]


@dataclass(frozen=True)
class Coverage:
    asked: tuple[Asked, ...]
    labels: dict[str, L10n]  # latest wording of every question ever asked


def load(store: Store) -> Coverage:
    """One row per campaign (definitions are memoised, so this is cheap)."""
    asked: list[Asked] = []
    labels: dict[str, L10n] = {}
    for year, filiere, questionnaire_id, version in campaigns.versions_asked(store):
        q = questionnaires.get(store, SYSTEM, questionnaire_id, version)
        asked.append(Asked(year, filiere, q.audience, q.key, frozenset(q.questions)))
        labels |= {qid: question.label for qid, question in q.questions.items()}
    return Coverage(tuple(asked), labels)


def notes(
    coverage: Coverage, indicator: Indicator, filters: Filters, breakdown: str | None
) -> list[dict[str, str]]:
    """French/English notes for the years shown where the indicator's questions were
    missing from all (or some) of the questionnaires of the population."""
    if indicator.kind == "participation":
        return []
    relevant = [
        a
        for a in coverage.asked
        if a.audience == indicator.audience
        and (indicator.filieres is None or a.filiere in indicator.filieres)
        and (filters.filiere is None or a.filiere == filters.filiere)
    ]
    used = sorted(q for q in indicator.used_questions() if any(q in a.questions for a in relevant))
    if breakdown == "reference_year":
        years = sorted({a.reference_year for a in relevant})
    else:
        years = [filters.reference_year] if filters.reference_year is not None else []
    out: list[dict[str, str]] = []
    for year in years:
        those = [a for a in relevant if a.reference_year == year]
        for question in used:
            lacking = sorted({a.key for a in those if question not in a.questions})
            if not those or not lacking:
                continue
            label = coverage.labels[question]
            versions = ", ".join(lacking)
            which = "not_asked" if len(lacking) == len({a.key for a in those}) else "not_in"
            out.append(
                {
                    lang: gettext(
                        f"coverage.{which}",
                        lang,
                        label=label.get(lang),
                        year=year,
                        versions=versions,
                    )
                    for lang in LANGUAGES
                }
            )
    return out
