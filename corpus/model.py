"""The document model every layer shares: documents, their clauses, units and deadlines.

Parsers (gazette text, regulations, web pages, PDF, Word) all produce `Document`s;
the index stores them and the site renders them. `Document.to_dict()` is the JSON
contract of `python -m corpus parse --json` and of the site's `/d/<id>.json`.

Identifiers are stable and readable, derived from the 发文字号 and the outline path,
never from file names or positions in a file:

>>> doc_id_for("泸发〔2021〕24号", "关于推进清廉泸溪建设的意见")
'泸发-2021-24'
>>> clause_slug(["二、", "（一）", "3."])
'2.1.3'
>>> clause_slug(["第二章", "第十五条", "（一）"])
'z2.t15.1'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

from corpus.outline import clause_slug

ROLES = ("lead", "main", "cooperating", "responsible")


@dataclass
class Unit:
    """A responsible unit of a clause: canonical `name`, its `role`, how the text wrote it, and
    the `government` it belongs to (the issuing office's place, `泸溪县`): every city has a
    `市财政局`, and a unit is the pair (government, name)."""

    name: str
    role: str
    as_written: str
    government: str | None = None


@dataclass
class Deadline:
    """A time limit a clause sets: the original words, and an ISO date when one can be derived.

    `kind` is "date" (2023年6月底前), "recurring" (每季度) or "ongoing" (长期坚持).
    """

    text: str
    kind: str
    date: str | None = None


@dataclass
class Citation:
    """Another document this one cites, by 文号 and/or 《title》."""

    doc_number: str | None = None
    title: str | None = None


@dataclass
class Clause:
    """One numbered item of a document's outline (一、 / （一） / 1. / 第X条 …)."""

    id: str
    label: str
    path: list[str]
    text: str
    heading: str | None = None
    lead_units: list[str] = field(default_factory=list)
    main_units: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> Clause:
        """The clause `dataclasses.asdict` gave `data` for."""
        return cls(**{**data, "units": [Unit(**u) for u in data.get("units", [])],
                      "deadlines": [Deadline(**d) for d in data.get("deadlines", [])]})

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def unit_names(self) -> list[str]:
        """Canonical unit names, each once, in order of appearance."""
        return list(dict.fromkeys(u.name for u in self.units))


@dataclass
class Document:
    """One official document (公文) with its metadata and its clauses in document order.

    `date` is the 成文日期 (ISO, or None when the text has none); `publish_date` is the
    发布日期 of a web page. `text` is the full body as printed (hard wraps joined), the
    source of truth for display; clauses are slices of it.
    """

    id: str
    title: str
    doc_number: str | None
    offices: list[str]
    doc_type: str | None
    date: str | None
    text: str
    source: str
    issued_title: str | None = None
    gazette: str | None = None
    recipients: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    registration_code: str | None = None
    cites: list[Citation] = field(default_factory=list)
    effective_date: str | None = None
    validity: str | None = None
    repeals: str | None = None
    publish_date: str | None = None
    source_url: str | None = None
    metadata_sources: dict[str, str] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        data = dict(data)
        data["cites"] = [Citation(**c) for c in data.get("cites", [])]
        data["clauses"] = [Clause.from_dict(c) for c in data.get("clauses", [])]
        return cls(**data)


_DOC_NUMBER = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<seq>\d+)号$")


@dataclass
class Reading:
    """One file as its reader (`corpus.readers`) read it, before any extraction: the text, and
    for a web page what the page shows about the document.

    `fields` (None for a format without them: text, PDF, Word) are `(name, value, origin)`
    triples, best first: `name` a `Document` field (title, doc_number, offices, date,
    publish_date, source_url), `value` as the page writes it, `origin` where it stands
    (`label 发布日期`, `meta PubDate`, `h1`, `title tag`). Extraction (`corpus.extract`)
    turns them into values; the first usable value of a field wins.
    """

    source: str
    text: str
    fields: list[tuple[str, str, str]] | None = None


def doc_id_for(doc_number: str | None, title: str, date: str | None = None, text: str | None = None) -> str:
    """The document's stable id: its normalised 文号 made URL-friendly, else a content hash.

    The hash covers the title, the date and, when given, the body `text` (whitespace
    ignored), so two documents that share a title but say different things get different ids,
    while the same document read again (from another file, or wrapped differently) keeps its id.

    >>> doc_id_for(None, "关于规范春节期间燃放烟花爆竹的通告", "2023-01-13")
    'doc-8ec75e4d87'
    >>> doc_id_for(None, "通告", text="一、禁止燃放。"), doc_id_for(None, "通告", text="一、禁止\\n燃放。")
    ('doc-3b5a5ee15d', 'doc-3b5a5ee15d')
    >>> doc_id_for(None, "通告", text="一、允许燃放。")
    'doc-9101fce5b7'
    """
    if doc_number:
        m = _DOC_NUMBER.match(doc_number)
        if m:
            return f"{m['prefix']}-{m['year']}-{m['seq']}"
        return re.sub(r"[\s/?#%〔〕\[\]()（）]+", "-", doc_number).strip("-")
    key = f"{title}|{date or ''}"
    body = "".join((text or "").split())
    if body:
        key += f"|{body}"
    return f"doc-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def clause_id_for(doc_id: str, path: list[str], taken: set[str] | None = None) -> str:
    """`<doc id>/<outline slug>`, suffixed `~2`, `~3`… if a document repeats an outline path.

    >>> clause_id_for("泸发-2021-24", ["五、", "18."])
    '泸发-2021-24/5.18'
    """
    base = f"{doc_id}/{clause_slug(path)}"
    if taken is None:
        return base
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}~{n}"
    taken.add(candidate)
    return candidate
