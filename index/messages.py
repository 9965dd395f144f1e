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
NOTICE_CITATION_LABEL = "{doc_number} 中没有“{label}”，已列出整篇文件的条款。"

# "第18项" names the 18th numbered item of a document, whatever its outline level.
ITEM_WORD = "项"
