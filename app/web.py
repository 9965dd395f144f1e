"""What every page shares: the index handle, Jinja filters, security headers.

>>> cn_date("2021-11-12"), cn_date(None), cn_date("2021")
('2021年11月12日', '', '2021')
>>> bar_class(3, 12), bar_class(0, 0)
('w5', 'w0')
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Mapping

from flask import Flask, current_app, request
from markupsafe import Markup

from app import labels, urls
from corpus.normalize import fold_for_parsing
from index.engine import engine_url, open_engine

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
BAR_STEPS = 20

# What may follow a heading before the text goes on, as fold_for_parsing writes it.
_AFTER_HEADING = " \n。：，；."


def get_index():
    """The search engine of this app: the SphinxQL cluster of config `ENGINE` (else `$GONGWEN_ENGINE`),
    else the index folder `INDEX_DIR` (opened once per process, reopened after a rebuild)."""
    return open_engine(engine_url(current_app.config.get("ENGINE")), current_app.config["INDEX_DIR"])


def cn_date(value: str | None) -> str:
    """An ISO date as people write it on a 公文: 2021年11月12日."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def bar_class(count: int, largest: int) -> str:
    """A CSS width class (w0 … w20, 5% steps) for a histogram bar: the CSP allows no inline styles."""
    return f"w{round(BAR_STEPS * count / largest) if largest else 0}"


def _flags(length: int, marks) -> list[bool]:
    """Per character of a snippet's text, whether a mark holds it."""
    flags = [False] * length
    for s, e in marks:
        flags[s:e] = [True] * (e - s)
    return flags


def _marked_html(text: str, marked: list[bool]) -> Markup:
    """Text as escaped HTML, runs of marked characters in <mark>."""
    runs, at = [], 0
    for flag, run in itertools.groupby(marked):
        end = at + len(list(run))
        runs.append(f"<mark>{html.escape(text[at:end])}</mark>" if flag else html.escape(text[at:end]))
        at = end
    return Markup("".join(runs))


def marked_html(snippet: Mapping) -> Markup:
    """A search hit's snippet (`{"text", "marks"}`, `index.snippets`) as escaped HTML with <mark>s.

    >>> marked_html({"text": "建设清廉<学校>", "marks": [[2, 4]]})
    Markup('建设<mark>清廉</mark>&lt;学校&gt;')
    """
    return _marked_html(snippet["text"], _flags(len(snippet["text"]), snippet["marks"]))


def split_lead(text: str, label: str, heading: str | None = None, marks=()) -> tuple[Markup | None, Markup]:
    """A clause's text or snippet, with the [start, end) `marks` of its matches, split into the heading
    it starts with and the rest, each as escaped HTML with <mark>s.

    The hit shows its label and heading above the snippet, so the snippet drops them; the heading
    comes back with its <mark>s (None when the snippet does not start with it). Widths of brackets,
    colons and dots do not matter; a snippet that starts elsewhere (…) is kept whole.

    >>> split_lead("18.建设清廉学校。加强学校思想文化阵地建设", "18.", "建设清廉学校", [(5, 7)])
    (Markup('建设<mark>清廉</mark>学校'), Markup('加强学校思想文化阵地建设'))
    >>> split_lead("(一)“建设好”农村公路。1.严格按照", "（一）", "“建设好”农村公路")
    (Markup('“建设好”农村公路'), Markup('1.严格按照'))
    >>> split_lead("二、总体目标", "二、", "总体目标", [(2, 6)])
    (Markup('<mark>总体目标</mark>'), Markup(''))
    >>> split_lead("…紧围绕森林资源保护利用", "一、", "指导思想")
    (None, Markup('…紧围绕森林资源保护利用'))
    >>> split_lead("3.清廉机关建设 <要求>", "3.", "机关建设", [(2, 4)])
    (None, Markup('<mark>清廉</mark>机关建设 &lt;要求&gt;'))
    >>> split_lead("总体目标。到2022年", "5.", "总体目标", [(0, 2)])
    (Markup('<mark>总体</mark>目标'), Markup('到2022年'))
    >>> split_lead("附件1\\nⅢ级应急响应\\n响应条件", "附件1", "Ⅲ级应急响应", [(6, 8)])
    (Markup('Ⅲ级<mark>应急</mark>响应'), Markup('响应条件'))
    """
    marked = _flags(len(text), marks)
    folded = fold_for_parsing(text)
    label, heading = fold_for_parsing(label), fold_for_parsing((heading or "").strip())
    labelled = folded.startswith(label)
    start = len(label) if labelled else 0
    start = len(folded) - len(folded[start:].lstrip())
    found = bool(heading) and folded.startswith(heading, start)
    if not (labelled or found):
        return None, _marked_html(text, marked)
    end = start + len(heading) if found else start
    rest = len(folded) - len(folded[end:].lstrip(_AFTER_HEADING if found else ""))
    stop = len(folded.rstrip())
    lead = _marked_html(text[start:end], marked[start:end]) if found else None
    return lead, _marked_html(text[rest:stop], marked[rest:stop])


def absolute(path: str) -> str:
    """A site path as a full URL, for canonical links, feeds and copied links.

    It starts with the configured PUBLIC_URL, else with the host the request came to.
    """
    base = current_app.config["PUBLIC_URL"] or request.host_url
    return base.rstrip("/") + path


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)
    app.add_template_filter(cn_date)
    app.add_template_global(split_lead)
    app.add_template_global(marked_html)
    app.add_template_global(bar_class)
    app.add_template_global(absolute)
    app.add_template_global(urls, "urls")
    app.add_template_global(labels, "labels")
