"""Relevance, constraint and consistency expressions of questionnaires (XLSForm/ODK subset).

The syntax is the XPath subset of XLSForm, so questionnaires can be exchanged with
KoboToolbox/ODK: `${name}` references, `.` for the answer being checked, numbers, quoted
texts, `or`, `and`, `=` `!=`, `<` `<=` `>` `>=`, `+` `-`, `*` `div` `mod`, unary `-`,
parentheses and the functions of `expr_syntax.ARITY`. `==` and `/` are accepted as
aliases of `=` and `div`; `canonical()` writes the XLSForm form. Nothing is ever handed
to Python's `eval`: a tokenizer and a Pratt parser build frozen dataclasses, and a tree
walker evaluates them with its own function table.

Evaluation semantics (an expression is evaluated thousands of times on arbitrary data,
so it never raises: every type problem gives None, "unknown"):

- An unanswered question (or an unknown name) is None. Values whose exact type is not
  None, bool, int, float, str, date, list or tuple are None (subclasses too, so no
  foreign method is ever called); datetimes become dates; nested lists are flattened
  (8 levels at most); NaN, infinities and integers beyond float range are None.
- Arithmetic: numbers are int or float, bools are not numbers; a numeric text ('12',
  '-0.5') is converted, any other operand gives None, as does division or modulo by zero
  and any overflow. `mod` keeps the sign of the dividend (XPath). Float results are
  rounded to 15 significant digits, like spreadsheets, so that 0.1 + 0.2 = 0.3.
- `=` / `!=` are two-valued: None equals None, '' and an empty list (XLSForm idiom
  `${x} = ''`: not answered); a number equals a numeric text numerically; a date equals
  its ISO 'YYYY-MM-DD' text; a bool equals only a bool; a list equals a scalar when any
  element does (XPath node-set), a list equals a list element by element. `!=` is the
  negation of `=`.
- `<` `<=` `>` `>=`: numbers (or numeric texts facing a number, or two numeric texts)
  numerically, dates with dates or ISO texts, other texts alphabetically; None on either
  side, bools, lists and mixed types give None.
- `and`, `or`, `not` use Kleene logic with None as unknown (`False and None` is False,
  `True and None` is None, `True or None` is True, `not(None)` is None); `if(c, a, b)`
  gives None when c is unknown. Truthiness is `as_bool`.
- Text functions (`concat`, `contains`, `string-length`…) read None as '' (XPath
  `string()`); `count` and `count-selected` of None are 0; `sum` of a list adds its
  non-empty items, which must be numbers or numeric texts (an empty list gives 0, None
  gives None); `min`/`max` ignore empty values and compare numbers, or else dates;
  `round` rounds half away from zero; `regex` searches the first 10 000 characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, cast

from opp.questionnaire import expr_syntax as syn
from opp.questionnaire import patterns
from opp.questionnaire.expr_syntax import Call, Current, Literal, Node, Ref, Unary

Value = None | bool | int | float | str | dt.date | list

_MAX_REGEX_INPUT = 10_000
_MAX_LIST_DEPTH = 8
_NUMERIC = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
_ISO_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*")
_ROUNDING = Context(prec=1000, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Expression:
    """A parsed expression; immutable and hashable so that `parse` can cache it."""

    source: str
    node: Node
    references: frozenset[str]
    uses_self: bool
    functions: frozenset[str]

    def canonical(self) -> str:
        """Normalised XLSForm text ('=' not '==', 'div' not '/', single quotes)."""
        return syn.to_text(self.node)

    def rename(self, mapping: dict[str, str]) -> Expression:
        """Same expression, written as before, with `${old}` replaced by `${new}`."""
        pieces: list[str] = []
        last = 0
        for token in syn.tokenize(self.source):
            if token.kind == "ref" and token.value in mapping:
                pieces += [self.source[last : token.pos - 1], f"${{{mapping[str(token.value)]}}}"]
                last = token.end
        return parse("".join(pieces) + self.source[last:]) if pieces else self


def parse(source: str) -> Expression:
    """Parse an expression (cached); raises OppError, and only OppError, when invalid."""
    if type(source) is not str:
        raise syn.syntax_error(repr(source)[:80], 1, "not_text")
    return _parse_cached(source)


@functools.lru_cache(maxsize=4096)
def _parse_cached(source: str) -> Expression:
    node = syn.parse_tree(source)
    nodes = syn.walk(node)
    return Expression(
        source=source,
        node=node,
        references=frozenset(n.name for n in nodes if isinstance(n, Ref)),
        uses_self=any(isinstance(n, Current) for n in nodes),
        functions=frozenset(n.name for n in nodes if isinstance(n, Call)),
    )


def evaluate(
    expr: Expression,
    resolve: Callable[[str], Value],
    *,
    self_value: Value = None,
    today: dt.date | None = None,
) -> Value:
    """Value of `expr`; never raises, whatever `resolve` returns (see module docstring)."""
    day = _clean(today)
    if type(day) is not dt.date:
        day = dt.date(*time.localtime()[:3])
    return _Evaluator(resolve, _clean(self_value), day).eval(expr.node)


def as_bool(value: Value) -> bool | None:
    """XPath truthiness, with None for unknown so that callers can tell "not yet"."""
    return _truth(_clean(value))


def _truth(value: Value) -> bool | None:
    if value is None or type(value) is bool:
        return value
    if type(value) in (int, float):
        return value != 0
    if type(value) is str:
        return value != ""
    if type(value) is list:
        return bool(value)
    return True  # a date


# --- values ---------------------------------------------------------------------------------


def _clean(value: Any, depth: int = 0) -> Value:
    """Bring anything `resolve` returns into the Value domain (exact types only: the checks
    are on `type(value)`, which a type checker cannot follow, hence `Any`)."""
    kind = type(value)
    if value is None or kind in (bool, str, dt.date):
        return value
    if kind is int:
        return value if -syn.MAX_INT < value < syn.MAX_INT else None
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dt.datetime:
        return dt.date(value.year, value.month, value.day)
    if kind in (list, tuple) and depth < _MAX_LIST_DEPTH:
        items: list = []
        for item in value:
            cleaned = _clean(item, depth + 1)
            items += cleaned if type(cleaned) is list else [cleaned]
        return items
    return None


def _finite(value: int | float) -> int | float | None:
    """Keep results finite and in range; round floats to 15 significant digits."""
    if type(value) is int:
        return value if -syn.MAX_INT < value < syn.MAX_INT else None
    if not math.isfinite(value):
        return None
    value = float(f"{value:.15g}")
    return value if math.isfinite(value) else None


def _number(value: Value) -> int | float | None:
    if type(value) is int or type(value) is float:
        return value
    if type(value) is str and len(value) <= 400 and _NUMERIC.fullmatch(value):
        text = value.strip()
        return _finite(float(text) if "." in text else int(text))
    return None


def _date(value: Value) -> dt.date | None:
    if type(value) is dt.date:
        return value
    match = _ISO_DATE.fullmatch(value) if type(value) is str and len(value) < 40 else None
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _text(value: Value) -> str:
    """XPath string(): None is '', bools are 'true'/'false', lists are space-separated."""
    if value is None:
        return ""
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float:
        return syn.format_number(value).removesuffix(".0")
    if type(value) is list:
        return " ".join(_text(item) for item in value)
    if type(value) is dt.date:
        return value.isoformat()
    return str(value)


def _is_empty(value: Value) -> bool:
    return value is None or value == "" or value == []


def _equal(a: Value, b: Value) -> bool:
    if type(a) is list or type(b) is list:
        if type(a) is list and type(b) is list:
            return len(a) == len(b) and all(map(_equal, a, b))
        items, other = (a, b) if type(a) is list else (b, a)
        items = cast("list[Value]", items)  # the side that is a list
        if not items:
            return _is_empty(other)
        return any(_equal(item, other) for item in items)
    if a is None or b is None:
        return _is_empty(a) and _is_empty(b)
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if type(a) in (int, float) or type(b) in (int, float):
        x, y = _number(a), _number(b)
        return x is not None and y is not None and x == y
    if type(a) is dt.date or type(b) is dt.date:
        d, e = _date(a), _date(b)
        return d is not None and d == e
    return a == b


_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(op: str, a: Value, b: Value) -> bool | None:
    kinds = {type(a), type(b)}
    if a is None or b is None or kinds & {bool, list}:
        return None
    x: object
    y: object
    both_numeric_texts = kinds == {str} and None not in (_number(a), _number(b))
    if kinds & {int, float} or both_numeric_texts:
        x, y = _number(a), _number(b)
    elif dt.date in kinds:
        x, y = _date(a), _date(b)
    elif kinds == {str}:
        x, y = a, b
    else:
        return None
    return None if x is None or y is None else _ORDER[op](x, y)


def _arithmetic(op: str, a: Value, b: Value) -> int | float | None:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return None
    if op in {"div", "mod"} and y == 0:
        return None
    if op == "+":
        result = x + y
    elif op == "-":
        result = x - y
    elif op == "*":
        result = x * y
    elif op == "div":
        exact = type(x) is int and type(y) is int and x % y == 0
        result = x // y if exact else x / y
    elif type(x) is int and type(y) is int:
        result = abs(x) % abs(y) * (1 if x >= 0 else -1)
    else:
        result = math.fmod(x, y)
    return _finite(result)


# --- evaluation -----------------------------------------------------------------------------


class _Evaluator:
    """Walks the tree; references are resolved once per evaluation."""

    def __init__(self, resolve: Callable[[str], Value], self_value: Value, today: dt.date) -> None:
        self.resolve = resolve
        self.self_value = self_value
        self.today = today
        self.values: dict[str, Value] = {}

    def ref(self, name: str) -> Value:
        if name not in self.values:
            try:
                self.values[name] = _clean(self.resolve(name))
            except LookupError:
                self.values[name] = None
        return self.values[name]

    def eval(self, node: Node) -> Value:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            return self.ref(node.name)
        if isinstance(node, Current):
            return self.self_value
        if isinstance(node, Unary):
            value = _number(self.eval(node.operand))
            return None if value is None else -value
        if isinstance(node, Call):
            return self.call(node.name, node.args)
        if node.op in {"and", "or"}:
            stop = node.op == "or"  # the value that decides alone
            first = _truth(self.eval(node.left))
            if first is stop:
                return stop
            second = _truth(self.eval(node.right))
            return None if second is not stop and None in (first, second) else second
        left, right = self.eval(node.left), self.eval(node.right)
        if node.op in {"=", "!="}:
            return _equal(left, right) is (node.op == "=")
        if node.op in _ORDER:
            return _compare(node.op, left, right)
        return _arithmetic(node.op, left, right)

    def call(self, name: str, args: tuple[Node, ...]) -> Value:
        if name == "if":
            condition = _truth(self.eval(args[0]))
            return None if condition is None else self.eval(args[1] if condition else args[2])
        if name == "coalesce":
            first = self.eval(args[0])
            return self.eval(args[1]) if _is_empty(first) else first
        if name == "regex":
            text = _text(self.eval(args[0]))[:_MAX_REGEX_INPUT]
            pattern = args[1].value if isinstance(args[1], Literal) else ""
            return patterns.search(str(pattern), text)
        if name == "today":
            return self.today
        return _FUNCTIONS[name](*(self.eval(arg) for arg in args))


# --- functions ------------------------------------------------------------------------------


def _not(value: Value) -> bool | None:
    truth = _truth(value)
    return None if truth is None else not truth


def _selected(choices: Value, value: Value) -> bool:
    wanted = _text(value).strip()
    items = choices if type(choices) is list else _text(choices).split()
    return any(_text(item) == wanted for item in items)


def _count_selected(choices: Value) -> int:
    return len(choices) if type(choices) is list else len(_text(choices).split())


def _count(value: Value) -> int:
    return len(value) if type(value) is list else int(value is not None)


def _sum(value: Value) -> int | float | None:
    if type(value) is not list:
        return _number(value)
    total: int | float | None = 0
    for item in value:
        if not _is_empty(item):
            total = _arithmetic("+", total, item)
    return total


def _extreme(pick: Callable[..., Any]) -> Callable[..., Value]:
    """min()/max(): flatten lists, ignore empty values, then numbers or else dates."""

    def extreme(*args: Value) -> Value:
        items = [item for arg in args for item in (arg if type(arg) is list else [arg])]
        items = [item for item in items if not _is_empty(item)]
        for convert in (_number, _date):
            converted = [convert(item) for item in items]
            if items and None not in converted:
                return pick(converted)
        return None

    return extreme


def _round(value: Value, digits: Value = 0) -> int | float | None:
    number, places = _number(value), _number(digits)
    if number is None or places is None or abs(places) > 400:
        return None
    places = int(places)
    if type(number) is int and places >= 0:
        return number
    exact = Decimal(number) if type(number) is int else Decimal(repr(number))
    try:
        rounded = _ROUNDING.quantize(exact, Decimal(1).scaleb(-places))
    except InvalidOperation:
        return None
    return _finite(int(rounded) if places <= 0 else float(rounded))


def _int(value: Value) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _to_number(value: Value) -> int | float | None:
    return int(value) if type(value) is bool else _number(value)


def _year(value: Value) -> int | None:
    day = _date(value)
    return None if day is None else day.year


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "not": _not,
    "selected": _selected,
    "count-selected": _count_selected,
    "count": _count,
    "sum": _sum,
    "min": _extreme(min),
    "max": _extreme(max),
    "round": _round,
    "int": _int,
    "number": _to_number,
    "string": _text,
    "string-length": lambda value: len(_text(value)),
    "concat": lambda *values: "".join(_text(value) for value in values),
    "contains": lambda text, part: _text(part) in _text(text),
    "starts-with": lambda text, prefix: _text(text).startswith(_text(prefix)),
    "ends-with": lambda text, suffix: _text(text).endswith(_text(suffix)),
    "date": _date,
    "year": _year,
    "true": lambda: True,
    "false": lambda: False,
}
# `if`, `coalesce`, `regex` and `today` are handled by the evaluator (lazy or contextual).
assert set(_FUNCTIONS) | {"if", "coalesce", "regex", "today"} == set(syn.ARITY)
