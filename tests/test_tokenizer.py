"""The Chinese analyzers honour Whoosh's token contract, fold text variants, pickle, and stay quiet."""

import pickle
import subprocess
import sys
from collections import Counter

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT, Schema

from corpus.model import Clause, Document, Unit
from tokenizer import (
    CharNgramTokenizer,
    JiebaTokenizer,
    chinese_analyzer,
    compact_text,
    fold,
    jieba_for,
    ngram_analyzer,
    user_words,
)

SENTENCE = "（牵头单位：县教体局；主要责任单位：县纪委监委）推进清廉学校建设，落实ＡＢＣ１２３号文件。"
CHINESE_TEXT = st.text(
    alphabet=st.sampled_from(list("清廉学校建设县教体局林长制泸发〔〕[]()（）２０２１2021号，。：ＡaBb　 \n一二三、")),
    max_size=60,
)


def tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, **kwargs)]


def test_fold_is_length_preserving_and_merges_variants():
    for variant in ["泸发[2021]24号", "泸发（2021）24号", "泸发(2021)24号", "泸发［２０２１］２４号", "泸发〔2021〕24号"]:
        assert fold(variant) == "泸发〔2021〕24号"
        assert len(fold(variant)) == len(variant)
    assert fold("ＬＸＤＲ-2023") == "lxdr-2023"
    assert fold("(2021)") == fold("（2021）") == "〔2021〕"


@settings(max_examples=200, deadline=None)
@given(CHINESE_TEXT)
def test_offsets_slice_the_original_text(text):
    for analyzer in (JiebaTokenizer(), CharNgramTokenizer()):
        for mode in ("index", "query"):
            for word, _pos, start, end in tokens(analyzer, text, mode=mode):
                assert compact_text(text[start:end]) == word


@settings(max_examples=200, deadline=None)
@given(CHINESE_TEXT)
def test_jieba_positions_are_sequential(text):
    query = tokens(JiebaTokenizer(), text, mode="query")
    assert [p for _, p, _, _ in query] == list(range(len(query)))
    indexed = tokens(JiebaTokenizer(), text, mode="index")
    # Every query-time word is indexed at the same position; index-only extras share a word's position.
    assert set(query) <= set(indexed)
    assert sorted({p for _, p, _, _ in indexed}) == list(range(len(query)))


def test_index_mode_adds_words_inside_compounds():
    words = [w for w, *_ in tokens(JiebaTokenizer(), "中华人民共和国", mode="index")]
    assert "中华人民共和国" in words and "人民" in words and "共和国" in words
    assert [w for w, *_ in tokens(JiebaTokenizer(), "中华人民共和国", mode="query")] == ["中华人民共和国"]


def test_bracket_and_width_variants_analyze_alike():
    analyzer = chinese_analyzer()
    plain = [t.text for t in analyzer("泸发〔2021〕24号", mode="query")]
    assert plain == [t.text for t in analyzer("泸发（２０２１）２４号", mode="query")]
    assert "2021" in plain
    grams = ngram_analyzer()
    assert [t.text for t in grams("泸发[2021]", mode="query")] == [t.text for t in grams("泸发〔2021〕", mode="query")]


def test_tokenizer_reuses_one_token_and_honours_flags():
    produced = list(id(t) for t in JiebaTokenizer()("清廉学校建设"))
    assert len(set(produced)) == 1
    bare = next(iter(JiebaTokenizer()("清廉学校")))
    assert not hasattr(bare, "pos") and not hasattr(bare, "startchar")
    whole = [(t.text, t.startchar, t.endchar) for t in JiebaTokenizer()("ＡＢ学\n校", tokenize=False, chars=True)]
    assert whole == [("ab学校", 0, 5)]


def test_words_and_pairs_join_across_line_wraps():
    assert "泸溪县" in [t.text for t in chinese_analyzer(("泸溪县",))("地址：泸\n溪县武溪镇", mode="query")]
    pair = [(t.text, t.startchar, t.endchar) for t in CharNgramTokenizer()("泸\n溪", chars=True) if len(t.text) == 2]
    assert pair == [("泸溪", 0, 3)]


def test_stop_words_are_removed_or_marked():
    analyzer = chinese_analyzer()
    assert "的" not in [t.text for t in analyzer("清廉的学校")]
    kept = [(t.text, t.stopped) for t in analyzer("清廉的学校", removestops=False)]
    assert ("的", True) in kept


