"""Repeat-group editor: a compact list of items, one item edited at a time.

Editing one item at a time keeps the page light (a company may declare 80 performances)
and fits a phone screen: no wide table, each item summarised on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from opp import geo
from opp.i18n import format_currency, format_date, gettext, ngettext
from opp.questionnaire import expressions
from opp.questionnaire.model import CalculateQuestion, RepeatQuestion
from opp.questionnaire.validation import FieldError
from opp.ui.form import render_question, widget_key
from opp.ui.text import plain


def _t(key: str, lang: str, **params: Any) -> str:
    """A text of the repeat widget (`repeat.<key>` in the gettext catalogues)."""
    return gettext(f"repeat.{key}", lang, **params)


def _as_text(_question: Any, value: Any, _lang: str) -> str | None:
    return str(value)


# How an answer reads in an item's one-line summary, by question type (short forms;
# yes/no answers say nothing out of context and are left out); others as typed.
SHORT: dict[str, Callable[[Any, Any, str], str | None]] = {
    "date": lambda _q, value, lang: format_date(value, lang),
    "commune": lambda _q, value, lang: geo.place_label(value, lang),
    "region_country": lambda _q, value, lang: geo.place_label(value, lang),
    "single_choice": lambda q, value, lang: q.choice_label(value, lang),
    "money": lambda _q, value, lang: format_currency(value, lang),
    "yes_no": lambda _q, _value, _lang: None,
}


def summarise(repeat: RepeatQuestion, item: dict[str, Any], lang: str) -> str:
    """One line per item: its first few answers in readable form."""
    parts: list[str] = []
    for child in repeat.questions:
        value = item.get(child.id)
        if value is None:
            continue
        text = SHORT.get(child.type, _as_text)(child, value, lang)
        if text is None:
            continue
        parts.append(text)
        if len(parts) >= 4:
            break
    return " · ".join(parts) or "—"


def render_repeat(
    repeat: RepeatQuestion,
    items: list[dict[str, Any]],
    *,
    scope: str,
    lang: str,
    errors: list[FieldError],
    resolve_outer: Callable[[str], Any],
    commit: Callable[[list[dict[str, Any]]], None],
    disabled: bool = False,
) -> list[dict[str, Any]]:
    """Draw the list and the editor of the selected item; return the updated items.

    `commit` receives the items before a rerun (add, remove, confirm an item).
    """
    items = [dict(i) for i in items]
    st.markdown(f"**{plain(repeat.label.get(lang))}**")
    if repeat.help:
        st.caption(plain(repeat.help.get(lang)))
    editing_key = f"repeat-edit:{scope}:{repeat.id}"
    editing: int | None = st.session_state.get(editing_key)
    name = (repeat.item_label.get(lang) if repeat.item_label else None) or _t("item", lang)
    st.caption(ngettext("repeat.count", len(items), lang))
    for error in errors:
        if error.item is None:
            st.error(plain(error.message(lang)), icon=":material/warning:")
    if not items:
        st.caption(_t("empty", lang))
    for index, item in enumerate(items):
        item_errors = [e for e in errors if e.item == index]
        with st.container(border=True):
            marker = " ⚠" if item_errors else ""
            st.markdown(
                f"{plain(name)} {index + 1}{marker} — {plain(summarise(repeat, item, lang))}"
            )
            left, right = st.columns(2)
            if left.button(
                _t("edit", lang),
                key=f"{editing_key}:e{index}",
                disabled=disabled,
                icon=":material/edit:",
            ):
                st.session_state[editing_key] = index
                _forget_item_widgets(scope, repeat)
                st.rerun()
            if right.button(
                _t("remove", lang),
                key=f"{editing_key}:r{index}",
                disabled=disabled,
                icon=":material/delete:",
            ):
                items.pop(index)
                st.session_state[editing_key] = None
                _forget_item_widgets(scope, repeat)
                commit(items)
                st.rerun()
    if editing is not None and editing < len(items):
        items[editing] = _edit_item(
            repeat, items[editing], editing, scope, lang, errors, resolve_outer, disabled
        )
        if st.button(_t("done", lang), key=f"{editing_key}:done", type="primary"):
            st.session_state[editing_key] = None
            _forget_item_widgets(scope, repeat)
            commit(items)
            st.rerun()
    elif st.button(
        _t("add_item", lang, name=name.lower()),
        key=f"{editing_key}:add",
        icon=":material/add:",
        disabled=disabled or len(items) >= repeat.max_items,
    ):
        items.append({})
        st.session_state[editing_key] = len(items) - 1
        _forget_item_widgets(scope, repeat)
        commit(items)
        st.rerun()
    return items


def _edit_item(
    repeat: RepeatQuestion,
    item: dict[str, Any],
    index: int,
    scope: str,
    lang: str,
    errors: list[FieldError],
    resolve_outer: Callable[[str], Any],
    disabled: bool,
) -> dict[str, Any]:
    name = (repeat.item_label.get(lang) if repeat.item_label else None) or _t("item", lang)
    with st.container(border=True):
        st.markdown(f"**{plain(name)} {index + 1}**")
        siblings = {c.id: c for c in repeat.questions}
        current = dict(item)
        for child in repeat.questions:

            def resolve(ref: str, current: dict[str, Any] = current) -> Any:
                sibling = siblings.get(ref)
                if isinstance(sibling, CalculateQuestion):
                    expr = expressions.parse(sibling.calculation)
                    return expressions.evaluate(
                        expr,
                        lambda n: (
                            current.get(n) if n in siblings and n != ref else resolve_outer(n)
                        ),
                    )
                return current.get(ref) if ref in siblings else resolve_outer(ref)

            if child.relevant:
                shown = expressions.as_bool(
                    expressions.evaluate(expressions.parse(child.relevant), resolve)
                )
                if shown is not True:
                    current.pop(child.id, None)
                    continue
            value = render_question(
                child,
                current.get(child.id),
                scope=f"{scope}:{repeat.id}",
                lang=lang,
                errors=[e for e in errors if e.item == index and e.question_id == child.id],
                disabled=disabled,
                resolve=resolve,
            )
            if value is None:
                current.pop(child.id, None)
            else:
                current[child.id] = value
        return current


def _forget_item_widgets(scope: str, repeat: RepeatQuestion) -> None:
    for child in repeat.questions:
        st.session_state.pop(widget_key(f"{scope}:{repeat.id}", child.id), None)


__all__ = ["render_repeat", "summarise"]
