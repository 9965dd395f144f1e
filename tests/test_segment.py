"""The index-time cutter (`tokenizer.segment`) cuts exactly as jieba does, on real and random text."""

import random

from corpus import SAMPLE_DIR
from index.passages import units
from tokenizer import compact, jieba_for, user_words
from tokenizer.segment import DIVERGES, Segmenter


def _jieba(words, text):
    return list(jieba_for(words).cut(text))


def test_it_cuts_every_text_of_the_sample_corpus_as_jieba(sample_documents):
    words = user_words(sample_documents)
    segmenter = Segmenter(words)
    texts = [compact(t)[0] for doc in sample_documents for t in (doc.title, *(u.text for u in units(doc)))]
    assert len(texts) > 800
    assert [t for t in texts if segmenter.cut(t) != _jieba(words, t)] == []
    # The corpus has the stretches jieba-rs cuts otherwise (2021-2025年): they are cut by jieba.
    assert any(DIVERGES.search(t) for t in texts)


def test_it_cuts_random_text_as_jieba():
    """Ideographs of the corpus mixed with letters, digits, joiners, punctuation and rare ideographs."""
    text = "".join(path.read_text("utf-8") for path in sorted(SAMPLE_DIR.glob("*.txt")))
    ideographs = sorted({ch for ch in text if "\u4e00" <= ch <= "\u9fd5"})
    others = list("0123456789abcXYZ-+#&._%，。、：；“”〔〕 ") + ["\u3400", "\u9fd9", "\uf900", "\U00020000", "〇"]
    # Words jieba already knows (their frequency changes the dictionary's total), one twice, and new ones.
    words = ("建设", "学校", "建设", "泸溪高新区", "县教体局", "清廉学校")
    segmenter = Segmenter(words)
    rng = random.Random(13)
    differ = []
    for _ in range(20_000):
        sample = "".join(rng.choice(ideographs) if rng.random() < 0.7 else rng.choice(others)
                         for _ in range(rng.randint(1, 30)))
        if segmenter.cut(sample) != _jieba(words, sample):
            differ.append(sample)
    assert differ == []


def test_where_jieba_rs_cuts_otherwise_jieba_cuts():
    segmenter = Segmenter()
    for text in ("计划〔2017-2030年〕", "利用2-3年", "占6.9c", "Y_X", "㐀㐀字", "𠀀字"):
        assert DIVERGES.search(text)
        assert segmenter.cut(text) == _jieba((), text)
    for text in ("计划〔2017-2030年〕", "占6.9c", "㐀㐀字"):
        assert segmenter.native.cut(text) != _jieba((), text)
    assert not DIVERGES.search("推进清廉学校建设，落实2021年1.5亿元")


def test_user_words_apply_to_the_native_cut():
    words = ("泸溪高新区", "林长制")
    assert Segmenter(words).native.cut("泸溪高新区林长制") == ["泸溪高新区", "林长制"]
    assert Segmenter().native.cut("泸溪高新区") == ["泸溪", "高新区"]
