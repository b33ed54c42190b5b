"""Every file in surveys/ loads through the real pipeline (read → parse → validate)."""

from __future__ import annotations

import pytest

from opp.questionnaire.catalogue import load_catalogue, survey_files
from opp.questionnaire.loader import load_file


@pytest.mark.parametrize("path", survey_files(), ids=lambda p: p.name)
def test_surveys__each_file_loads(path):
    catalogue = load_catalogue()
    located = load_file(path, catalogue.modules)
    q = located.questionnaire
    assert q.questions, f"{path} has no question"
    assert q.status == "published"
    assert q.changelog
    assert q.changelog[-1].version == q.version


def test_surveys__composed_questionnaires_share_the_common_core():
    catalogue = load_catalogue()
    for q in catalogue.all():
        if q.audience == "structure":
            assert [m.id for m in q.composed_from] == ["socle_commun"]
            assert "effectif_permanent" in q.questions
