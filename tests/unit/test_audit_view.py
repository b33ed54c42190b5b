"""The audit log as a person reads it: a sentence per entry (who, what, when, on what),
words and dates, not Python dicts nor `cirque@1.0.0`."""

from __future__ import annotations

import datetime as dt

from opp.ui.audit_view import action_label, audit_table, detail_text, sentence


def test_audit__details_read_as_words_and_values() -> None:
    # Before: "{'method': 'password'}".
    assert detail_text({"method": "password"}) == "méthode : password"
    assert detail_text({"method": "password"}, "en") == "method : password"
    assert detail_text('{"changed": ["a", "b"]}') == "changed : a, b"
    assert detail_text({"consent": {"from": "agrege", "to": "reseau"}}) == (
        "consentement : agrege → reseau"
    )
    assert detail_text(None) == ""


def test_audit__one_sentence_per_entry_with_its_date() -> None:
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
        "Entrée": "Camille Martin <camille@example.org> (Administration (agence)) — Connexion : "
        "compte acc-1 (méthode : password).",
    }
    english = audit_table([entry], "en").row(0, named=True)
    assert english["Date"] == "16 Oct 2026 09:05"
    assert action_label("auth.login", "en") == "Sign-in"
    assert action_label("something.new", "fr") == "something.new"


def test_audit__questionnaire_versions_campaigns_and_the_system_named() -> None:
    published = {
        "actor": "system",
        "role": "admin",
        "action": "codesign.publish",
        "object_type": "questionnaire",
        "object_id": "cirque@1.1.0",
        "detail": {"changes": 2},
    }
    names = {"cirque": "Arts du cirque", "cirque-2025": "Cirque — données 2025"}
    text = sentence(published, "fr", names)
    assert text == (
        "Système (Administration (agence)) — Version publiée : questionnaire "
        "« Arts du cirque — version 1.1.0 » (changements : 2)."
    )
    assert "@" not in text
    campaign = {**published, "action": "campaign.create", "object_type": "campaign"}
    campaign["object_id"], campaign["detail"] = "cirque-2025", {}
    assert sentence(campaign, "fr", names).endswith("campagne « Cirque — données 2025 ».")
    response = {
        **campaign,
        "object_type": "response",
        "object_id": "5c7f6ce19e424509807e645af237b4d4",
    }
    assert "réponse 5c7f6ce1…" in sentence(response, "fr")
