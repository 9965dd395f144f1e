"""Search over the bundled sample corpus, checked against answers computed from the parsed documents."""

import random
from collections import Counter

import pytest

from index import open_index
from index.citation import split_citation
from index.messages import FIELD_ALIASES, OR_WORDS
from index.passages import layout, units
from index.query import SearchQuery
from index.syntax import QUOTES
from tokenizer import compact_text


@pytest.fixture(scope="module")
def index(sample_index):
    return open_index(sample_index)


@pytest.fixture(scope="module")
def clauses(sample_documents):
    """Every search unit: the numbered clauses and the passages of text outside them."""
    return [(doc, unit) for doc in sample_documents for unit in units(doc)]


def hit_ids(index, text, **kwargs):
    result = index.search(SearchQuery(text=text, size=1000, **kwargs))
    assert result.total == len(result.hits) or result.total > 1000
    return [hit.clause_id for hit in result.hits]


def test_index_holds_the_corpus(index, sample_documents, clauses):
    stats = index.stats()
    assert stats["documents"] == len(sample_documents) and stats["clauses"] == len(clauses)
    assert len(clauses) > sum(len(doc.clauses) for doc in sample_documents)


def test_every_character_of_every_document_is_in_a_search_unit(sample_documents):
    for doc in sample_documents:
        covered = bytearray(len(doc.text))
        for span in layout(doc):
            assert compact_text(doc.text[span.start:span.end]) in compact_text(span.unit.text)
            covered[span.start:span.end] = b"\1" * (span.end - span.start)
        lost = "".join(ch for ch, seen in zip(doc.text, covered, strict=True) if not seen and not ch.isspace())
        assert not lost, (doc.id, lost[:40])


def test_clean_school_finds_the_clause_led_by_the_education_bureau(index):
    first = index.search(SearchQuery(text="清廉学校")).hits[0]
    doc, clause = index.clause(first.clause_id)
    assert doc.doc_number == "泸发〔2021〕24号"
    assert "县教体局" in clause.lead_units
    assert "清廉学校" in first.snippet.marked()


def test_citation_with_item_number_puts_the_clause_first(index):
    first = index.search(SearchQuery(text="泸发[2021]24号 第18项")).hits[0]
    doc, clause = index.clause(first.clause_id)
    assert doc.doc_number == "泸发〔2021〕24号" and clause.label == "18."


def searchable(text: str) -> bool:
    """A substring typed as it is: no query syntax, not a 文号 citation."""
    return (text.strip() == text and not any(ch in QUOTES or ch.isspace() for ch in text)
            and not text.startswith("-") and text not in OR_WORDS
            and not any(text.startswith(f"{alias}{colon}") for alias in FIELD_ALIASES for colon in ":：")
            and split_citation(text) is None)


def test_every_clause_containing_a_random_substring_is_found(index, clauses):
    rng = random.Random(20211112)
    queries = set()
    while len(queries) < 240:
        _, clause = rng.choice(clauses)
        size = rng.choice([1, 2, 2, 3, 4, 4, 5, 6, 8, 12])
        start = rng.randrange(max(1, len(clause.text) - size))
        text = clause.text[start:start + size]
        if len(text) == size and searchable(text):
            queries.add(text)
    queries |= {"清廉学校", "湘政办发〔2021〕", "县教体局", "2021", "泸", "牵头单位"}
    texts = [(c.id, c.text, compact_text(c.text)) for _, c in clauses]
    for text in sorted(queries):
        found = set(hit_ids(index, text))
        literal = {cid for cid, raw, _ in texts if text in raw}
        compacted = {cid for cid, _, compact in texts if compact_text(text) in compact}
        assert literal <= found, text
        assert found == compacted, text


def test_bracket_variants_find_the_same_clauses(index):
    assert hit_ids(index, "湘政办发[2021]") == hit_ids(index, "湘政办发（2021）") == hit_ids(index, "湘政办发〔2021〕")
    assert hit_ids(index, "湘政办发〔2021〕")


def direct_counts(clauses, keep):
    counts = {name: Counter() for name in ("type", "office", "unit", "year")}
    for doc, clause in clauses:
        if not keep(doc, clause):
            continue
        counts["type"].update([doc.doc_type] if doc.doc_type else [])
        counts["office"].update(set(doc.offices))
        counts["unit"].update(clause.unit_names)
        counts["year"].update([(doc.date or doc.publish_date)[:4]] if (doc.date or doc.publish_date) else [])
    return counts


@pytest.mark.parametrize("text", ["", "建设", "县财政局", "泸"])
def test_facet_counts_equal_counts_from_the_documents(index, clauses, text):
    result = index.search(SearchQuery(text=text), facet_limit=10_000)
    expected = direct_counts(clauses, lambda doc, clause: compact_text(text) in compact_text(clause.text))
    assert result.total == sum(1 for d, c in clauses if compact_text(text) in compact_text(c.text))
    for facet in result.facets:
        assert {v.value: v.count for v in facet.results} == dict(expected[facet.name]), facet.name
        assert not facet.truncated


def test_filtered_facets_equal_counts_from_the_documents(index, clauses):
    office = "泸溪县人民政府办公室"
    result = index.search(SearchQuery(text="建设", offices=(office,), types=("通知",)), facet_limit=10_000)

    def matches(doc, clause):
        return "建设" in compact_text(clause.text)

    assert result.total == sum(1 for d, c in clauses if matches(d, c) and office in d.offices and d.doc_type == "通知")
    by_name = {f.name: {v.value: v.count for v in f.results} for f in result.facets}
    assert by_name["unit"] == dict(direct_counts(
        clauses, lambda d, c: matches(d, c) and office in d.offices and d.doc_type == "通知")["unit"])
    # Within the 文种 facet its own selection is ignored; the office selection still applies.
    assert by_name["type"] == dict(direct_counts(clauses, lambda d, c: matches(d, c) and office in d.offices)["type"])


def test_unit_pages_agree_with_the_unit_facet(index):
    units = next(f for f in index.search(SearchQuery(), facet_limit=10_000).facets if f.name == "unit")
    for value in units.results[:15]:
        groups = index.unit_clauses(value.value)
        assert sum(len(clauses) for _, clauses in groups) == value.count
        dates = [doc.date or "" for doc, _ in groups]
        assert dates == sorted(dates, reverse=True)
