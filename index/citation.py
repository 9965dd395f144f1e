"""Queries that cite a document by its 发文字号, optionally naming one of its clauses.

>>> split_citation("泸发[2021]24号 第18项")
('泸发〔2021〕24号', '第18项')
>>> split_citation("泸发（2021）24号二、（一）")
('泸发〔2021〕24号', '二、（一）')
>>> split_citation("清廉学校") is None
True
>>> label_slugs("第十八项"), label_slugs("二、（一）"), label_slugs("第三条"), label_slugs("18.")
(['18'], ['2', '1'], ['t3'], ['18'])
"""

from __future__ import annotations

import re

from corpus.docnumber import doc_number_key
from corpus.model import Clause, clause_slug, label_slug
from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from index.messages import ITEM_WORD
from tokenizer import fold

_CITATION = re.compile(r"^\s*(?P<number>[^\s〔〕]{1,30}?\s*〔\s*\d{4}\s*〕\s*\d+\s*号)\s*(?P<label>.*?)\s*$")
_LABEL = re.compile(
    rf"第[{NUMERAL_CHARS}\d]+[章节条款{ITEM_WORD}]"
    rf"|[{NUMERAL_CHARS}]+、"
    rf"|（[{NUMERAL_CHARS}\d]+）"
    r"|\d+[.．、]?"
)
_ITEM = re.compile(r"^第(.+)" + ITEM_WORD + "$")


def split_citation(text: str) -> tuple[str, str] | None:
    """(文号 in comparison form, the rest) when `text` starts with a 文号, else None."""
    m = _CITATION.match(fold(text))
    # Folding keeps offsets, so the label is cut from the text as typed.
    return (doc_number_key(m["number"]), text[m.start("label"):m.end("label")]) if m else None


def label_slugs(label_text: str) -> list[str] | None:
    """The outline path a clause reference names, as slugs; None if it is not one."""
    compact = "".join(label_text.replace("（", " （").split())
    compact = compact.translate(str.maketrans("〔〕", "（）"))
    parts = _LABEL.findall(compact)
    if not parts or "".join(parts) != compact:
        return None
    slugs = []
    for part in parts:
        item = _ITEM.match(part)
        if item:
            number = item.group(1)
            slugs.append(str(int(number) if number.isdigit() else chinese_to_int(number)))
        else:
            slugs.append(label_slug(part if not part[-1].isdigit() else part + "."))
    return slugs


def find_clause(clauses: list[Clause], label_text: str) -> Clause | None:
    """The clause of `clauses` a reference such as `第18项` or `二、（一）` names.

    The whole path is tried first (`二、（一）`); a single label matches the shallowest clause
    whose own label has that number (`第18项` finds `五、18.`).
    """
    wanted = label_slugs(label_text)
    if not wanted:
        return None
    candidates = []
    for clause in clauses:
        own = clause_slug(clause.path).split(".")
        if own == wanted:
            return clause
        if own[-len(wanted):] == wanted:
            candidates.append(clause)
    return min(candidates, key=lambda c: c.depth, default=None)
