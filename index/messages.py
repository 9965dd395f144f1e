"""Every Chinese word the search layer shows users or reads from them, in one place."""

# Field prefixes users type before a colon (full- or half-width): `文号:泸政发`, `单位:县财政局`.
FIELD_ALIASES = {
    "文号": "doc_number", "发文字号": "doc_number", "doc_number": "doc_number",
    "单位": "unit", "责任单位": "unit", "unit": "unit",
    "标题": "title", "title": "title",
}
OR_WORDS = ("OR", "或")


NOTICE_TOO_LONG = "查询过长，只使用了前 {limit} 个字符。"
NOTICE_SYNTAX = "查询语法有误（{reason}），已按普通检索处理。"
REASON_QUOTE = "引号不成对"
REASON_OR = "OR 两边缺少检索词"
REASON_EMPTY_EXCLUDE = "减号后缺少要排除的词"
REASON_EMPTY_FIELD = "“{field}:”后缺少检索词"
NOTICE_WORDS = ("没有找到完整包含“{text}”的条款，已按相关度列出包含其中任一词语（{words}）的条款，"
                "标题和小标题中的词语权重更高。")
NOTICE_ANY_WORDS = ("没有同时包含全部词语（{terms}）的条款，已按相关度列出包含其中任一词语（{words}）的条款，"
                    "标题和小标题中的词语权重更高。")
NOTICE_LEGAL_TERM = "“{lay}”也按法律用语“{legal}”检索。"
NOTICE_CITATION_LABEL = "{document} 中没有“{label}”，已列出整篇文件的条款。"
NOTICE_NOT_INDEXED = "未收录 {number}。"
NOTICE_CITED_BY = "收录的文件中引用它的有：{documents}。"
NOTICE_NOT_CITED = "收录的文件中也没有引用它的。"
CITED_DOCUMENT = "《{title}》（{doc_number}）"
MORE_DOCUMENTS = "等 {count} 份文件"
MAX_LISTED = 5


def question_notice(terms: list[str], words: list[str], legal: dict[str, str] | None = None) -> str:
    """What a search says when it fell back from the terms to any of their words (and the legal terms of lay words).

    >>> question_notice(["能否口头辞职"], ["口头", "辞职", "解除"], {"辞职": "解除劳动合同"}).split("。")[-2]
    '“辞职”也按法律用语“解除劳动合同”检索'
    """
    if len(terms) == 1:
        notice = NOTICE_WORDS.format(text=terms[0], words="、".join(words))
    else:
        notice = NOTICE_ANY_WORDS.format(terms="、".join(terms), words="、".join(words))
    return notice + "".join(NOTICE_LEGAL_TERM.format(lay=lay, legal=term) for lay, term in (legal or {}).items())


def not_indexed(number: str, citing: list) -> str:
    """The notice for a 文号 the index does not hold, naming the indexed documents that cite it.

    >>> from types import SimpleNamespace as Doc
    >>> not_indexed("湘发〔2021〕19号", [Doc(title="关于推进清廉泸溪建设的意见", doc_number="泸发〔2021〕24号")])
    '未收录 湘发〔2021〕19号。收录的文件中引用它的有：《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）。'
    >>> not_indexed("泸发〔2021〕99号", [])
    '未收录 泸发〔2021〕99号。收录的文件中也没有引用它的。'
    """
    if not citing:
        return NOTICE_NOT_INDEXED.format(number=number) + NOTICE_NOT_CITED
    names = [CITED_DOCUMENT.format(title=d.title, doc_number=d.doc_number) if d.doc_number else f"《{d.title}》"
             for d in citing[:MAX_LISTED]]
    if len(citing) > MAX_LISTED:
        names[-1] += MORE_DOCUMENTS.format(count=len(citing))
    return NOTICE_NOT_INDEXED.format(number=number) + NOTICE_CITED_BY.format(documents="、".join(names))


# A SphinxQL cluster whose shard did not answer (index.sphinxql): the page still shows what the others found.
NOTICE_PARTIAL = "部分索引分片暂时无法访问，以下结果不完整。"
