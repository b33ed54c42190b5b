"""Values of the directory as spreadsheet users type them: SIRET (Luhn key), INSEE codes
and commune names, filières and structure types as codes or labels, headers' variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opp.directory import values
from opp.directory.entry import check_fields
from opp.directory.headers import field_of, is_header
from opp.errors import OppError
from opp.referentiel import LABELS, LEGAL_FORMS


def luhn(digits13: str) -> str:
    """Complete 13 digits into a SIRET with a valid key."""
    for last in "0123456789":
        if values.siret_key_ok(digits13 + last):
            return digits13 + last
    raise AssertionError


def _code(call, *args) -> str:
    with pytest.raises(OppError) as info:
        call(*args)
    return info.value.code


def test_siret__typed_with_spaces_dots_or_as_a_spreadsheet_number():
    siret = luhn("4418000000012")
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert values.parse_siret(spaced) == siret
    assert values.parse_siret(siret[:3] + "." + siret[3:]) == siret
    assert values.parse_siret(f"{int(siret)}.0") == siret
    assert values.parse_siret("") is None


def test_siret__leading_zero_dropped_by_a_spreadsheet_comes_back():
    siret = luhn("0123456789012")
    assert values.parse_siret(siret[1:]) == siret


def test_siret__wrong_length_siren_and_bad_key_are_refused_with_their_reason():
    siret = luhn("4418000000012")
    assert _code(values.parse_siret, siret[:9]) == "DIR_SIRET_SIREN"
    assert _code(values.parse_siret, "12345") == "DIR_SIRET_FORMAT"
    assert _code(values.parse_siret, "SIRET inconnu") == "DIR_SIRET_FORMAT"
    bad = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    assert _code(values.parse_siret, bad) == "DIR_SIRET_KEY"


def test_siret__la_poste_establishments_use_their_own_key():
    # La Poste (SIREN 356 000 000): its head office follows Luhn, its other
    # establishments have a sum of digits that is a multiple of 5.
    assert values.parse_siret("35600000000048") == "35600000000048"
    assert values.parse_siret("35600000012346") == "35600000012346"
    assert _code(values.parse_siret, "35600000012347") == "DIR_SIRET_KEY"


@given(st.from_regex(r"[1-9][0-9]{12}", fullmatch=True), st.integers(0, 13), st.integers(1, 9))
def test_siret__every_single_mistyped_digit_is_caught(base, position, shift):
    siret = luhn(base)
    assert values.parse_siret(siret) == siret
    wrong = siret[:position] + str((int(siret[position]) + shift) % 10) + siret[position + 1 :]
    if wrong.startswith("356000000"):
        return  # La Poste's own rule
    with pytest.raises(OppError):
        values.parse_siret(wrong)


def test_commune__insee_code_name_and_name_with_departement():
    assert values.parse_commune("31555") == "31555"
    assert values.parse_commune(" 9001 ") == "09001"  # Ariège, leading zero lost
    assert values.parse_commune("Toulouse") == "31555"
    assert values.parse_commune("saint-girons") == values.parse_commune("St Girons")
    assert values.parse_commune("Mirepoix (09)") == "09194"
    assert values.parse_commune("") is None


def test_commune__postcode_unknown_and_ambiguous_names_say_how_to_fix():
    with pytest.raises(OppError) as info:
        values.parse_commune("31000")
    assert info.value.code == "DIR_COMMUNE_UNKNOWN"
    assert "pas le code postal" in info.value.message("fr")
    with pytest.raises(OppError) as info:
        values.parse_commune("Mirepoix")
    assert info.value.code == "DIR_COMMUNE_AMBIGUOUS"
    assert "09194" in info.value.message("fr")
    assert _code(values.parse_commune, "75056") == "DIR_COMMUNE_UNKNOWN"  # Paris


def test_filieres__codes_labels_synonyms_several_in_one_cell():
    assert values.parse_filieres("cirque") == ["cirque"]
    assert values.parse_filieres("Arts du cirque") == ["cirque"]
    assert values.parse_filieres("Art dans l'espace public / arts de la rue") == ["arts_de_la_rue"]
    assert values.parse_filieres("Marionnette et théâtre d'objets; MUSIQUES ACTUELLES") == [
        "marionnette",
        "musiques_actuelles",
    ]
    assert values.parse_filieres("cirque, cirque") == ["cirque"]
    with pytest.raises(OppError) as info:
        values.parse_filieres("jonglerie")
    assert "arts_de_la_rue" in info.value.message("fr")


def test_structure_type_labels_legal_form__code_or_french_label():
    assert values.parse_structure_type("Lieu de diffusion") == "lieu"
    assert values.parse_structure_type("équipe artistique") == "compagnie"
    assert values.parse_structure_type("Festival") == "festival"
    for code, text in LABELS.items():
        assert values.parse_labels(text["fr"]) == [code]
    assert values.parse_labels("SMAC ; Conventionnement avec la DRAC Occitanie") == [
        "smac",
        "conventionnement_drac",
    ]
    assert values.parse_labels("Aucun") == []
    for code, text in LEGAL_FORMS.items():
        assert values.parse_legal_form(text["fr"]) == code
    assert values.parse_legal_form("SARL") == "societe"


def test_referentiel__labels_and_legal_forms_are_the_common_core_choices(catalogue):
    core = catalogue.get("cirque")
    labels = {c.value for c in core.questions["labels"].choices if c.value != "aucun"}
    forms = {c.value for c in core.questions["forme_juridique"].choices}
    assert labels == set(LABELS)
    assert forms == set(LEGAL_FORMS)


def test_name__formulas_controls_and_length_are_refused_html_is_kept_as_text():
    assert values.parse_name("  Cie   des  Pas  Perdus ") == "Cie des Pas Perdus"
    assert values.parse_name("<b>Cie</b> & Co") == "<b>Cie</b> & Co"
    for formula in ("=1+1", "+33612", "-Cie-", "@SUM(A1)", "\tCie"):
        assert _code(values.parse_name, formula) in {"DIR_FORMULA", "DIR_FORMULA_LIKE"}
    assert _code(values.parse_name, "Cie\x00x") == "DIR_CONTROL_CHAR"
    assert _code(values.parse_name, "x" * 201) == "DIR_TOO_LONG"
    assert _code(values.parse_name, "   ") == "DIR_REQUIRED"


def test_email__one_address():
    assert values.parse_email("Contact@Cie.FR") == "contact@cie.fr"
    assert values.parse_email("mailto:a@b.fr") == "a@b.fr"
    assert _code(values.parse_email, "a@b.fr; c@d.fr") == "DIR_EMAIL_INVALID"
    assert _code(values.parse_email, "pas une adresse") == "DIR_EMAIL_INVALID"


def test_check_fields__names_the_field_of_the_first_problem():
    with pytest.raises(OppError) as info:
        check_fields(name="Cie", structure_type="compagnie", filieres=["cirque"], siret="123")
    assert info.value.message("fr").startswith("SIRET :")
    with pytest.raises(OppError) as info:
        check_fields(name="Cie", structure_type="compagnie", filieres=[])
    assert info.value.code == "ORG_FILIERE_REQUIRED"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("nom", "name"),
        ("Nom de la structure", "name"),
        ("NOM", "name"),
        ("Raison sociale", "name"),
        ("siret", "siret"),
        ("N° SIRET", "siret"),
        ("Numéro SIRET de l'établissement", "siret"),
        ("code_commune", "commune"),
        ("Code INSEE", "commune"),
        ("Commune (code)", "commune"),
        ("Code INSEE de la commune", "commune"),
        ("Nom de la commune", "commune"),
        ("Ville", "commune"),
        ("filiere", "filieres"),
        ("Filière(s)", "filieres"),
        ("FILIERES", "filieres"),
        ("type_structure", "structure_type"),
        ("Type de structure", "structure_type"),
        ("E-mail", "email"),
        ("Courriel", "email"),
        ("Adresse électronique", "email"),
        ("labels", "labels"),
        ("Labels / conventionnements", "labels"),
        ("Forme juridique", "legal_form"),
        ("Département", "departement"),
        ("Téléphone", None),
        ("", None),
    ],
)
def test_headers__spreadsheet_variants(header, field):
    assert field_of(header) == field


def test_headers__a_title_row_is_not_a_header():
    assert not is_header(["Annuaire des structures 2025", "", ""])
    assert is_header(["Nom", "Code INSEE", "Téléphone"])
