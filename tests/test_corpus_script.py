"""corpus.script: a simplified form of traditional text that keeps every offset."""

from corpus.script import simplified


def test_traditional_government_words_become_simplified():
    assert simplified("澳門特別行政區第90/2023號行政命令") == "澳门特别行政区第90/2023号行政命令"
    assert simplified("經濟財政司司長") == "经济财政司司长"


def test_offsets_are_kept_so_a_match_slices_the_original():
    text = "行政長官批示\n  經濟財政司司長 於二零二三年十月\n頭髮乾隆後來"
    folded = simplified(text)
    assert len(folded) == len(text)
    start = folded.index("财政司")
    assert text[start:start + 3] == "財政司"


def test_simplified_and_ascii_text_unchanged():
    for text in ("泸溪县人民政府关于印发《方案》的通知", "abc 123", ""):
        assert simplified(text) == text
