"""What a question asks for: its content words, each as often as it was said, and the legal terms of its lay words.

A question (or any plain query the strict search finds little for) is searched by its content
words: the words of its terms as the index cuts them, stop words (如何, 是否, 吗…) left out, and
not the 文号 it cites (those select their document). A word said twice weighs twice in the
ranking, as in textbook BM25 (`劳动关系与劳务关系`: 关系 twice). People ask in their own words
(辞职, 工资, 房东) where statutes write others (解除劳动合同, 劳动报酬, 出租人): `data/lay_terms.tsv`,
a small table of general legal vocabulary, adds the legal term's words to a question holding a
lay word (measured by `bench/bench_relevance.py`).

>>> asked = content_words(["劳动者能否口头辞职？"], lambda text: ["劳动者", "能否", "口头", "辞职"] if "辞职" in text
...                       else ["解除", "劳动合同"])
>>> asked.counts, asked.legal
({'劳动者': 1, '能否': 1, '口头': 1, '辞职': 1, '解除': 1, '劳动合同': 1}, {'辞职': '解除劳动合同'})
>>> asked.words, asked.own
(['劳动者', '能否', '口头', '辞职', '解除', '劳动合同'], ['劳动者', '能否', '口头', '辞职'])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tokenizer import compact_text

LAY_TERMS_FILE = Path(__file__).resolve().parent / "data" / "lay_terms.tsv"
# A plain query the strict search finds fewer units for than this is tried as a question…
FEW_HITS = 3
# …unless the strict search found some and the query has fewer terms than this.
LONG_QUERY_TERMS = 3


def _lay_terms() -> dict[str, str]:
    lines = LAY_TERMS_FILE.read_text("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#"))


LAY_TERMS = _lay_terms()


@dataclass
class ContentWords:
    """`counts`: each content word (the legal terms' words included) and how often it was said;
    `legal`: each lay word of the question and the legal term it was also searched as;
    `own`: the words of the question itself."""

    counts: dict[str, int] = field(default_factory=dict)
    legal: dict[str, str] = field(default_factory=dict)
    own: list[str] = field(default_factory=list)

    def worth_asking(self, terms: list[str], strict_found: int) -> bool:
        """Whether the query is searched as a question, given the units the strict search found.

        It needs two content words of its own; one literal found in the text is what the user meant,
        however long, and two terms found together too.

        >>> asked = ContentWords({"口头": 1, "辞职": 1}, own=["口头", "辞职"])
        >>> asked.worth_asking(["口头辞职"], 0), asked.worth_asking(["口头", "辞职"], 1)
        (True, False)
        """
        return len(self.own) >= 2 and not (strict_found and len(terms) < LONG_QUERY_TERMS)

    @property
    def words(self) -> list[str]:
        return list(self.counts)

    def said(self) -> list[str]:
        """Each word as often as it was said (what the ranking sums over)."""
        return [word for word, times in self.counts.items() for _ in range(times)]


def content_words(terms: list[str], cut: Callable[[str], list[str]],
                  cites: Callable[[str], object] = lambda term: None) -> ContentWords:
    """The content words of the `terms` (`cut` gives a text's words as the index cuts them, stop words
    left out; a term that `cites` an indexed 文号 has none), with the legal terms of their lay words."""
    said = Counter(word for term in terms if not cites(term) for word in cut(term))
    own = list(said)
    text = compact_text(" ".join(terms))
    legal = {lay: term for lay, term in LAY_TERMS.items() if lay in text and compact_text(term) not in text}
    for term in legal.values():
        said.update(word for word in cut(term) if word not in said)
    return ContentWords(dict(said), legal, own)
