"""Plain text and Markdown: UTF-8 (with or without BOM) or GB18030, whichever decodes as Chinese.

>>> READER.read("\\ufeff关于做好春耕工作的通知".encode(), "a.md").text
'关于做好春耕工作的通知'
"""

from __future__ import annotations

from corpus.errors import IngestError
from corpus.model import Reading
from corpus.readers.base import Reader

MAX_TEXT_MB = 20


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters that are CJK ideographs or CJK/full-width punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    cjk = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027")
    return cjk / len(wide)


def decode_text(raw: bytes, path: str = "<bytes>") -> str:
    """Decode UTF-8 (BOM or not) or GB18030 text; raise IngestError for binary or undecodable data.

    Short GB18030 text can also be valid UTF-8 (of Greek or Hebrew letters), so when both
    decode, the one that reads as Chinese wins.

    >>> decode_text("通知".encode("gb18030")), decode_text("\\ufeff通知".encode("utf-8"))
    ('通知', '通知')
    """
    if b"\x00" in raw[:4096]:
        raise IngestError(path, "二进制文件，不是文本")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _decode_or_fail(raw[3:], "utf-8", path)
    decoded = {}
    error = None
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded[encoding] = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
    if not decoded:
        line = raw[: error.start].count(b"\n") + 1
        raise IngestError(path, "无法按 UTF-8 或 GB18030 解码", line)
    return max(decoded.values(), key=_chinese_share)


def _decode_or_fail(raw: bytes, encoding: str, path: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(path, f"无法按 {encoding.upper()} 解码", line) from None


def read_text(raw: bytes, source: str) -> Reading:
    """A text file's `Reading`: its decoded text."""
    return Reading(source=source, text=decode_text(raw, source))


# no signature: text is what a file with a text suffix, or none, is taken to be
READER = Reader("text", frozenset({"", ".txt", ".md", ".markdown", ".text"}), read_text, max_mb=MAX_TEXT_MB)
