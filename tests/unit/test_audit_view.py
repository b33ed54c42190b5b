"""The audit log as a person reads it: words, dates, "clé : valeur", not Python dicts."""

from __future__ import annotations

import datetime as dt

from opp.ui.audit_view import action_label, audit_table, detail_text


def test_audit__details_read_as_key_and_value() -> None:
    # Before: "{'method': 'password'}".
    assert detail_text({"method": "password"}) == "method : password"
    assert detail_text('{"changed": ["a", "b"]}') == "changed : a, b"
    assert detail_text(None) == ""


def test_audit__table_has_labelled_columns_and_formatted_values() -> None:
    entry = {
        "occurred_at": dt.datetime(2026, 10, 16, 9, 5),
        "actor": "acc-1",
        "actor_name": "Camille Martin <camille@example.org>",
        "role": "admin",
        "action": "auth.login",
        "object_type": "account",
        "object_id": "acc-1",
        "detail": {"method": "password"},
    }
    row = audit_table([entry], "fr").row(0, named=True)
    assert row == {
        "Date": "16/10/2026 09:05",
        "Personne": "Camille Martin <camille@example.org>",
        "Rôle": "Administration (agence)",
        "Action": "Connexion",
        "Objet": "compte acc-1",
        "Détail": "method : password",
    }
    assert audit_table([entry], "en").columns[0] == "Date"
    assert action_label("auth.login", "en") == "Sign-in"
    assert action_label("something.new", "fr") == "something.new"


def test_audit_view__objects_are_named_not_coded():
    from opp.ui.audit_view import object_name

    names = {"cirque": "Observation du cirque", "cirque-2025": "Cirque 2025"}
    assert object_name("questionnaire", "cirque@1.1.0", names) == (
        "Observation du cirque — version 1.1.0"
    )
    assert object_name("campaign", "cirque-2025", names) == "Cirque 2025"
    assert object_name("response", "0123456789abcdef0123456789abcdef", {}) == "01234567…"
    assert object_name("account", "ana@demo.opp", {}) == "ana@demo.opp"
