"""Messages as a person reads them: a sentence starts with a capital, units follow the
interface language."""

from __future__ import annotations

import pytest

from opp.error_catalogue import CATALOGUE
from opp.errors import OppError
from opp.referentiel import unit_suffix


def test_messages__a_message_on_its_own_starts_with_a_capital() -> None:
    # Before: "adresse électronique ou mot de passe incorrect…" on the sign-in page.
    assert OppError("AUTH_FAILED").message("fr").startswith("Adresse électronique")
    assert OppError("AUTH_FAILED").message("en")[0].isupper()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_messages__every_catalogue_message_starts_with_a_capital(code: str) -> None:
    for lang in ("fr", "en"):
        text = OppError(code).message(lang)
        first = text.lstrip("«'\"(")[:1]
        assert not first.isalpha() or first.isupper(), (code, lang, text)


def test_messages__after_a_location_the_message_goes_on_in_lower_case() -> None:
    located = OppError("AUTH_FAILED", file="x.yaml", line=3).message("fr")
    assert "x.yaml" in located
    assert ": adresse électronique" in located


def test_units__full_time_equivalents_in_each_language() -> None:
    # Before: "144 ETP" on the English interface.
    assert unit_suffix("fte", "fr") == " ETP"
    assert unit_suffix("fte", "en") == " FTE"
    assert unit_suffix("count", "en") == ""
