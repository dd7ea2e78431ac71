"""Graph field expressions: ``a,b.limit(5){c,d},insights.metric(x,y)`` parsed into Field trees
and spelled back (paging links repeat the request's fields)."""

from __future__ import annotations

from dataclasses import dataclass, field

from platform_sandbox.meta.errors import GraphError


@dataclass
class Field:
    """One requested field with its modifiers (``.limit(5)``) and sub-fields (``{...}``)."""

    name: str
    mods: dict[str, str] = field(default_factory=dict)
    children: list[Field] | None = None


def parse_fields(text: str | None) -> list[Field]:
    """Parse a Graph ``fields`` expression; raises GraphError(100) on a syntax error."""
    if not text:
        return []
    out, pos = _parse_list(text, 0)
    if pos != len(text):
        raise GraphError(100, f"Syntax error \"Expected end of string instead of \"{text[pos]}\"."
                         f"\" at character {pos}: {text}", subcode=2500)
    return out


def _parse_list(text: str, pos: int) -> tuple[list[Field], int]:
    out: list[Field] = []
    while pos < len(text) and text[pos] != "}":
        f, pos = _parse_field(text, pos)
        out.append(f)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return out, pos


def _parse_field(text: str, pos: int) -> tuple[Field, int]:
    start = pos
    while pos < len(text) and text[pos] not in ",.{}()":
        pos += 1
    f = Field(text[start:pos].strip())
    while pos < len(text) and text[pos] == ".":
        mstart = pos + 1
        paren = text.index("(", mstart) if "(" in text[mstart:] else -1
        if paren < 0:
            raise GraphError(100, f"Syntax error at character {pos}: {text}", subcode=2500)
        depth, end = 0, paren
        while end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        f.mods[text[mstart:paren]] = text[paren + 1:end]
        pos = end + 1
    if pos < len(text) and text[pos] == "{":
        f.children, pos = _parse_list(text, pos + 1)
        pos += 1  # the closing brace
    return f, pos


def spell(fields: list[Field] | None) -> str:
    """The ``fields`` expression back as text (paging links repeat the request's fields)."""
    out = []
    for f in fields or []:
        mods = "".join(f".{k}({v})" for k, v in f.mods.items())
        kids = "{" + spell(f.children) + "}" if f.children else ""
        out.append(f"{f.name}{mods}{kids}")
    return ",".join(out)