def test_ngrams_are_the_pairs_of_word_characters():
    grams = [w for w, *_ in tokens(CharNgramTokenizer(), "县教体局，牵头，泸", mode="index")]
    assert grams == ["县教", "教体", "体局", "牵头"]


def test_user_dictionary_keeps_corpus_names_whole():
    doc = Document(
        id="泸政办函-2021-72", title="关于做好林业工作的通知", doc_number="泸政办函〔2021〕72号",
        offices=["泸溪县人民政府办公室"], doc_type="通知", date="2021-06-01", text="", source="t.txt",
        clauses=[Clause(id="泸政办函-2021-72/1", label="一、", path=["一、"], text="由县林业局牵头。",
                        lead_units=["县林业局"],
                        units=[Unit(name="县林业局", role="lead", as_written="县林业局")])],
    )
    words = user_words([doc])
    assert {"县林业局", "泸溪县人民政府办公室", "林长制", "牵头单位"} <= set(words)
    cut = [t.text for t in chinese_analyzer(words)("由县林业局牵头落实林长制", mode="query")]
    assert "县林业局" in cut and "林长制" in cut
    assert "县林业局" in jieba_for(words).lcut("县林业局牵头")


def test_analyzers_pickle_with_the_schema():
    analyzer = chinese_analyzer(("县教体局",))
    copy = pickle.loads(pickle.dumps(analyzer))
    assert tokens(copy, SENTENCE) == tokens(analyzer, SENTENCE)
    schema = Schema(body=TEXT(analyzer=analyzer), grams=TEXT(analyzer=ngram_analyzer(), phrase=False))
    restored = pickle.loads(pickle.dumps(schema))
    assert [t.text for t in restored["body"].analyzer(SENTENCE)] == [t.text for t in analyzer(SENTENCE)]


def test_jieba_does_not_print_on_load():
    code = "from tokenizer import chinese_analyzer; print(len(list(chinese_analyzer()('清廉学校建设'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == "3"
    assert done.stderr == ""


def test_a_tokenizer_finds_its_jieba_once_and_pickles_without_it(monkeypatch):
    import tokenizer.analysis

    calls = []
    monkeypatch.setattr(tokenizer.analysis, "jieba_for", lambda words: calls.append(words) or jieba_for(words))
    analyzer = chinese_analyzer(("泸溪高新区",))
    for text in ("泸溪高新区", "泸溪高新区林长制", "林长制"):
        list(analyzer(text, mode="query"))
    assert calls == [("泸溪高新区",)]
    # A copy (say, unpickled in another process) finds its own jieba.
    copy = pickle.loads(pickle.dumps(analyzer))
    assert "_jieba" not in copy.__dict__
    assert [t.text for t in copy("泸溪高新区林长制", mode="query")] == ["泸溪高新区", "林长制"]
    assert len(calls) == 2


def test_analyzers_are_pure_one_index_words_do_not_change_another():
    text = "泸溪高新区县教体局林长制"
    plain_before = [t.text for t in chinese_analyzer()(text, mode="query")]
    jieba_before = jieba.lcut(text)
    with_words = [t.text for t in chinese_analyzer(("泸溪高新区", "县教体局"))(text, mode="query")]
    assert with_words[:2] == ["泸溪高新区", "县教体局"]
    # Neither a plain analyzer nor jieba's own dictionary learned the words.
    assert [t.text for t in chinese_analyzer()(text, mode="query")] == plain_before
    assert jieba.lcut(text) == jieba_before
    assert "泸溪高新区" not in plain_before and "泸溪高新区" not in jieba_before
    # Another word list gets a jieba of its own, without the first list's words.
    other = [t.text for t in chinese_analyzer(("县教体局",))(text, mode="query")]
    assert "县教体局" in other and "泸溪高新区" not in other
    assert jieba_for(("县教体局",)) is not jieba_for(("泸溪高新区", "县教体局")) is not jieba_for(())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("清廉学校ab12_-，。 ²③Ⅻ〇々\n")), max_size=40))
def test_counted_terms_are_the_tokens_of_every_field(text):
    for analyzer in (chinese_analyzer(("清廉学校",)), ngram_analyzer()):
        tokens_counted = Counter(t.text for t in analyzer(text, mode="index"))
        assert analyzer.counts(text) == tokens_counted
