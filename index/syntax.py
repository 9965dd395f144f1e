"""The query language users type, parsed into AND-ed groups of OR-ed literal terms.

- words are ANDed: `清廉 学校`; each word matches as a literal substring of the clause;
- `"exact phrase"` (or “…”) keeps spaces and operator characters literally;
- `-word` excludes; `A OR B` (or `A 或 B`) matches either;
- `文号:泸政发`, `单位:县财政局`, `标题:林长制` look in the 文号, the responsible units, the title.

Malformed syntax never raises: the text is read again as plain words and `notice` says why.

>>> parse_text('清廉 "学校 建设" -医院 A OR B 单位:县教体局').groups
[[Term('清廉')], [Term('学校 建设')], [Term('A'), Term('B')], [Term('县教体局', field='unit')]]
>>> parsed = parse_text('清廉 "学校')
>>> parsed.groups, parsed.notice
([[Term('清廉')], [Term('学校')]], '查询语法有误（引号不成对），已按普通检索处理。')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index import messages

OPEN_QUOTES = '"“'
CLOSE_QUOTES = '"”'
QUOTES = set(OPEN_QUOTES + CLOSE_QUOTES)
_FIELD = re.compile("(" + "|".join(map(re.escape, sorted(messages.FIELD_ALIASES, key=len, reverse=True))) + ")[:：]")


@dataclass(frozen=True)
class Term:
    """One literal to look for: `field` is "text", "doc_number", "unit" or "title"."""

    text: str
    field: str = "text"

    def __repr__(self):
        return f"Term({self.text!r})" if self.field == "text" else f"Term({self.text!r}, field={self.field!r})"


@dataclass
class ParsedText:
    """AND of `groups` (each an OR of terms), minus any clause matching an `excluded` term."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notice: str | None = None
    plain: bool = True

    @property
    def positive(self) -> list[Term]:
        return [term for group in self.groups for term in group]


class _Malformed(Exception):
    pass


@dataclass
class _Lexeme:
    text: str
    field: str
    negated: bool
    quoted: bool

    @property
    def is_or(self) -> bool:
        return not (self.quoted or self.negated or self.field != "text") and self.text in messages.OR_WORDS


def _lex(text: str) -> list[_Lexeme]:
    lexemes, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        i += negated
        field_name = "text"
        m = _FIELD.match(text, i)
        if m:
            field_name, i = messages.FIELD_ALIASES[m.group(1)], m.end()
        quoted = i < n and text[i] in OPEN_QUOTES
        if quoted:
            end = min((j for j in (text.find(q, i + 1) for q in CLOSE_QUOTES) if j != -1), default=-1)
            if end == -1:
                raise _Malformed(messages.REASON_QUOTE)
            value, i = text[i + 1:end].strip(), end + 1
        elif i < n and text[i] in QUOTES:
            raise _Malformed(messages.REASON_QUOTE)
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in QUOTES:
                i += 1
            value = text[start:i]
        if not value:
            if negated:
                raise _Malformed(messages.REASON_EMPTY_EXCLUDE)
            if field_name != "text":
                raise _Malformed(messages.REASON_EMPTY_FIELD.format(field=m.group(1)))
            continue
        lexemes.append(_Lexeme(value, field_name, negated, quoted))
    return lexemes


def _strict(text: str) -> ParsedText:
    parsed = ParsedText()
    pending_or = False
    for lexeme in _lex(text):
        if lexeme.is_or:
            if pending_or or not parsed.groups:
                raise _Malformed(messages.REASON_OR)
            pending_or = True
            parsed.plain = False
            continue
        term = Term(lexeme.text, lexeme.field)
        if lexeme.negated:
            if pending_or:
                raise _Malformed(messages.REASON_OR)
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
        parsed.plain = parsed.plain and not (lexeme.negated or lexeme.quoted or lexeme.field != "text")
    if pending_or:
        raise _Malformed(messages.REASON_OR)
    return parsed


def plain_words(text: str) -> list[str]:
    """The words of `text` with every operator removed: what a malformed query falls back to.

    >>> plain_words('-"清廉 学校 OR 单位: 建设')
    ['清廉', '学校', '建设']
    """
    words = []
    for token in "".join(" " if ch in QUOTES else ch for ch in text).split():
        token = _FIELD.sub("", token.lstrip("-"), count=1)
        if token and token not in messages.OR_WORDS:
            words.append(token)
    return words


def parse_text(text: str) -> ParsedText:
    """Parse the query text; never raises (see the module docstring)."""
    try:
        return _strict(text)
    except _Malformed as problem:
        return ParsedText(groups=[[Term(word)] for word in plain_words(text)],
                          notice=messages.NOTICE_SYNTAX.format(reason=problem))
