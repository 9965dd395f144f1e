"""Document metadata from text: 文种, dates, offices, gazette issue, citations, validity.

>>> doc_type_of("关于扎实做好2023年全面推进乡村振兴重点工作的实施意见")
'意见'
>>> parse_date("二〇二一年十一月十二日"), parse_date("（2023年 3月 28日）")
('2021-11-12', '2023-03-28')
>>> normalize_gazette("2023年第 1期（总第 57期） 泸溪县人民政府公报")
'泸溪县人民政府公报 2023年第1期（总第57期）'
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from corpus import lexicon as lx
from corpus.docnumber import doc_number_key, find_doc_numbers
from corpus.model import Citation
from corpus.normalize import despace, fold_for_parsing
from corpus.numerals import chinese_digits_to_int, chinese_to_int
from corpus.outline import LABEL
from corpus.script import simplified


def doc_type_of(title: str | None) -> str | None:
    """The 文种 a title ends with: one of the 15 formal types, or 条例/办法/规定… for regulations.

    >>> doc_type_of("关于印发《泸溪县园区赋权工作实施方案》的 通 知"), doc_type_of("泸溪县县管职级公务员管理暂行办法")
    ('通知', '办法')
    >>> doc_type_of("泸溪县文明养犬管理条例（试行）"), doc_type_of("关于张三的情况说明") is None
    ('条例', True)
    """
    if not title:
        return None
    text = despace(fold_for_parsing(title))
    while text.endswith("）") and "（" in text:
        text = text[: text.rindex("（")]
    for doc_type in lx.DOC_TYPES_LONGEST_FIRST:
        if text.endswith(doc_type):
            return doc_type
    return None



def _valid_date(y: int | None, m: int | None, d: int | None) -> str | None:
    try:
        return dt.date(y, m, d).isoformat() if y and m and d else None
    except ValueError:
        return None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


def parse_date(text: str | None) -> str | None:
    """The first full date (年月日) in `text` as ISO `YYYY-MM-DD`; Chinese numerals accepted."""
    if not text:
        return None
    folded = fold_for_parsing(text)
    m = lx.ARABIC_DATE.search(folded)
    if m and m["d"]:
        return _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
    m = lx.CHINESE_DATE.search(folded)
    if m and m["d"]:
        return _valid_date(chinese_digits_to_int(m["y"]), _number(m["m"]), _number(m["d"]))
    m = lx.NUMERIC_DATE.search(folded)
    if m:
        return _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


@lru_cache(maxsize=8192)
def is_date_line(line: str) -> bool:
    """A line holding nothing but a date, possibly in brackets: `2021年12月13日`, `（2023年 3月 28日）`."""
    return bool(lx.DATE_LINE.match(fold_for_parsing(line)))


@lru_cache(maxsize=8192)
def is_office(text: str) -> bool:
    """Whether `text` is the name of an issuing organ (`中共泸溪县委办公室`, `泸溪县人民政府`).

    >>> is_office("中共泸溪县委"), is_office("泸溪县人民政府办公室"), is_office("人名单"), is_office("关于印发的通知")
    (True, True, False, False)
    >>> is_office("法勤务类等其他相当层次职级公务员的县管干部")
    False
    """
    name = despace(fold_for_parsing(text))
    if not 4 <= len(name) <= 24 or name.startswith(lx.TITLE_STARTS) or any(ch in name for ch in "《》，。：；、（）“”的"):
        return False
    if LABEL.match(name):
        return False
    return name.endswith(lx.OFFICE_SUFFIXES) and bool(lx.OFFICE_NAME.match(name))


_SIGNING_TITLE = re.compile(
    rf"^(?P<title>[\u4e00-\u9fff]{{2,12}}?(?:{'|'.join(lx.WORDS['signing_titles'])}))(?:\s+[\u4e00-\u9fff·]{{2,4}})?$")
MIN_SIGNING_TITLE = 4
MAX_SIGNING_LINE = 24


def signing_title(text: str) -> str | None:
    """The office title of a signature line that names a post and its holder (`行政長官 賀一誠`), as
    written; a bare `市长`/`省长` is too short to name an office and gives None.

    >>> signing_title("行政長官 賀一誠"), signing_title("行政法務司司長"), signing_title("市 长"), signing_title("市长 袁宝成")
    ('行政長官', '行政法務司司長', None, None)
    """
    stripped = text.strip()
    if len(stripped) > MAX_SIGNING_LINE:
        return None
    m = _SIGNING_TITLE.match(simplified(stripped))
    if not m or len(m["title"]) < MIN_SIGNING_TITLE:
        return None
    return stripped[:m.end("title")]


_LOOSE_OFFICE = re.compile(r"^[\u4e00-\u9fff“”（）()]{2,40}$")


@lru_cache(maxsize=8192)
def is_issuer_line(text: str) -> bool:
    """An office name standing on its own line (a header's or signature's issuer): any `is_office`
    name, or a short name ending like an office without a place in front (`交通部`, `国务院`).

    >>> is_issuer_line("交通部"), is_issuer_line("国务院"), is_issuer_line("关于印发方案的通知"), is_issuer_line("部")
    (True, True, False, False)
    >>> is_issuer_line("县行政中心第一会议室"), is_issuer_line("建设领导小组办公室")
    (False, True)
    """
    if is_office(text):
        return True
    name = despace(fold_for_parsing(text))
    suffix = next((x for x in lx.OFFICE_SUFFIXES if name.endswith(x)), None)
    return (len(name) >= 3 and suffix not in lx.PLACE_BOUND_OFFICE_SUFFIXES and bool(_LOOSE_OFFICE.match(name)) and name.endswith(lx.OFFICE_SUFFIXES)
            and not name.startswith(lx.TITLE_STARTS) and "的" not in name and doc_type_of(name) is None)


_GOVERNMENT = re.compile(
    rf"^(?:中共|中国共产党)?(?P<place>(?:[\u4e00-\u9fff]{{1,8}}?(?:{'|'.join(sorted(lx.WORDS['admin_levels'], key=len, reverse=True))}))+)")


def government_of(offices: list[str]) -> str | None:
    """The government a document's units belong to: the place its first issuing office names.

    >>> government_of(["泸溪县人民政府办公室"]), government_of(["中共丽水市委"]), government_of(["重庆市梁平区曲水镇人民政府"])
    ('泸溪县', '丽水市', '重庆市梁平区曲水镇')
    >>> government_of(["市人民政府办公室"]), government_of(["國務院"]), government_of([])
    (None, None, None)
    """
    for office in offices[:1]:
        name = despace(office)
        start = _national_prefix_end(simplified(name))
        m = _GOVERNMENT.match(simplified(name)[start:])
        if m:
            return name[start + m.start("place"):start + m.end("place")]
    return None


_ORGANISATION_SUFFIXES = tuple(s for s in lx.UNIT_SUFFIXES if s not in lx.WORDS["admin_levels"])
MAX_NATIONAL_PREFIX = 14
MIN_BRANCH_PLACE = 3


def _national_prefix_end(name: str) -> int:
    """Where the place starts in the name of a national body's local branch: after the body's own name
    (`国家税务总局松阳县税务局` is the 松阳县 branch of 国家税务总局), else 0.

    >>> government_of(["国家税务总局松阳县税务局"]), government_of(["中国人民银行泸溪县支行"])
    ('松阳县', '泸溪县')
    >>> government_of(["重庆市梁平区曲水镇人民政府"]), government_of(["泸溪县人民政府办公室"]), government_of(["澳門特別行政區政府"])
    ('重庆市梁平区曲水镇', '泸溪县', '澳門特別行政區')
    """
    for k in range(2, min(len(name), MAX_NATIONAL_PREFIX)):
        body = name[:k]
        branch = _GOVERNMENT.match(name[k:])
        # the branch names itself after its place (税务局, 支行): a place ending the name is no branch's,
        # nor one of a single character before its level (`澳門特別行政區政府` holds no 政區)
        if (branch and len(branch["place"]) >= MIN_BRANCH_PLACE and branch.end() < len(name) - k
                and body.endswith(_ORGANISATION_SUFFIXES) and not _GOVERNMENT.fullmatch(body)):
            return k
    return 0


def split_offices(line: str) -> tuple[list[str], str]:
    """Leading office names of a header line, and the rest (the title part).

    >>> split_offices("中共泸溪县委办公室 泸溪县人民政府办公室 印发《方案》的通知")
    (['中共泸溪县委办公室', '泸溪县人民政府办公室'], '印发《方案》的通知')
    """
    tokens = line.split()
    offices = []
    while tokens and is_office(tokens[0]):
        offices.append(despace(tokens.pop(0)))
    return offices, " ".join(tokens)


def split_office_run(text: str) -> list[str]:
    """Offices printed without a space between them (`中共泸溪县委泸溪县人民政府`), each on its own.

    >>> split_office_run("中共泸溪县委泸溪县人民政府"), split_office_run("泸溪县人民政府办公室")
    (['中共泸溪县委', '泸溪县人民政府'], ['泸溪县人民政府办公室'])
    """
    name = despace(text)
    for k in range(4, len(name) - 3):
        if is_office(name[:k]) and is_office(name[k:]):
            return [name[:k], *split_office_run(name[k:])]
    return [name] if is_office(name) else []


def split_issuer(title: str) -> tuple[list[str], str]:
    """Issuing offices written in front of a title (`泸溪县人民政府关于…的通知`), and the title without them.

    >>> split_issuer("泸溪县人民政府关于做好春耕生产工作的通知")
    (['泸溪县人民政府'], '关于做好春耕生产工作的通知')
    >>> split_issuer("关于做好春耕生产工作的通知")
    ([], '关于做好春耕生产工作的通知')
    """
    text = despace(title)
    for start in lx.TITLE_STARTS:
        k = text.find(start)
        if k >= 4:
            offices = split_office_run(text[:k])
            if offices:
                return offices, text[k:]
    return [], text


def title_issuer(title: str) -> list[str]:
    """The issuers a title names in front: before its `关于…` (`split_issuer`), or, for a formal
    文种 (公告, 通告…), the longest office name it starts with.

    >>> title_issuer("延津县人民政府土地征收启动公告"), title_issuer("阿拉山口市人民政府工作规则")
    (['延津县人民政府'], [])
    """
    offices = split_offices(title)[0] or split_issuer(title)[0]
    if offices or doc_type_of(title) not in lx.FORMAL_DOC_TYPES:
        return offices
    name = despace(title)
    for k in range(min(len(name) - 2, 24), 3, -1):
        if is_office(name[:k]):
            return [name[:k]]
    return []


def issuer_mark(text: str) -> str | None:
    """The office of a 发文机关标志 such as `泸溪县人民政府文件`, else None."""
    name = despace(text)
    suffix = lx.ISSUER_MARK_SUFFIX
    return name[: -len(suffix)] if name.endswith(suffix) and is_office(name[: -len(suffix)]) else None



def issued_title_of(title: str | None) -> str | None:
    """The 《…》 a 印发/转发 notice issues, else None.

    >>> issued_title_of("关于印发《泸溪县“乡村育才聚才行动”实施方案(2021-2025年)》的通知")
    '泸溪县“乡村育才聚才行动”实施方案(2021-2025年)'
    """
    m = lx.ISSUED_TITLE.search(title or "")
    return m["title"] if m else None


def normalize_gazette(text: str) -> str | None:
    """A gazette issue as `名称 YYYY年第N期（总第M期）`, whatever the source's spacing and brackets."""
    folded = despace(fold_for_parsing(text))
    issue = lx.GAZETTE_ISSUE.search(folded)
    name = lx.GAZETTE_NAME.search(lx.GAZETTE_ISSUE.sub(" ", folded))
    if not (issue and name):
        return None
    total = f"（总第{int(issue['total'])}期）" if issue["total"] else ""
    return f"{name['name']} {issue['y']}年第{int(issue['n'])}期{total}"


