"""YAML reading that remembers where every value came from.

PyYAML's composer gives nodes with line numbers; we build plain Python data from them
and a map `path → line`, so that later validation errors can name the line. Duplicate
keys (silently merged by PyYAML) are refused. Only safe YAML tags are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opp.errors import OppError

PathKey = tuple[str | int, ...]


@dataclass
class SourceDoc:
    """Parsed document with the line of each path (1-based)."""

    data: Any
    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def format_path(path: PathKey) -> str:
    """`("sections", 2, "questions", 5, "type")` → `sections[2].questions[5].type`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_text(path: Path) -> str:
    """Read a questionnaire file as UTF-8, turning OS errors into OppError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise OppError("FILE_NOT_FOUND", file=str(path), path_given=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise OppError("FILE_UNREADABLE", file=str(path), reason=type(exc).__name__) from exc


_MAX_YAML_CHARS = 2_000_000


def parse_yaml(text: str, file: str) -> SourceDoc:
    """Compose YAML text into data plus a line map; refuse duplicate keys."""
    if len(text) > _MAX_YAML_CHARS:
        raise OppError("FILE_UNREADABLE", file=file, reason="> 2 Mo")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "?"
        raise OppError("YAML_SYNTAX", file=file, line=line, reason=reason) from exc
    except yaml.YAMLError as exc:
        raise OppError("YAML_SYNTAX", file=file, reason=str(exc)[:200]) from exc
    doc = SourceDoc(data=None, file=file)
    if node is None:
        raise OppError("YAML_NOT_MAPPING", file=file, line=1)
    doc.data = _Builder(doc).build(node, ())
    return doc


_MAX_NODES = 500_000  # guards against alias expansion bombs ("billion laughs")


class _Builder:
    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise OppError(
                "YAML_SYNTAX", file=self.doc.file, reason="document trop grand / too big"
            )
        doc = self.doc
        doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node, path)
                if isinstance(key, bool):
                    key = str(key).lower()
                elif isinstance(key, int | float):
                    key = str(key)
                if not isinstance(key, str):
                    raise OppError(
                        "YAML_SYNTAX",
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        reason="clé non textuelle / non-text key",
                    )
                if key in result:
                    raise OppError(
                        "YAML_DUPLICATE_KEY",
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        path=format_path((*path, key)),
                        key=key,
                    )
                doc.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise OppError(
                "YAML_SYNTAX",
                file=self.doc.file,
                line=node.start_mark.line + 1,
                path=format_path(path),
                reason="une clé doit être un texte / a key must be text",
            )
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise OppError(
                "YAML_SYNTAX",
                file=self.doc.file,
                line=node.start_mark.line + 1,
                path=format_path(path),
                reason=str(getattr(exc, "problem", exc))[:200],
            ) from exc
