"""Content of the questionnaire files in `surveys/`: bilingual texts, the id contract
other parts of OPP rely on (demo data, indicators), filière prefixes, stable ids, and the
behaviour of the main consistency rules."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from opp.questionnaire.catalogue import SurveyCatalogue, load_catalogue
from opp.questionnaire.model import Questionnaire, RepeatQuestion, _WithChoices
from opp.questionnaire.validation import EvalContext, validate_answers

CORE = "socle_commun"
STRUCTURE_QUESTIONNAIRES = ("arts_de_la_rue", "marionnette", "cirque", "musiques_actuelles")
ARTISTS = "artistes_musiques_actuelles"
QUESTIONNAIRES = (*STRUCTURE_QUESTIONNAIRES, ARTISTS)
ALL_IDS = (CORE, *QUESTIONNAIRES)

PREFIX = {
    "arts_de_la_rue": "adr_",
    "marionnette": "mar_",
    "cirque": "cir_",
    "musiques_actuelles": "mus_",
    ARTISTS: "art_",
}
EXPECTED_HEADER = {
    CORE: ("module", "commun", "structure"),
    "arts_de_la_rue": ("questionnaire", "arts_de_la_rue", "structure"),
    "marionnette": ("questionnaire", "marionnette", "structure"),
    "cirque": ("questionnaire", "cirque", "structure"),
    "musiques_actuelles": ("questionnaire", "musiques_actuelles", "structure"),
    ARTISTS: ("questionnaire", "musiques_actuelles", "artiste"),
}

# --- the id contract ---------------------------------------------------------------------
# id -> (type, exact choice values or None, attributes that must hold)

GENDER_ROLES = [
    f"{role}_{gender}"
    for role in ("direction", "artistique", "technique", "administration")
    for gender in ("femmes", "hommes", "autres")
]
ESTHETIQUES = [
    "rock_pop",
    "rap_hiphop",
    "electro",
    "chanson",
    "jazz_improvisees",
    "musiques_monde_trad",
    "metal",
    "autre",
]
CF = {"carry_forward": True}

CORE_CONTRACT: dict[str, tuple[str, list[str] | None, dict]] = {
    # identite
    "nom_structure": ("text", None, {"required": True, "carry_forward": True, "max_length": 200}),
    "type_structure": (
        "single_choice",
        [
            "compagnie",
            "lieu",
            "festival",
            "bureau_production",
            "ecole",
            "reseau",
            "collectivite",
        ],
        {"required": True, "carry_forward": True},
    ),
    "forme_juridique": (
        "single_choice",
        ["association", "scop", "scic", "societe", "epcc", "regie", "micro_entreprise", "autre"],
        CF,
    ),
    "commune_siege": ("commune", None, {"required": True, "carry_forward": True}),
    "annee_creation": ("integer", None, {"carry_forward": True, "min": 1900}),
    "disciplines": (
        "multiple_choice",
        [
            "arts_de_la_rue",
            "marionnette",
            "cirque",
            "musiques_actuelles",
            "theatre",
            "danse",
            "musique_savante",
            "pluridisciplinaire",
        ],
        CF,
    ),
    "licence_categories": ("multiple_choice", ["cat1", "cat2", "cat3", "aucune"], CF),
    "labels": (
        "multiple_choice",
        [
            "cnarep",
            "pnc",
            "cnma",
            "smac",
            "scene_nationale",
            "scene_conventionnee",
            "cdn_ccn",
            "conventionnement_region",
            "conventionnement_drac",
            "aucun",
        ],
        CF,
    ),
    "convention_collective": (
        "single_choice",
        ["ccneac", "ccn_svp", "animation", "aucune", "autre"],
        CF,
    ),
    # emploi
    "effectif_permanent": ("integer", None, {"required": True, "min": 0}),
    "permanents_cdi": ("integer", None, {"min": 0}),
    "permanents_cdd": ("integer", None, {"min": 0}),
    "permanents_autres": ("integer", None, {"min": 0}),
    "etp_permanents": ("decimal", None, {"min": 0}),
    "intermittents_artistes": ("integer", None, {"min": 0}),
    "intermittents_techniciens": ("integer", None, {"min": 0}),
    "cachets_artistes": ("integer", None, {"min": 0}),
    "heures_techniciens": ("integer", None, {"min": 0}),
    "benevoles": ("integer", None, {"min": 0}),
    "heures_benevoles": ("integer", None, {"min": 0}),
    "masse_salariale_totale": ("money", None, {}),
    "masse_salariale_permanents": ("money", None, {}),
    "masse_salariale_intermittents": ("money", None, {}),
    # egalite
    **{qid: ("integer", None, {"min": 0}) for qid in GENDER_ROLES},
    "intermittents_artistes_femmes": ("integer", None, {}),
    "intermittents_artistes_hommes": ("integer", None, {}),
    "intermittents_techniciens_femmes": ("integer", None, {}),
    "intermittents_techniciens_hommes": ("integer", None, {}),
    "artistes_scene_femmes": ("integer", None, {}),
    "artistes_scene_hommes": ("integer", None, {}),
    "artistes_scene_autres": ("integer", None, {}),
    "ca_femmes": ("integer", None, {}),
    "ca_hommes": ("integer", None, {}),
    "presidence_genre": ("single_choice", ["femme", "homme", "autre", "sans_objet"], {}),
    "salaire_moyen_femmes": ("money", None, {"personal": False}),
    "salaire_moyen_hommes": ("money", None, {"personal": False}),
    "charte_egalite": ("yes_no", None, {}),
    "autodiagnostic_egalite": ("yes_no", None, {}),
    "referent_vhss": ("yes_no", None, {}),
    "formation_vhss": ("yes_no", None, {}),
    # diffusion
    "spectacles_diffusion": ("integer", None, {}),
    "creations_annee": ("integer", None, {}),
    "representations_total": ("integer", None, {"min": 0}),
    "representations_departement": ("integer", None, {"min": 0}),
    "representations_occitanie": ("integer", None, {"min": 0}),
    "representations_france": ("integer", None, {"min": 0}),
    "representations_etranger": ("integer", None, {"min": 0}),
    "representations_espace_public": ("integer", None, {"min": 0}),
    "representations_scolaires": ("integer", None, {"min": 0}),
    "spectateurs_payants": ("integer", None, {"min": 0}),
    "spectateurs_gratuits": ("integer", None, {"min": 0}),
    "prix_cession_moyen": ("money", None, {}),
    "detail_representations": ("repeat", None, {"max_items": 400}),
    "rep_date": ("date", None, {}),
    "rep_en_occitanie": ("yes_no", None, {"required": True}),
    "rep_commune": ("commune", None, {"required": True}),
    "rep_hors_occitanie": ("region_country", None, {"required": True}),
    "rep_type_lieu": (
        "single_choice",
        ["salle", "espace_public", "chapiteau", "etablissement_scolaire", "autre"],
        {},
    ),
    "rep_mode_contrat": (
        "single_choice",
        ["cession", "coproduction", "corealisation", "autoproduction", "autre"],
        {},
    ),
    "rep_prix_cession": ("money", None, {}),
    "rep_public_payant": ("integer", None, {"min": 0}),
    "rep_public_gratuit": ("integer", None, {"min": 0}),
    # programmation
    "representations_accueillies": ("integer", None, {}),
    "spectacles_accueillis": ("integer", None, {}),
    "equipes_accueillies": ("integer", None, {}),
    "equipes_accueillies_occitanie": ("integer", None, {}),
    "frequentation_payante": ("integer", None, {}),
    "frequentation_gratuite": ("integer", None, {}),
    "prix_billet_moyen": ("money", None, {}),
    "jauge_principale": ("integer", None, {}),
    # economie
    "budget_total": ("money", None, {}),
    "recettes_propres": ("money", None, {}),
    "subv_etat": ("money", None, {}),
    "subv_region": ("money", None, {}),
    "subv_departement": ("money", None, {}),
    "subv_communes_epci": ("money", None, {}),
    "subv_europe": ("money", None, {}),
    "aides_organismes": ("money", None, {}),
    "financements_prives": ("money", None, {}),
}

# Where a contract question must sit (repeat children inside their repeat).
REPEAT_CHILDREN = {qid: "detail_representations" for qid in CORE_CONTRACT if qid.startswith("rep_")}

# Relevance the contract fixes (the expression must mention these names).
CONTRACT_RELEVANCE = {
    "permanents_cdi": "effectif_permanent",
    "etp_permanents": "effectif_permanent",
    "cachets_artistes": "intermittents_artistes",
    "heures_techniciens": "intermittents_techniciens",
    "heures_benevoles": "benevoles",
    "direction_femmes": "effectif_permanent",
    "intermittents_artistes_femmes": "intermittents_artistes",
    "intermittents_techniciens_hommes": "intermittents_techniciens",
    "ca_femmes": "forme_juridique",
    "salaire_moyen_femmes": "effectif_permanent",
    "representations_departement": "representations_total",
    "prix_cession_moyen": "representations_total",
    "rep_commune": "rep_en_occitanie",
    "rep_hors_occitanie": "rep_en_occitanie",
    "rep_prix_cession": "rep_mode_contrat",
    "mar_jours_fabrication": "mar_fabrication_atelier",
    "cir_chapiteau_proprietaire": "cir_chapiteau",
    "cir_chapiteau_jauge": "cir_chapiteau",
}

MODULE_CONTRACT: dict[str, dict[str, tuple[str, list[str] | None, dict]]] = {
    "arts_de_la_rue": {
        "adr_representations_espace_public_gratuit": ("integer", None, {}),
        "adr_part_gratuit": ("percentage", None, {"min": 0, "max": 100}),
        "adr_creations_in_situ": ("integer", None, {}),
        "adr_festivals_joues": ("integer", None, {}),
        "adr_festivals_hors_region": ("integer", None, {}),
        "adr_public_estime": ("integer", None, {}),
        "adr_autorisations_difficultes": ("yes_no", None, {}),
        "adr_espaces": (
            "multiple_choice",
            [
                "rue_place",
                "parc_jardin",
                "site_patrimonial",
                "espace_naturel",
                "quartier_habitat",
                "autre",
            ],
            {},
        ),
    },
    "marionnette": {
        "mar_spectacles_production": ("integer", None, {}),
        "mar_budget_production_moyen": ("money", None, {}),
        "mar_apports_non_monetaires": ("money", None, {}),
        "mar_types_apports": (
            "multiple_choice",
            ["lieux_pretes", "residences", "materiel", "benevolat", "autre"],
            {},
        ),
        "mar_fabrication_atelier": ("yes_no", None, {}),
        "mar_jours_fabrication": ("integer", None, {}),
        "mar_part_jeune_public": ("percentage", None, {"min": 0, "max": 100}),
        "mar_mois_residence_premiere": ("integer", None, {}),
    },
    "cirque": {
        "cir_chapiteau": ("yes_no", None, {}),
        "cir_chapiteau_proprietaire": ("yes_no", None, {}),
        "cir_chapiteau_jauge": ("integer", None, {}),
        "cir_semaines_itinerance": ("integer", None, {"min": 0, "max": 52}),
        "cir_artistes_plateau": ("integer", None, {}),
        "cir_disciplines": (
            "multiple_choice",
            [
                "aeriens",
                "acrobatie",
                "jonglage",
                "equilibre",
                "clown",
                "dressage_equestre",
                "magie",
                "autre",
            ],
            {},
        ),
        "cir_residences": ("integer", None, {}),
        "cir_lien_ecoles": ("yes_no", None, {}),
    },
    "musiques_actuelles": {
        "mus_concerts_annee": ("integer", None, {}),
        "mus_artistes_programmes": ("integer", None, {}),
        "mus_artistes_region": ("integer", None, {}),
        "mus_groupes_direction_femme": ("integer", None, {}),
        "mus_frequentation_payante": ("integer", None, {}),
        "mus_frequentation_gratuite": ("integer", None, {}),
        "mus_prix_moyen_billet": ("money", None, {}),
        "mus_heures_studios": ("integer", None, {}),
        "mus_artistes_accompagnes": ("integer", None, {}),
        "mus_esthetiques": ("multiple_choice", ESTHETIQUES, {}),
    },
    ARTISTS: {
        "art_genre": (
            "single_choice",
            ["femme", "homme", "autre", "non_declare"],
            {"personal": True},
        ),
        "art_annee_naissance": ("integer", None, {"personal": True}),
        "art_commune": ("commune", None, CF),
        "art_debut_carriere": ("integer", None, {}),
        "art_stade_carriere": (
            "single_choice",
            ["emergence", "developpement", "confirme", "reconversion"],
            {},
        ),
        "art_statut": (
            "multiple_choice",
            [
                "intermittent",
                "auteur",
                "micro_entrepreneur",
                "salarie_autre",
                "enseignant",
                "sans_statut",
            ],
            {},
        ),
        "art_esthetiques": ("multiple_choice", ESTHETIQUES, {}),
        "art_projets": ("integer", None, {}),
        "art_accompagnement": ("yes_no", None, {}),
        "art_concerts_total": ("integer", None, {}),
        "art_concerts_occitanie": ("integer", None, {}),
        "art_concerts_france": ("integer", None, {}),
        "art_concerts_etranger": ("integer", None, {}),
        "art_cachets": ("integer", None, {}),
        "art_heures_enseignement": ("integer", None, {}),
        **{
            f"art_rev_{name}": ("money", None, {"personal": True})
            for name in (
                "cachets",
                "droits_auteur",
                "droits_voisins",
                "enregistrements",
                "merchandising",
                "enseignement",
                "autre_activite",
                "are",
                "minima_sociaux",
            )
        },
        "art_part_revenu_artistique": ("percentage", None, {"min": 0, "max": 100}),
        "art_difficultes": (
            "multiple_choice",
            [
                "acces_scenes",
                "remuneration",
                "mobilite",
                "administration",
                "sante",
                "conciliation_vie",
                "autre",
            ],
            {},
        ),
        "art_commentaire": ("long_text", None, {"personal": True, "required": False}),
    },
}

# Rules the contract asks for in the core, by the questions they must involve.
CORE_RULE_FIELDS = [
    {"permanents_cdi", "permanents_cdd", "permanents_autres", "effectif_permanent"},
    {"etp_permanents", "effectif_permanent"},
    set(GENDER_ROLES) | {"effectif_permanent"},
    {"intermittents_artistes_femmes", "intermittents_artistes_hommes", "intermittents_artistes"},
    {
        "intermittents_techniciens_femmes",
        "intermittents_techniciens_hommes",
        "intermittents_techniciens",
    },
    {
        "representations_departement",
        "representations_occitanie",
        "representations_france",
        "representations_etranger",
        "representations_total",
    },
    {"representations_espace_public", "representations_total"},
    {"representations_scolaires", "representations_total"},
    {"masse_salariale_permanents", "masse_salariale_intermittents", "masse_salariale_totale"},
    {"masse_salariale_totale", "budget_total"},
    {
        "recettes_propres",
        "subv_etat",
        "subv_region",
        "subv_departement",
        "subv_communes_epci",
        "subv_europe",
        "aides_organismes",
        "financements_prives",
        "budget_total",
    },
    {"equipes_accueillies_occitanie", "equipes_accueillies"},
]


# --- helpers -------------------------------------------------------------------------------


@cache
def catalogue() -> SurveyCatalogue:
    return load_catalogue()


def questionnaire(qid: str) -> Questionnaire:
    return catalogue().get(qid)


def bilingual(text) -> bool:
    return text is not None and bool(text.fr.strip()) and bool((text.en or "").strip())


def all_question_params() -> list:
    return [
        pytest.param(qid, question.id, id=f"{qid}:{question.id}")
        for qid in ALL_IDS
        for _section, question, _parent in questionnaire(qid).iter_questions()
    ]


def choice_question_params() -> list:
    return [
        pytest.param(qid, question.id, id=f"{qid}:{question.id}")
        for qid in ALL_IDS
        for _section, question, _parent in questionnaire(qid).iter_questions()
        if isinstance(question, _WithChoices)
    ]


def all_rule_params() -> list:
    return [
        pytest.param(qid, rule.id, id=f"{qid}:{rule.id}")
        for qid in ALL_IDS
        for rule in questionnaire(qid).rules
    ]


def contract_params() -> list:
    params = [
        pytest.param(qid, question_id, spec, id=f"{qid}:{question_id}")
        for qid in (CORE, *STRUCTURE_QUESTIONNAIRES)
        for question_id, spec in CORE_CONTRACT.items()
    ]
    params += [
        pytest.param(qid, question_id, spec, id=f"{qid}:{question_id}")
        for qid, contract in MODULE_CONTRACT.items()
        for question_id, spec in contract.items()
    ]
    return params


def relevance_of(qid: str, question_id: str) -> str:
    for _section, question, _parent in questionnaire(qid).iter_questions():
        if question.id == question_id:
            return question.relevant or ""
    return ""


CTX = EvalContext(reference_year=2025, today=dt.date(2026, 2, 1))


def check(qid: str, answers: dict, *, complete: bool = False):
    return validate_answers(questionnaire(qid), answers, context=CTX, complete=complete)


def rule_ids(result, *, warnings: bool = False) -> set[str]:
    found = result.warnings if warnings else result.errors
    return {e.rule_id for e in found if e.rule_id}


COMPANY = {
    "nom_structure": "Compagnie du Pavé",
    "type_structure": "compagnie",
    "forme_juridique": "association",
    "commune_siege": "31555",
    "effectif_permanent": 3,
}


# --- catalogue and headers -----------------------------------------------------------------


def test_catalogue__has_the_core_module_and_five_questionnaires():
    cat = catalogue()
    assert CORE in cat.modules
    for qid in QUESTIONNAIRES:
        assert qid in cat.questionnaires


@pytest.mark.parametrize("qid", ALL_IDS)
def test_header__kind_filiere_audience_status(qid):
    q = questionnaire(qid)
    assert (q.kind, q.filiere, q.audience) == EXPECTED_HEADER[qid]
    assert q.status == "published"
    assert q.version == q.changelog[-1].version  # the change log ends with this version
    assert q.languages == ["fr", "en"]


@pytest.mark.parametrize("qid", ALL_IDS)
def test_header__bilingual_title_description_and_changelog(qid):
    q = questionnaire(qid)
    assert bilingual(q.title)
    assert bilingual(q.description)
    entries = {entry.version: entry for entry in q.changelog}
    assert "1.0.0" in entries
    dates = [entry.date for entry in q.changelog]
    assert dates == sorted(dates)
    assert all(bilingual(change) for entry in q.changelog for change in entry.changes)


@pytest.mark.parametrize("qid", STRUCTURE_QUESTIONNAIRES)
def test_composition__filiere_questionnaires_include_the_core(qid):
    q = questionnaire(qid)
    assert q.include == [CORE]
    assert [ref.id for ref in q.composed_from] == [CORE]
    core_ids = set(questionnaire(CORE).questions)
    assert core_ids <= set(q.questions)


def test_composition__artist_questionnaire_stands_alone():
    q = questionnaire(ARTISTS)
    assert q.include == []
    assert not set(q.questions) & set(questionnaire(CORE).questions)


# --- texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("qid", "question_id"), all_question_params())
def test_question__label_help_and_unit_in_french_and_english(qid, question_id):
    question = questionnaire(qid).question(question_id)
    assert bilingual(question.label), "label needs fr and en"
    for name in ("help", "unit", "pattern_hint", "item_label"):
        text = getattr(question, name, None)
        assert text is None or bilingual(text), f"{name} needs fr and en"


@pytest.mark.parametrize(("qid", "question_id"), choice_question_params())
def test_question__every_choice_has_both_labels(qid, question_id):
    question = questionnaire(qid).question(question_id)
    for choice in question.choices:
        assert bilingual(choice.label), f"choice {choice.value} needs fr and en"


@pytest.mark.parametrize(("qid", "question_id"), all_question_params())
def test_question__constraint_has_a_bilingual_message(qid, question_id):
    question = questionnaire(qid).question(question_id)
    if question.constraint:
        assert bilingual(question.constraint_message)


@pytest.mark.parametrize(("qid", "question_id"), all_question_params())
def test_question__numbers_are_bounded(qid, question_id):
    question = questionnaire(qid).question(question_id)
    if question.type in {"integer", "decimal", "money", "percentage"}:
        assert question.min is not None
        assert question.max is not None


@pytest.mark.parametrize(("qid", "rule_id"), all_rule_params())
def test_rule__message_in_french_and_english(qid, rule_id):
    rule = next(r for r in questionnaire(qid).rules if r.id == rule_id)
    assert bilingual(rule.message)


@pytest.mark.parametrize("qid", ALL_IDS)
def test_section__bilingual_title_and_reasonable_size(qid):
    for section in questionnaire(qid).sections:
        assert bilingual(section.title), section.id
        assert section.description is None or bilingual(section.description), section.id
        assert 5 <= len(section.questions) <= 25, section.id


@pytest.mark.parametrize("qid", ALL_IDS)
def test_choice_lists__bilingual_labels(qid):
    for name, choices in questionnaire(qid).choice_lists.items():
        for choice in choices:
            assert bilingual(choice.label), f"{name}.{choice.value}"


# --- id contract -----------------------------------------------------------------------------


@pytest.mark.parametrize(("qid", "question_id", "spec"), contract_params())
def test_contract__id_type_choices_and_attributes(qid, question_id, spec):
    expected_type, expected_choices, attributes = spec
    q = questionnaire(qid)
    assert question_id in q.questions, f"{question_id} missing from {qid}"
    question = q.question(question_id)
    assert question.type == expected_type
    if expected_choices is not None:
        assert question.choice_values == expected_choices
    for name, value in attributes.items():
        assert getattr(question, name) == value, name


@pytest.mark.parametrize(("question_id", "repeat_id"), sorted(REPEAT_CHILDREN.items()))
def test_contract__performance_details_sit_in_their_repeat(question_id, repeat_id):
    q = questionnaire(CORE)
    assert q.parent_repeat[question_id] == repeat_id
    assert isinstance(q.question(repeat_id), RepeatQuestion)


@pytest.mark.parametrize(("question_id", "depends_on"), sorted(CONTRACT_RELEVANCE.items()))
def test_contract__relevance_depends_on_the_stated_question(question_id, depends_on):
    owner = next(qid for qid in ALL_IDS if question_id in questionnaire(qid).questions)
    assert f"${{{depends_on}}}" in relevance_of(owner, question_id)


def test_contract__exclusive_none_choices():
    core = questionnaire(CORE)
    for question_id, value in (("licence_categories", "aucune"), ("labels", "aucun")):
        choices = {c.value: c for c in core.question(question_id).choices}
        assert choices[value].exclusive


def test_contract__identity_section_is_carried_forward():
    core = questionnaire(CORE)
    for question in core.sections_by_id["identite"].questions:
        assert question.carry_forward, question.id


@pytest.mark.parametrize("fields", CORE_RULE_FIELDS, ids=lambda f: "+".join(sorted(f))[:60])
def test_contract__core_consistency_rule_exists(fields):
    core = questionnaire(CORE)
    referenced = [
        {name for name in core.questions if f"${{{name}}}" in rule.check} for rule in core.rules
    ]
    assert any(fields <= names for names in referenced)


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONNAIRES)
def test_ids__filiere_questions_and_sections_carry_the_prefix(qid):
    q = questionnaire(qid)
    prefix = PREFIX[qid]
    own_sections = [s for s in q.sections if s.origin == qid]
    assert own_sections
    for section in own_sections:
        assert section.id.startswith(prefix), section.id
        for question in section.questions:
            assert question.id.startswith(prefix), question.id
            if isinstance(question, RepeatQuestion):
                assert all(c.id.startswith(prefix) for c in question.questions)
    for rule in q.rules:
        if rule not in questionnaire(CORE).rules:
            assert rule.id.startswith(prefix), rule.id


def test_ids__core_ids_carry_no_filiere_prefix():
    prefixes = tuple(PREFIX.values())
    for question_id in questionnaire(CORE).questions:
        assert not question_id.startswith(prefixes), question_id


def test_ids__same_id_has_the_same_type_everywhere():
    seen: dict[str, tuple[str, str]] = {}
    for qid in ALL_IDS:
        for _section, question, _parent in questionnaire(qid).iter_questions():
            if question.id in seen:
                first_type, first_in = seen[question.id]
                assert question.type == first_type, (
                    f"{question.id}: {first_type} in {first_in}, {question.type} in {qid}"
                )
            else:
                seen[question.id] = (question.type, qid)


def test_ids__filiere_modules_do_not_share_question_ids():
    owners: dict[str, str] = {}
    for qid in QUESTIONNAIRES:
        q = questionnaire(qid)
        for section in q.sections:
            if section.origin != qid:
                continue
            for question in section.questions:
                assert question.id not in owners, f"{question.id} in {owners.get(question.id)}"
                owners[question.id] = qid


# --- behaviour of the main rules -------------------------------------------------------------


def test_rule_permanents__breakdown_must_match_headcount():
    result = check("cirque", {**COMPANY, "permanents_cdi": 1, "permanents_cdd": 1})
    assert "permanents_par_contrat" in rule_ids(result)


def test_rule_permanents__silent_when_no_part_is_answered():
    result = check("cirque", COMPANY)
    assert "permanents_par_contrat" not in rule_ids(result)


def test_rule_permanents__holds_when_parts_add_up():
    answers = {**COMPANY, "permanents_cdi": 2, "permanents_autres": 1}
    assert "permanents_par_contrat" not in rule_ids(check("cirque", answers))


def test_rule_representations__places_must_add_up_to_total():
    answers = {
        **COMPANY,
        "representations_total": 20,
        "representations_departement": 5,
        "representations_occitanie": 5,
    }
    assert "representations_par_territoire" in rule_ids(check("arts_de_la_rue", answers))
    answers |= {"representations_france": 8, "representations_etranger": 2}
    assert "representations_par_territoire" not in rule_ids(check("arts_de_la_rue", answers))


def test_rule_egalite__role_counts_cannot_exceed_headcount():
    answers = {**COMPANY, "direction_femmes": 2, "technique_hommes": 2}
    assert "egalite_permanents_inferieur_effectif" in rule_ids(check("marionnette", answers))


def test_rule_ressources__cannot_exceed_budget():
    answers = {**COMPANY, "budget_total": 100_000, "recettes_propres": 60_000, "subv_etat": 50_000}
    assert "ressources_budget" in rule_ids(check("musiques_actuelles", answers))


def test_rule_masse_salariale__above_budget_is_only_a_warning():
    answers = {**COMPANY, "budget_total": 50_000, "masse_salariale_totale": 60_000}
    result = check("musiques_actuelles", answers)
    assert "masse_salariale_budget" in rule_ids(result, warnings=True)
    assert "masse_salariale_budget" not in rule_ids(result)


def test_section_relevance__venue_does_not_see_touring_questions():
    answers = {**COMPANY, "type_structure": "lieu", "representations_total": 12}
    result = check("musiques_actuelles", answers)
    assert "diffusion" in result.hidden
    assert "programmation" not in result.hidden
    assert "representations_total" not in result.cleaned


def test_repeat__performance_date_outside_reference_year_is_refused():
    answers = {
        **COMPANY,
        "detail_representations": [
            {"rep_date": "2024-12-31", "rep_en_occitanie": True, "rep_commune": "31555"},
        ],
    }
    errors = check("arts_de_la_rue", answers).errors
    assert any(e.question_id == "rep_date" and e.code == "A_CONSTRAINT" for e in errors)


def test_repeat__place_question_follows_in_or_out_of_occitanie():
    answers = {
        **COMPANY,
        "detail_representations": [
            {"rep_date": "2025-03-01", "rep_en_occitanie": False, "rep_hors_occitanie": "BE"},
        ],
    }
    result = check("arts_de_la_rue", answers, complete=True)
    assert not [e for e in result.errors if e.repeat_id == "detail_representations"]
    item = result.cleaned["detail_representations"][0]
    assert "rep_commune" not in item


def test_rule_module__festivals_outside_region_cannot_exceed_festivals_played():
    answers = {**COMPANY, "adr_festivals_joues": 2, "adr_festivals_hors_region": 3}
    assert "adr_festivals_hors_region_max" in rule_ids(check("arts_de_la_rue", answers))


def test_rule_module__artists_from_region_cannot_exceed_programmed():
    answers = {**COMPANY, "mus_artistes_programmes": 10, "mus_artistes_region": 11}
    assert "mus_artistes_region_max" in rule_ids(check("musiques_actuelles", answers))


def test_rule_artist__concerts_by_place_must_add_up():
    answers = {"art_concerts_total": 30, "art_concerts_occitanie": 20, "art_concerts_france": 5}
    assert "art_concerts_par_territoire" in rule_ids(check(ARTISTS, answers))
    answers["art_concerts_etranger"] = 5
    assert "art_concerts_par_territoire" not in rule_ids(check(ARTISTS, answers))


def test_artist__empty_answers_are_a_valid_draft():
    assert check(ARTISTS, {}).ok


def test_artist__income_questions_are_personal():
    q = questionnaire(ARTISTS)
    income = [qid for qid in q.questions if qid.startswith("art_rev_")]
    assert len(income) == 9
    assert all(q.question(qid).personal for qid in income)