def registration_code(text: str) -> str | None:
    """The 规范性文件 registration code (`LXDR-2023-00002`) if the text has one."""
    m = lx.REGISTRATION_CODE.search(text)
    return m.group(0) if m else None


def citations(text: str, own_number: str | None = None, own_titles: tuple[str | None, ...] = ()) -> list[Citation]:
    """Other documents cited by 文号 and/or 《title》, each once, in order of first mention.

    A document that names its own 文号, title or issued 《方案》 (`own_titles`) does not cite
    itself; a title cited twice (once with its 文号, or with other spacing) is one citation.

    >>> citations("根据《国务院关于实施健康中国行动的意见》(国发〔2019〕13号)和州办〔2022〕25号文件精神")
    [Citation(doc_number='国发〔2019〕13号', title='国务院关于实施健康中国行动的意见'), Citation(doc_number='州办〔2022〕25号', title=None)]
    >>> citations("现将《泸溪县林长制方案》印发。按照《湖南省办法》（湘办〔2021〕20号）和《湖南省 办法》要求",
    ...           "泸办〔2021〕33号", ("关于印发《泸溪县林长制方案》的通知", "泸溪县林长制方案"))
    [Citation(doc_number='湘办〔2021〕20号', title='湖南省办法')]
    """
    folded = fold_for_parsing(text)
    numbers = find_doc_numbers(folded)
    titles = [(m.start(), m.end(), m["title"]) for m in lx.CITED_TITLE.finditer(folded)]
    paired: dict[int, str] = {}
    for t_start, t_end, _ in titles:
        for n_start, _, number in numbers:
            if 0 < n_start - t_end <= 3 and folded[t_end:n_start].strip() == "（":
                paired[t_start] = number
    used = set(paired.values())
    entries = [(s, Citation(doc_number=paired.get(s), title=t)) for s, _, t in titles]
    entries += [(s, Citation(doc_number=n)) for s, _, n in numbers if n not in used]
    own = {_title_key(t) for t in own_titles if t}
    found: list[Citation] = []
    for _, c in sorted(entries, key=lambda e: e[0]):
        if (c.doc_number and own_number and doc_number_key(c.doc_number) == doc_number_key(own_number)) or (c.title and _title_key(c.title) in own):
            continue
        same = next((f for f in found if _same_document(f, c)), None)
        if same is None:
            found.append(c)
        else:
            same.doc_number, same.title = same.doc_number or c.doc_number, same.title or c.title
    return found


