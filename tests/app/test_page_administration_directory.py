"""Administration → Annuaire: upload a directory, read the report, confirm; structures
searched, edited, archived, created and merged from the page."""

from __future__ import annotations

from opp.access.viewer import Role, Viewer
from opp.services import organisations, reads
from opp.store import open_store

PAGE = "pages/administration.py"
ADMIN = Viewer(role=Role.ADMIN, account_id="test")


def luhn(digits13: str) -> str:
    for last in "0123456789":
        candidate = digits13 + last
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(["Nom de la structure;SIRET;Code INSEE;Filière;Type", *rows]) + "\n").encode(
        "cp1252"
    )


GOOD = [f"Compagnie Importée {i};{luhn(f'55{i:011d}')};34172;cirque;Compagnie" for i in range(5)]


def _frame(at, column: str):
    """The table showing `column` (report problems, plan, structures)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _upload(at, data: bytes, name: str = "annuaire.csv"):
    at.file_uploader(key="dir_file").set_value((name, data, "text/csv")).run()
    return at.button(key="dir_check").click().run()


def _org_named(db, name: str):
    store = open_store(db)
    try:
        found, _ = organisations.search(store, ADMIN, name, archived=None)
        return next((o for o in found if o.name == name), None)
    finally:
        store.close()


def test_directory__bad_file_shows_row_column_and_fix_then_corrected_file_imports(
    run_app, demo_copy
):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    bad = [*GOOD[:3], "Cie Fautive;12345678901234;31000;cirque;Compagnie", *GOOD[3:]]
    at = _upload(at, _csv(bad))
    assert not at.exception
    assert any("rien ne sera importé" in e.value for e in at.error)
    issues = _frame(at, "Comment corriger")
    assert set(issues["Ligne"]) == {5}
    assert set(issues["Colonne"]) == {"SIRET", "Code INSEE"}
    assert any("annuaire-entreprises" in fix for fix in issues["Comment corriger"])
    assert not [b for b in at.button if b.key == "dir_apply"]
    assert _org_named(demo_copy, "Compagnie Importée 0") is None

    at = _upload(at, _csv(GOOD))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["À créer"] == "5"
    assert metrics["Erreurs"] == "0"
    plan = _frame(at, "Changements")
    assert list(plan["Action"]) == ["création"] * 5
    at.button(key="dir_apply").click().run()
    assert not at.exception
    assert "structures créées : 5" in at.success[0].value
    created = _org_named(demo_copy, "Compagnie Importée 0")
    assert created.commune == "34172"
    assert created.departement == "34"


def test_directory__coordinator_imports_for_their_filiere(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    rows = [*GOOD[:2], f"Cie De Rue;{luhn('5500000000099')};34172;arts de la rue;Compagnie"]
    at = _upload(at, _csv(rows))
    issues = _frame(at, "Comment corriger")
    assert list(issues["Ligne"]) == [4]
    assert "n'est pas votre filière" in issues["Problème"][0]


def test_directory__html_in_a_name_is_shown_as_text(run_app, demo_copy):
    name = "<img src=x onerror=alert(1)>**Cie**"
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at = _upload(at, _csv([f"{name};;31555;cirque;Compagnie"]))
    assert _frame(at, "Changements")["Structure"][0] == name
    at.button(key="dir_apply").click().run()
    at.text_input(key="org_search").set_value("onerror").run()
    assert not at.exception
    assert _frame(at, "SIRET")["Nom"][0] == name
    for element in [*at.markdown, *at.success, *at.caption]:
        assert "<img" not in element.value or "\\<img" in element.value


def test_organisations__edit_archive_and_restore_from_the_page(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    store = open_store(demo_copy)
    try:
        target = organisations.list_visible(store, ADMIN, filiere="cirque", limit=1)[0]
    finally:
        store.close()
    at.text_input(key="org_search").set_value(target.name).run()
    at.selectbox(key="org_selected").set_value(target.id).run()
    # Form fields are sent with the form's button (no run in between).
    at.text_input(key=f"edit:{target.id}:email").set_value("Contact@Exemple.FR")
    at.text_input(key=f"edit:{target.id}:siret").set_value("123")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert any("SIRET" in e.value and "14 chiffres" in e.value for e in at.error)
    assert _org_named(demo_copy, target.name).email != "contact@exemple.fr"
    at.text_input(key=f"edit:{target.id}:email").set_value("Contact@Exemple.FR")
    at.text_input(key=f"edit:{target.id}:siret").set_value("")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert "Fiche enregistrée." in [s.value for s in at.success]
    assert _org_named(demo_copy, target.name).email == "contact@exemple.fr"

    at.button(key="org_archive").click().run()
    assert any("Structure archivée" in s.value for s in at.success)
    assert _org_named(demo_copy, target.name).archived
    at.segmented_control(key="org_show").set_value("archived").run()
    at.text_input(key="org_search").set_value(target.name).run()
    at.selectbox(key="org_selected").set_value(target.id).run()
    at.button(key="org_restore").click().run()
    assert not _org_named(demo_copy, target.name).archived
    store = open_store(demo_copy)
    try:
        actions = [e["action"] for e in reads.audit_entries(store, ADMIN, object_id=target.id)]
    finally:
        store.close()
    assert actions[:3] == ["organisation.restore", "organisation.archive", "organisation.update"]


def test_organisations__delete_is_disabled_while_responses_exist(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        answered = (
            store.cursor()
            .execute(
                "SELECT o.id, o.name FROM organisations o "
                "JOIN responses r ON r.organisation_id = o.id ORDER BY o.name LIMIT 1"
            )
            .fetchone()
        )
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.text_input(key="org_search").set_value(answered[1]).run()
    at.selectbox(key="org_selected").set_value(answered[0]).run()
    assert at.button(key="org_delete").disabled
    assert any(c.value.startswith("Réponses : ") for c in at.caption)


def test_organisations__create_from_the_page(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="coord:cirque")
    at.text_input(key="new:name").set_value("Cie Toute Neuve")
    at.text_input(key="new:commune").set_value("Montpellier")
    next(b for b in at.button if b.label == "Créer la structure").click().run()
    assert not at.exception
    assert "Structure « Cie Toute Neuve » créée." in [s.value for s in at.success]
    created = _org_named(demo_copy, "Cie Toute Neuve")
    assert (created.commune, created.filieres) == ("34172", ["cirque"])


def test_organisations__merge_duplicates_after_a_preview(run_app, demo_copy):
    store = open_store(demo_copy)
    try:
        keep = organisations.create(
            store,
            ADMIN,
            name="Doublon Alpha",
            structure_type="compagnie",
            filieres=["cirque"],
            commune="31555",
        )
        drop = organisations.create(
            store,
            ADMIN,
            name="Doublon Alpha (bis)",
            structure_type="compagnie",
            filieres=["marionnette"],
            commune="31555",
            email="alpha@example.org",
        )
    finally:
        store.close()
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at.text_input(key="org_merge_search:keep").set_value("Doublon Alpha").run()
    at.selectbox(key="org_merge:keep").set_value(keep.id).run()
    at.text_input(key="org_merge_search:drop").set_value("bis").run()
    at.selectbox(key="org_merge:drop").set_value(drop.id).run()
    at.button(key="org_merge_preview").click().run()
    preview = next(i.value for i in at.info if "sera fusionnée" in i.value)
    assert "réponses : 0, comptes : 0" in preview
    assert "Marionnette" in preview
    at.button(key="org_merge_confirm").click().run()
    assert not at.exception
    assert "Structures fusionnées." in [s.value for s in at.success]
    merged = _org_named(demo_copy, "Doublon Alpha")
    assert merged.filieres == ["cirque", "marionnette"]
    assert merged.email == "alpha@example.org"
    assert _org_named(demo_copy, "Doublon Alpha (bis)") is None


def test_organisations__coordinators_have_no_merge(run_app, demo_file):
    at = run_app(demo_file, PAGE, viewer_key="coord:cirque")
    assert not [b for b in at.button if b.key == "org_merge_preview"]
    assert not [e for e in at.expander if "Fusionner" in e.label]


def test_directory__planned_changes_show_labels_not_codes(run_app, demo_copy):
    at = run_app(demo_copy, PAGE, viewer_key="admin")
    at = _upload(at, _csv(GOOD[:1]))
    at.button(key="dir_apply").click().run()
    assert not at.exception
    at = _upload(at, _csv([GOOD[0].replace(";Compagnie", ";ecole")]))
    changes = " ".join(_frame(at, "Changements")["Changements"])
    # Before: "… : compagnie → ecole".
    assert "Compagnie / équipe artistique → École / centre de formation" in changes
    assert "ecole" not in changes
