"""Every Chinese word list and text pattern the parsers match against, in one place.

Word lists live in `corpus/data/lexicon.json` (文种, office suffixes, unit roles…);
the regular expressions that use them are compiled here, so the parsing modules
hold logic, not Chinese literals (发文字号 patterns: `corpus.docnumber`; outline labels: `corpus.outline`). Patterns run on text folded by
`corpus.normalize.fold_for_parsing` (full-width brackets and punctuation).

>>> bool(ATTACHMENT_HEADER.match("附件2")), bool(ATTACHMENT_HEADER.match("附　件")), bool(ATTACHMENT_HEADER.match("附件：名单"))
(True, True, False)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from corpus.numerals import NUMERAL_CHARS

DATA_DIR = Path(__file__).resolve().parent / "data"
WORDS = json.loads((DATA_DIR / "lexicon.json").read_text("utf-8"))

FORMAL_DOC_TYPES: list[str] = WORDS["formal_doc_types"]
REGULATION_DOC_TYPES: list[str] = WORDS["regulation_doc_types"]
DOC_TYPES_LONGEST_FIRST = sorted(FORMAL_DOC_TYPES + REGULATION_DOC_TYPES, key=len, reverse=True)
ISSUING_VERBS: list[str] = WORDS["issuing_verbs"]
TITLE_STARTS: tuple[str, ...] = tuple(WORDS["title_starts"])
OFFICE_SUFFIXES: tuple[str, ...] = tuple(sorted(WORDS["office_suffixes"], key=len, reverse=True))
# the stems that give a role label its role, in order of precedence (牵头责任单位 leads)
UNIT_ROLE_STEMS: dict[str, list[str]] = {role: stems for role, stems in WORDS["unit_role_stems"].items()
                                         if not role.startswith("_")}
UNIT_SUFFIXES: tuple[str, ...] = tuple(WORDS["unit_suffixes"])
# a 主送 line names organisations: units, and collectives a unit list never holds (机关, 团体)
RECIPIENT_SUFFIXES: tuple[str, ...] = UNIT_SUFFIXES + tuple(WORDS["recipient_suffixes"])
RECIPIENT_SENTENCE = re.compile("|".join(WORDS["recipient_sentence_words"]))
UNIT_PREFIXES: tuple[str, ...] = tuple(WORDS["unit_prefixes"])
MASTHEAD_WORDS: tuple[str, ...] = tuple(WORDS["masthead_words"])
ATTACHMENT = WORDS["attachment_word"]
ISSUER_MARK_SUFFIX: str = WORDS["issuer_mark_suffix"]
TOC_NAME: str = WORDS["toc_name"]
# how a document compares with the table of contents (`corpus.gazette.toc_note`); `{}` is what the 目录 says
TOC_NOTES: dict[str, str] = WORDS["toc_notes"]
RECURRING_WORDS: list[str] = WORDS["recurring_words"]
ONGOING_WORDS: list[str] = WORDS["ongoing_words"]
EFFECTIVE_WORDS: list[str] = WORDS["validity_words"]["effective"]
REPEAL_WORDS: list[str] = WORDS["validity_words"]["repeal"]

CN_NUM = NUMERAL_CHARS
CN_DIGIT = "〇○零一二三四五六七八九ＯO"

_alt = "|".join
_spaced = r"\s*".join  # a heading word spaced out across the line: 附　件


def _longest_first(words) -> str:
    """An alternation that tries longer words first (`牵头单位` before `牵头`)."""
    return _alt(sorted(words, key=len, reverse=True))


# a role label: a short word ending in 单位/部门 that holds a role stem (牵头单位, 牵头考核单位, 主要协作单位,
# 配合部门), or 牵头 alone; by its structure, not from a list of every label a government prints
ROLE_LABEL = (rf"(?:[\u4e00-\u9fff]{{0,4}}?(?:{_longest_first(s for ss in UNIT_ROLE_STEMS.values() for s in ss)})"
              rf"[\u4e00-\u9fff]{{0,4}}?(?:单位|部门)|牵头)")

REGISTRATION_CODE = re.compile(r"\b[A-Z]{2,6}-\d{4}-\d{3,6}\b")

ARABIC_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?")
CHINESE_DATE = re.compile(rf"(?P<y>[{CN_DIGIT}]{{4}})年(?P<m>[{CN_NUM}]{{1,3}}|\d{{1,2}})月(?:(?P<d>[{CN_NUM}]{{1,3}}|\d{{1,2}})日)?")
NUMERIC_DATE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
DATE_LINE = re.compile(
    rf"^\s*（?\s*(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|[{CN_DIGIT}]{{4}}年(?:[{CN_NUM}]{{1,3}}|\d{{1,2}})月(?:[{CN_NUM}]{{1,3}}|\d{{1,2}})日)\s*）?\s*$"
)

GAZETTE_ISSUE = re.compile(r"(?P<y>\d{4})\s*年\s*第\s*(?P<n>\d+)\s*期\s*(?:（\s*总\s*第\s*(?P<total>\d+)\s*期\s*）)?")
GAZETTE_NAME = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,20}}(?:{_alt(MASTHEAD_WORDS)}))")

OFFICE_NAME = re.compile(
    rf"^(?:中共|中国共产党)?(?:[\u4e00-\u9fff]{{1,9}}?(?:{_alt(WORDS['admin_levels'])})|{_alt(WORDS['central_organs'])})"
)
ATTACHMENT_HEADER = re.compile(rf"^\s*{_spaced(ATTACHMENT)}\s*(?:(?P<n>\d{{1,2}})\s*[：:]?)?\s*$")
ATTACHMENT_LIST = re.compile(rf"^\s*{ATTACHMENT}\s*[：:]\s*(?P<rest>.*)$")
ATTACHMENT_ITEM = re.compile(r"^\s*(?:[-•·]\s*)?(?P<n>\d{1,2})\s*[.．、]\s*")
HEADING = re.compile(r"^(?P<heading>[^。；！？]{1,40}?)[。：]")
ISSUED_TITLE = re.compile(rf"(?:{_alt(ISSUING_VERBS)})《(?P<title>.+)》")
CITED_TITLE = re.compile(r"《(?P<title>[^《》]{2,80})》")
TOC_ENTRY = re.compile(
    r"^(?:[-•·]\s*)?(?:\d{1,2}\s*[.．、]\s*)?(?P<title>.*?)\s*（\s*(?P<number>[^（）]{1,14}〔\s*\d{4}\s*〕\s*\d{1,4}\s*号)\s*）"
    r"\s*[.·…．]{2,}\s*\d{0,4}\s*$"
)
TOC_ITEM = re.compile(r"^(?:[-•·]\s*)?\d{1,2}\s*[.．、]\s*(?P<title>\S.*)$")

# text without brackets, or with brackets one level deep (各县（市、区）人民政府)
_NESTED = r"[^（）]*(?:（[^（）]*）[^（）]*)*"
# a bracket whose role section may follow a deadline (`（5月底完成，牵头考核单位：市审批服务局）`)
UNIT_ANNOTATION = re.compile(
    rf"（\s*(?:[^（）]*?[，；]\s*)??(?P<body>{ROLE_LABEL}\s*[：:]{_NESTED})）"
)
UNIT_ROLE = re.compile(
    rf"(?P<role>{ROLE_LABEL})\s*[：:]"
)
UNIT_LED_DUTY = re.compile(r"^(?P<unit>[\u4e00-\u9fff（）]{2,30}?)[：:]\s*(?:负责|牵头|配合|承担|做好|加强|严格|在各自)")
TABLE_UNIT_HEADER = re.compile(rf"^{ROLE_LABEL}$")
UNIT_SEPARATORS = re.compile(r"[、，；]")
# collective words that name no one unit (`市`, `相关乡镇`, `各成员单位`): kept in the text, never a unit
GENERIC_UNITS: frozenset[str] = frozenset(WORDS["generic_units"])
# qualifiers that make a word collective (`各相关单位` is `单位`, while `各乡镇` are every township); a definition (`以下简称禁止区`) names no unit
COLLECTIVE_QUALIFIERS = re.compile(rf"^各?(?:{_longest_first(WORDS['collective_qualifiers'])})+")
DEFINITION_STARTS: tuple[str, ...] = tuple(WORDS["definition_starts"])
# a unit named relative to its government: `市财政局`, `县委办`, `各乡镇人民政府`, `团县委`
RELATIVE_UNIT = re.compile(
    rf"^(?:{_alt(WORDS['relative_unit_qualifiers'])})?(?:{_longest_first(WORDS['admin_levels'])})")
# a second name printed in angle brackets after a unit (`县住建局‹县人防办>`): two names of one office
UNIT_SECOND_NAME = re.compile(r"[‹<〈《](?P<second>[^‹<〈《›>〉》]+)[›>〉》]")
UNIT_NAME_JOINERS = re.compile(r"[、及]|以及")
UNIT_VERB_ROLE = {verb: role for role, verbs in WORDS["unit_verbs"].items() for verb in verbs}
UNIT_VERB_TAIL = re.compile(rf"(?P<verb>{_longest_first(UNIT_VERB_ROLE)})[^、，；]*$")
FIRST_IS_LEAD = re.compile(_alt(WORDS["first_is_lead"]))
PAREN_GROUP = re.compile(r"（(?P<body>[^（）]{2,300})）")

DEADLINE_DATE = re.compile(
    r"(?P<text>(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?|(?P<half>上半年|下半年|年)|(?P<q>[一二三四])季度)?"
    r"\s*(?P<edge>底|末|中旬|上旬|下旬|初)?\s*(?:前|以前|之前|内|完成))"
)
DEADLINE_MONTH = re.compile(
    r"(?P<text>(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?\s*(?P<edge>底|末|中旬|上旬|下旬|初)?\s*(?:前|以前|之前))"
)
DEADLINE_YEAR_END = re.compile(r"(?P<text>(?:年底|年末)(?:前|之前|以前)|年内完成)")
RECURRING = re.compile(_longest_first(RECURRING_WORDS))
ONGOING = re.compile(_longest_first(ONGOING_WORDS))
VALIDITY_PERIOD = re.compile(r"有效期(?:为|至)?\s*(?P<span>\d+\s*年|[一二三四五六七八九十]+年|至\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
EFFECTIVE_WORD = re.compile(_alt(EFFECTIVE_WORDS))
EFFECTIVE_WHEN = re.compile(r"(?P<when>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|印发之日|发布之日|公布之日)[^。；]{0,14}$")
REPEAL_WORD = re.compile(_alt(REPEAL_WORDS))
REGULATION_LINE = re.compile(r"(?:通过|公布|施行|发布)")
# a regulation's history line says which of its dates is the 发布 date: the one followed by 发布/公布
PUBLISHED = re.compile(_alt(WORDS["published_words"]))
# a history line's later acts (`根据2012年3月5日…令第270号修订`): neither the 成文 nor the 发布 date
AMENDED = re.compile(_alt(WORDS["amended_words"]))
# office suffixes that name an office only after its government's name (督查室 yes, 第一会议室 no)
PLACE_BOUND_OFFICE_SUFFIXES: tuple[str, ...] = tuple(WORDS["place_bound_office_suffixes"])
ORDER_DOC_TYPE: str = WORDS["order_doc_type"]
# the cover of a 令 on two lines: its name (`X市人民政府令`), then its number (`第 12 号`, spaces removed)
ORDER_NAME_LINE = re.compile(rf"^[\u4e00-\u9fff]{{2,30}}{ORDER_DOC_TYPE}$")
ORDER_SERIAL_LINE = re.compile(r"^第?(?P<n>\d{1,4})号$")
ORDER_DESIGNATION = "{name}第{n}号"
# the 规章 a 令 publishes, named at the start of its 公布 sentence (`《X办法》已经…通过，现予公布`)
PUBLISHED_TITLE = re.compile(r"^《(?P<title>[^《》]{2,80})》")
