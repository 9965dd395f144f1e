"""Properties every parse keeps, on generated text: no crash, clauses are slices of the text, ids unique and stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import normalize
from corpus.normalize import fold_for_parsing
from corpus.text import document_from_body, parse_text

PIECES = [
    "泸水县人民政府", "中共泸水县委办公室 ", "关于做好安全工作的通知", "关于印发《方案》的 通 知", "泸政发〔2023〕1号",
    "泸政办函[2022]7号", "（2023年 3月 28日）", "2023年1月13日", "一、", "二、", "（一）", "（二）", "1.", "2. ", "（1）",
    "第一章 总则", "第一条", "第二条", "附件：1.名单", "附件1", "·· 3", "泸水县人民政府公报 2023年第 1期（总第 5期）",
    "加强组织领导。", "（牵头单位：县教体局；主要责任单位：县委办）", "（县委组织部、县委党校）", "责任单位：县应急局",
    "2023年6月底前完成", "每季度", "，", "。", "：", "各乡镇人民政府：", " ", "\t", "\n", "\n\n", "县气象局：负责预报。",
    "abc", "12", "(", ")", "《", "》",
]

texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_any_text_parses_into_consistent_documents(text):
    docs = parse_text(text, "gen.txt")
    ids = [c.id for d in docs for c in d.clauses]
    assert len(ids) == len(set(ids))
    for doc in docs:
        assert doc.id and isinstance(doc.title, str)
        for clause in doc.clauses:
            assert clause.text in doc.text
            assert clause.path[-1] == clause.label
            assert clause.id.startswith(doc.id + "/")
    assert [d.to_dict() for d in parse_text(text, "gen.txt")] == [d.to_dict() for d in docs]


@settings(max_examples=100, deadline=None)
@given(texts, st.sampled_from([{}, {"title": "关于某事的通知"}, {"doc_number": "泸政函[2023]5号"}]))
def test_document_from_body_never_crashes(text, known):
    doc = document_from_body(text, source="page.html", known=dict(known))
    if doc is not None:
        for clause in doc.clauses:
            assert clause.text in doc.text


@settings(max_examples=100, deadline=None)
@given(texts)
def test_fold_for_parsing_keeps_offsets_and_leaves_no_ascii_punctuation(text):
    folded = fold_for_parsing(text)
    assert len(folded) == len(text) and fold_for_parsing(folded) == folded
    assert not set("()[]:;,") & set(folded)


def test_the_parsing_fold_is_not_named_like_the_tokenizer_fold():
    """`tokenizer.normalize.fold` folds for search; the parsers' fold has its own name."""
    assert not hasattr(normalize, "fold")