def _title_key(title: str) -> str:
    return despace(fold_for_parsing(title)).replace("\n", "")


def _same_document(a: Citation, b: Citation) -> bool:
    """Same 文号, or same title where the 文号s do not disagree."""
    if a.doc_number and b.doc_number:
        return doc_number_key(a.doc_number) == doc_number_key(b.doc_number)
    return bool(a.title and b.title) and _title_key(a.title) == _title_key(b.title)


def validity(text: str) -> tuple[str | None, str | None, str | None]:
    """(施行日期 ISO or words, 有效期 words, 废止 sentence) stated in the text, each None when absent.

    >>> validity("本办法自2023年3月1日起施行，有效期5年。")
    ('2023-03-01', '5年', None)
    """
    folded = fold_for_parsing(text)
    effective = None
    for m in lx.EFFECTIVE_WORD.finditer(folded):
        when = lx.EFFECTIVE_WHEN.search(folded, max(0, m.start() - 40), m.start())
        if when:
            effective = parse_date(when["when"]) or when["when"]
            break
    period = lx.VALIDITY_PERIOD.search(folded)
    repeal = None
    m = lx.REPEAL_WORD.search(folded)
    if m:
        start = max(folded.rfind(ch, 0, m.start()) for ch in "。；\n") + 1
        ends = [i for i in (folded.find(ch, m.end()) for ch in "。；\n") if i != -1]
        end = min(ends) + 1 if ends else len(folded)
        repeal = text[start:end].strip()
    return effective, despace(period["span"]) if period else None, repeal
