"""The README's permission matrix is the one generated from the policy table."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from opp.access import matrix
from opp.access.policy import POLICY, Action, Condition, Resource, filieres_in_scope, may
from opp.access.viewer import Role, Viewer
from opp.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def test_permission_matrix__readme_matches_the_table():
    text = README.read_text(encoding="utf-8")
    assert matrix.replaced(text) == text, (
        "the README's permission matrix differs from src/opp/access/policy.py: "
        "run `make permissions`"
    )


def test_permission_matrix__one_row_per_action_one_column_per_role():
    rows = matrix.markdown().splitlines()
    assert len(rows) == 2 + len(Action)
    assert all(row.count("|") == 2 + len(Role) for row in rows)
    cells = dict(zip(POLICY, rows[2:], strict=True))
    assert cells[Action.READ_AUDIT].endswith("| ✗ | ✗ | ✗ | ✓ |")
    assert 'own filière, consent "réseau" or "ouvert" (audited)' in cells[Action.READ_RESPONSE]


def test_permission_matrix__cli_rewrites_a_stale_readme(tmp_path):
    stale = tmp_path / "README.md"
    stale.write_text(f"# Doc\n\n{matrix.START}\n| old |\n{matrix.END}\n\nSuite.\n")
    outcome = CliRunner().invoke(app, ["permissions-matrix", "--write", str(stale)])
    assert outcome.exit_code == 0, outcome.output
    assert "mise à jour" in outcome.output
    text = stale.read_text()
    assert "| old |" not in text
    assert matrix.markdown() in text
    assert text.startswith("# Doc\n")
    assert text.endswith("Suite.\n")
    again = CliRunner().invoke(app, ["permissions-matrix", "--write", str(stale)])
    assert "déjà à jour" in again.output


def test_permission_matrix__a_readme_without_markers_is_refused_with_a_message(tmp_path):
    bare = tmp_path / "README.md"
    bare.write_text("# Doc\n")
    outcome = CliRunner().invoke(app, ["permissions-matrix", "--write", str(bare)])
    assert outcome.exit_code == 2
    assert "marqueurs" in outcome.output or "markers" in outcome.output
    assert bare.read_text() == "# Doc\n"


# --- the conditions themselves, on stated facts ---------------------------------------------

CIRQUE = Viewer(role=Role.COORDINATEUR, filiere="cirque", account_id="k")
MEMBER = Viewer(role=Role.CONTRIBUTEUR, organisation_id="o1", account_id="c")


@pytest.mark.parametrize(
    ("viewer", "action", "facts", "allowed"),
    [
        (CIRQUE, Action.READ_RESPONSE, Resource(filieres=("cirque",), consent="reseau"), True),
        (CIRQUE, Action.READ_RESPONSE, Resource(filieres=("cirque",), consent="agrege"), False),
        (CIRQUE, Action.READ_RESPONSE, Resource(filieres=("cirque",)), False),
        (CIRQUE, Action.RETIRE_ORGANISATION, Resource(filieres=("cirque",)), True),
        (CIRQUE, Action.RETIRE_ORGANISATION, Resource(filieres=("cirque", "marionnette")), False),
        (MEMBER, Action.READ_CODESIGN, Resource(filieres=("cirque",)), False),
        (
            MEMBER,
            Action.READ_CODESIGN,
            Resource(filieres=("cirque",), viewer_filieres=("cirque",)),
            True,
        ),
        (
            MEMBER,
            Action.WITHDRAW,
            Resource(filieres=("x",), viewer_filieres=("x",), author="c"),
            True,
        ),
        (
            MEMBER,
            Action.WITHDRAW,
            Resource(filieres=("x",), viewer_filieres=("x",), author="d"),
            False,
        ),
        (MEMBER, Action.APPROVE_MEMBER, Resource(organisation_id="o1", account_id="c"), False),
        (MEMBER, Action.APPROVE_MEMBER, Resource(organisation_id="o1", account_id="n"), True),
        (None, Action.READ_CAMPAIGN, None, False),
    ],
)
def test_policy__conditions_on_stated_facts(viewer, action, facts, allowed):
    assert may(viewer, action, facts) is allowed


def test_policy__a_missing_fact_refuses():
    """A rule with a condition never passes on facts the store did not state."""
    for action, cells in POLICY.items():
        for role, rule in cells.items():
            if Condition.OWN_FILIERE in rule.conditions:
                viewer = Viewer(role=role, filiere="cirque", organisation_id="o", account_id="a")
                assert not may(viewer, action, Resource()), (action, role)


def test_policy__filieres_in_scope():
    assert filieres_in_scope(CIRQUE) == ["cirque"]
    assert len(filieres_in_scope(Viewer(role=Role.ADMIN))) == 4
    assert filieres_in_scope(Viewer(role=Role.COREPS)) == []
    assert filieres_in_scope(Viewer(role=Role.COREPS), Action.READ_AGGREGATES) == [
        "arts_de_la_rue",
        "marionnette",
        "cirque",
        "musiques_actuelles",
    ]
    assert filieres_in_scope(None) == []
