r"""Snippets: the clause text, escaped, cut around the matches, each match wrapped in <mark>.

Matches are found on compacted text (see `tokenizer.normalize`) and mapped back to the original,
so `泸发[2021]` marks `泸发〔2021〕`, `ＡＢＣ` marks `abc` and `泸溪县` marks a wrapped `泸\n溪县`.

>>> snippet("建设清廉学校<b>，县教体局牵头。", ["清廉学校", "教体局"])
'建设<mark>清廉学校</mark>&lt;b&gt;，县<mark>教体局</mark>牵头。'
>>> snippet("一" * 300 + "清廉" + "二" * 300, ["清廉"], width=20)
'…一一一一一一<mark>清廉</mark>二二二二二二二二二二二二…'
"""

from __future__ import annotations

from html import escape

from tokenizer import compact, compact_text

SNIPPET_CHARS = 160
LEAD_CHARS = 30
ELLIPSIS = "…"


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


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """HTML-safe excerpt of `text` of about `width` characters with the terms marked."""
    spans = match_spans(text, terms)
    start, end = _window(len(text), spans, width)
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts += [escape(text[cursor:s]), "<mark>", escape(text[s:e]), "</mark>"]
        cursor = e
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)
