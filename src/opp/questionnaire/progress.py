"""Where a response stands, step by step: what is really done, and what blocks submission.

A step (section) is *done* when it is answered (no error, no required answer missing,
no carried-forward answer still to confirm) or confirmed empty ("Rien à déclarer pour
cette section"). Every visible step must be done before a submission: an empty step
passed through is an omission, not an answer. A submitted response's empty steps count
as confirmed empty (submitting before this rule existed was that confirmation).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from opp.questionnaire.model import Questionnaire
from opp.questionnaire.validation import EvalContext, section_statuses

StepState = Literal["answered", "confirmed_empty", "to_confirm", "incomplete", "errors", "empty"]
DONE: tuple[StepState, ...] = ("answered", "confirmed_empty")
# The order in which a summary names the states.
ORDER: tuple[StepState, ...] = (
    "answered",
    "confirmed_empty",
    "to_confirm",
    "incomplete",
    "errors",
    "empty",
)


@dataclass(frozen=True)
class Progress:
    """The state of each visible step, in questionnaire order."""

    states: dict[str, StepState]

    @property
    def total(self) -> int:
        return len(self.states)

    @property
    def done(self) -> int:
        return sum(1 for s in self.states.values() if s in DONE)

    @property
    def left(self) -> list[str]:
        """The steps that still block a submission (section ids, in order)."""
        return [sid for sid, s in self.states.items() if s not in DONE]

    def counts(self) -> dict[StepState, int]:
        found = dict.fromkeys(ORDER, 0)
        for state in self.states.values():
            found[state] += 1
        return found


def progress(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    context: EvalContext | None = None,
    *,
    empty_sections: Collection[str] = (),
    to_confirm: Collection[str] = (),
    submitted: bool = False,
) -> Progress:
    """Each visible step's state from the answers and the contributor's marks."""
    states: dict[str, StepState] = {}
    statuses = section_statuses(questionnaire, answers, context)
    for section in questionnaire.sections:
        status = statuses.get(section.id)
        if status == "hidden" or status is None:
            continue
        if status == "errors":
            states[section.id] = "errors"
        elif status == "incomplete":
            states[section.id] = "incomplete"
        elif status == "empty":
            confirmed = submitted or section.id in empty_sections
            states[section.id] = "confirmed_empty" if confirmed else "empty"
        elif any(q.id in to_confirm and q.id in answers for q in section.questions):
            states[section.id] = "to_confirm"
        else:
            states[section.id] = "answered"
    return Progress(states)
