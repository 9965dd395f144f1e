r"""Snippets as data: an excerpt of the clause text, cut around the matches, and the spans of the matches.

Matches are found on compacted text (see `tokenizer.normalize`) and mapped back to the original,
so `泸发[2021]` marks `泸发〔2021〕`, `ＡＢＣ` marks `abc` and `泸溪县` marks a wrapped `泸\n溪县`.
The text is kept as written (not escaped): each reader renders it, the site as HTML with
<mark> (`app.web`), the CLI with 【】, the JSON as `{"text", "marks"}`.

>>> s = snippet("建设清廉学校<b>，县教体局牵头。", ["清廉学校", "教体局"])
>>> s.text, s.marks, s.marked()
('建设清廉学校<b>，县教体局牵头。', ((2, 6), (11, 14)), ['清廉学校', '教体局'])
>>> s.render(lambda part: f"【{part}】")
'建设【清廉学校】<b>，县【教体局】牵头。'
>>> snippet("一" * 300 + "清廉" + "二" * 300, ["清廉"], width=20).render(lambda part: f"[{part}]")
'…一一一一一一[清廉]二二二二二二二二二二二二…'
>>> snippet("清廉" * 20, ["清廉" * 20], width=10).render(lambda part: f"[{part}]")
'[清廉清廉清廉清廉清廉]…'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tokenizer import compact, compact_text

SNIPPET_CHARS = 160
LEAD_CHARS = 30
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """An excerpt as written (with … where it is cut) and the (start, end) of each match in it, in order."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def marked(self) -> list[str]:
        """The text of each match."""
        return [self.text[s:e] for s, e in self.marks]

    def render(self, mark: Callable[[str], str], plain: Callable[[str], str] = str) -> str:
        """The text with each match passed through `mark` and the rest through `plain` (an escape)."""
        parts, cursor = [], 0
        for s, e in self.marks:
            parts += [plain(self.text[cursor:s]), mark(self.text[s:e])]
            cursor = e
        parts.append(plain(self.text[cursor:]))
        return "".join(parts)


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every occurrence of the terms, longer terms first."""
    compacted, offsets = compact(text)
    spans: list[tuple[int, int]] = []
    for term in sorted({compact_text(t).strip() for t in terms} - {""}, key=len, reverse=True):
        start = compacted.find(term)
        while start != -1:
            end = start + len(term)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = compacted.find(term, start + 1)
    return sorted((offsets[s], offsets[e - 1] + 1) for s, e in spans)


def _window(length: int, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if length <= width:
        return 0, length
    lead = min(LEAD_CHARS, width // 3)
    # The window that holds the most matches, starting a little before one of them.
    best = max(spans, key=lambda s: sum(1 for t in spans if s[0] - lead <= t[0] and t[1] <= s[0] - lead + width),
               default=(lead, lead))
    start = max(0, min(best[0] - lead, length - width))
    return start, start + width


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> Snippet:
    """An excerpt of `text` of about `width` characters around the terms, with their spans."""
    spans = match_spans(text, terms)
    start, end = _window(len(text), spans, width)
    before = ELLIPSIS if start > 0 else ""
    shift = len(before) - start
    # A match the window cuts is marked as far as it is shown.
    marks = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start)
    return Snippet(before + text[start:end] + (ELLIPSIS if end < len(text) else ""), marks)
