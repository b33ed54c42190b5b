"""Tokenizer, AST and parser of the XLSForm/ODK expression subset (see `expressions`).

Kept apart from evaluation so that the grammar, its limits and its error messages can be
read in one place. Nothing here executes user text: the tokenizer accepts a closed set of
characters and the parser only builds frozen dataclasses.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from opp.errors import OppError, did_you_mean
from opp.i18n import LANGUAGES, gettext, texts
from opp.questionnaire import patterns

MAX_CHARS = 2000
MAX_TOKENS = 400
MAX_DEPTH = 40
MAX_PATTERN = 200
MAX_INT = 2**1023  # numbers stay within float range, so every result can be kept finite

# Function name -> (minimum, maximum or None when variadic) number of arguments.
ARITY: dict[str, tuple[int, int | None]] = {
    "coalesce": (2, 2),
    "concat": (1, None),
    "contains": (2, 2),
    "count": (1, 1),
    "count-selected": (1, 1),
    "date": (1, 1),
    "ends-with": (2, 2),
    "false": (0, 0),
    "if": (3, 3),
    "int": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "not": (1, 1),
    "number": (1, 1),
    "regex": (2, 2),
    "round": (1, 2),
    "selected": (2, 2),
    "starts-with": (2, 2),
    "string": (1, 1),
    "string-length": (1, 1),
    "sum": (1, 1),
    "today": (0, 0),
    "true": (0, 0),
    "year": (1, 1),
}
KEYWORDS = frozenset({"and", "or", "div", "mod"})

# --- AST -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: int | float | str


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    """`.`: the answer being checked by a constraint."""


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | Current | Unary | Binary | Call

# Binding powers, lowest first; unary minus binds tighter than every binary operator.
PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
PRECEDENCE |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_UNARY = 7
_ALIASES = {"==": "=", "/": "div"}

# --- error messages ------------------------------------------------------------------------

# The reasons of EXPR_SYNTAX are catalogue messages, `expr.reason.<reason>` (`{c}`: the
# character, token or detail concerned; `pattern_long`: the limit, MAX_PATTERN).
_SLIPS = ("===", ":=", "=<", "=>", "<>", "≠", "≤", "≥", "&", "|", "!", "%", "^", "[", "@", ":", "{")
_CURLY = "‘’‚‛“”„‟«»‹›"


def syntax_error(source: str, pos: int, reason: str, detail: object = "") -> OppError:
    """EXPR_SYNTAX with a localised reason, the catalogue message `expr.reason.<reason>`
    (`{c}` filled with `detail`, itself localised when it is a dict of languages)."""
    localised = {
        lang: gettext(
            f"expr.reason.{reason}",
            lang,
            c=detail.get(lang, "") if isinstance(detail, dict) else detail,
        )
        for lang in LANGUAGES
    }
    shown = "".join("�" if _invisible(ch) else ch for ch in source)  # no bidi tricks in messages
    return OppError("EXPR_SYNTAX", expression=shown, position=pos, reason=localised)


def _invisible(ch: str) -> bool:
    """Control, format (bidi, zero-width), surrogate, private-use or unassigned character."""
    return ch not in "\t\n\r" and unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"}


def _too_complex(what: str, n: int) -> OppError:
    return OppError("EXPR_TOO_COMPLEX", limit=texts(f"expr.limit.{what}", n=n))


# --- tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, ref, dot, name, op, eof
    text: str
    pos: int  # 1-based index of the first character
    end: int  # 0-based index just after the token
    value: int | float | str | None = None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:(?<=[A-Za-z0-9])-[A-Za-z][A-Za-z0-9_]*)*")
_REF_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_OPS = ("<=", ">=", "!=", "==", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",")


def tokenize(source: str) -> list[Token]:
    """Split into tokens; every error names the 1-based position of the culprit."""
    if len(source) > MAX_CHARS:
        raise _too_complex("chars", MAX_CHARS)
    for i, ch in enumerate(source):
        if _invisible(ch):
            raise syntax_error(source, i + 1, "control", f"U+{ord(ch):04X}")
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        if source[i].isspace():
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            raise _too_complex("tokens", MAX_TOKENS)
        token = _next_token(source, i)
        tokens.append(token)
        i = token.end
    tokens.append(Token("eof", "", n + 1, n))
    return tokens


def _next_token(source: str, i: int) -> Token:
    ch, pos = source[i], i + 1
    if ch in "'\"":
        close = source.find(ch, i + 1)
        if close < 0:
            raise syntax_error(source, pos, "text_open", ch)
        return Token("str", source[i : close + 1], pos, close + 1, source[i + 1 : close])
    if ch == "$":
        return _reference(source, i)
    if ch in "0123456789" or (ch == "." and source[i + 1 : i + 2] in set("0123456789")):
        return _number(source, i)
    if ch == ".":
        if source.startswith("..", i):
            raise syntax_error(source, pos, "parent")
        return Token("dot", ".", pos, i + 1)
    match = _NAME.match(source, i)
    if match:
        return Token("name", match.group(), pos, match.end())
    for slip in _SLIPS:
        if source.startswith(slip, i) and not source.startswith("!=", i):
            raise syntax_error(source, pos, slip)
    for op in _OPS:
        if source.startswith(op, i):
            return Token("op", op, pos, i + len(op))
    if ch in _CURLY:
        raise syntax_error(source, pos, "curly")
    raise syntax_error(source, pos, "char", ch if ch.isprintable() else f"U+{ord(ch):04X}")


def _reference(source: str, i: int) -> Token:
    if not source.startswith("${", i):
        raise syntax_error(source, i + 1, "dollar")
    close = source.find("}", i + 2)
    if close < 0:
        raise syntax_error(source, i + 1, "ref_open")
    name = source[i + 2 : close]
    if not _REF_NAME.fullmatch(name):
        raise syntax_error(source, i + 1, "ref_name")
    return Token("ref", source[i : close + 1], i + 1, close + 1, name)


def _number(source: str, i: int) -> Token:
    match = _NUMBER.match(source, i)
    assert match  # the caller saw a digit
    text = match.group()
    value: int | float = float(text) if "." in text else int(text)
    if abs(value) >= MAX_INT or not math.isfinite(value):
        raise syntax_error(source, i + 1, "big")
    return Token("num", text, i + 1, match.end(), value)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> object:
    """Regex patterns are literals, compiled once when parsing on the linear-time engine
    (`patterns`): a pattern it cannot take is refused here, never run at answer time."""
    return patterns.compile_pattern(pattern)


# --- parser --------------------------------------------------------------------------------


class _Parser:
    """Pratt parser; nesting (parentheses, calls, unary minus) is bounded by MAX_DEPTH."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        self.i += 1
        return self.tokens[self.i - 1]

    def is_op(self, text: str) -> bool:
        token = self.tokens[self.i]
        return token.kind == "op" and token.text == text

    def fail(self, token: Token, reason: str, detail: object = "") -> OppError:
        return syntax_error(self.source, token.pos, reason, detail)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _too_complex("depth", MAX_DEPTH)

    def parse(self) -> Node:
        if self.peek().kind == "eof":
            raise self.fail(self.peek(), "empty")
        node = self.expression(0)
        if self.peek().kind != "eof":
            raise self.unexpected(self.peek())
        return node

    def expression(self, min_power: int) -> Node:
        left = self.prefix(self.take())
        while True:
            token = self.peek()
            op = _ALIASES.get(token.text, token.text) if token.kind in {"op", "name"} else ""
            if op not in PRECEDENCE or PRECEDENCE[op] <= min_power:
                return left
            self.take()
            left = Binary(op, left, self.expression(PRECEDENCE[op]))

    def prefix(self, token: Token) -> Node:
        if token.kind in {"num", "str"}:
            assert token.value is not None
            return Literal(token.value)
        if token.kind == "ref":
            return Ref(str(token.value))
        if token.kind == "dot":
            return Current()
        if token.kind == "op" and token.text in {"-", "("}:
            self.enter()
            if token.text == "-":
                node: Node = Unary("-", self.expression(_UNARY - 1))
            else:
                node = self.expression(0)
                self.expect_close(token, "")
            self.depth -= 1
            return node
        if token.kind == "name" and self.is_op("(") and token.text not in KEYWORDS:
            return self.call(token)
        raise self.missing_value(token)

    def call(self, name: Token) -> Call:
        if name.text not in ARITY:
            known = sorted(ARITY)
            suggestion = did_you_mean(name.text, known)
            raise OppError(
                "EXPR_FUNCTION_UNKNOWN", value=name.text, expected=known, suggestion=suggestion
            )
        self.enter()
        opening = self.take()
        args: list[Node] = []
        starts: list[Token] = []
        while not (self.is_op(")") and not args) and self.peek().kind != "eof":
            starts.append(self.peek())
            args.append(self.expression(0))
            if not self.is_op(","):
                break
            self.take()
        self.expect_close(opening, name.text)
        self.depth -= 1
        low, high = ARITY[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            expected = str(low) if low == high else f"{low}–{high}" if high else f"≥ {low}"
            raise OppError("EXPR_ARITY", value=name.text, expected=expected, given=len(args))
        if name.text == "regex":
            self.check_pattern(args[1], starts[1])
        return Call(name.text, tuple(args))

    def check_pattern(self, node: Node, start: Token) -> None:
        if not isinstance(node, Literal) or not isinstance(node.value, str):
            raise self.fail(start, "pattern_literal")
        if len(node.value) > MAX_PATTERN:
            raise self.fail(start, "pattern_long", MAX_PATTERN)
        try:
            compile_pattern(node.value)
        except patterns.PatternError as exc:
            raise self.fail(start, "pattern", exc.reason) from None

    def expect_close(self, opening: Token, function: str) -> None:
        token = self.peek()
        if self.is_op(")"):
            self.take()
        elif token.kind == "eof":
            raise self.fail(token, "unclosed", opening.pos)
        elif function:
            raise self.fail(token, "args", function)
        else:
            raise self.unexpected(token)

    def missing_value(self, token: Token) -> OppError:
        text, kind = token.text, token.kind
        if kind == "eof":
            return self.fail(token, "end")
        if kind == "op" and text == "/":  # a leading '/' is an XPath path
            return self.fail(token, "slash")
        if kind == "name" and text in {"true", "false"}:
            return self.fail(token, "bool", text)
        if kind == "name" and text not in KEYWORDS:
            return self.fail(token, "bare", text)
        return self.fail(token, "value", text)

    def unexpected(self, token: Token) -> OppError:
        if self.is_op(")"):
            return self.fail(token, "extra_close")
        if self.is_op(","):
            return self.fail(token, "comma")
        if token.kind == "name" and token.text.lower() in KEYWORDS:
            return self.fail(token, "case", token.text.lower())
        return self.fail(token, "operator", token.text)


def parse_tree(source: str) -> Node:
    """Parse `source` into an AST, raising OppError (never anything else)."""
    return _Parser(source).parse()


# --- canonical text ------------------------------------------------------------------------


def format_number(value: int | float) -> str:
    """Plain decimal notation (no exponent), which the tokenizer reads back."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def to_text(node: Node) -> str:
    """Normalised XLSForm text with the fewest parentheses that keep the same tree."""
    if isinstance(node, Literal):
        if isinstance(node.value, str):
            quote = '"' if "'" in node.value else "'"
            return f"{quote}{node.value}{quote}"
        return format_number(node.value)
    if isinstance(node, Ref):
        return f"${{{node.name}}}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Unary):
        inner = to_text(node.operand)
        return f"-({inner})" if isinstance(node.operand, Binary) else f"-{inner}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_text(arg) for arg in node.args)})"
    power = PRECEDENCE[node.op]
    left, right = to_text(node.left), to_text(node.right)
    if isinstance(node.left, Binary) and PRECEDENCE[node.left.op] < power:
        left = f"({left})"
    if isinstance(node.right, Binary) and PRECEDENCE[node.right.op] <= power:
        right = f"({right})"
    return f"{left} {node.op} {right}"


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents first."""
    out = [node]
    for child in children(node):
        out.extend(walk(child))
    return out


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()
