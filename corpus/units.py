"""Responsible units of a clause, as written and normalised through the alias table.

Forms recognised: `（牵头单位：X、Y；主要责任单位：…）`, `责任单位：…`, `牵头单位：…；配合单位：…`,
a bare trailing `（县委组织部、县委党校）`, and unit-led duty paragraphs (`县气象局：负责…`).

>>> canonical_unit("县教体局"), canonical_unit("县委办"), canonical_unit("县审计局")
('县教育和体育局', '县委办公室', '县审计局')
>>> found = extract_units("……（牵头单位:县委宣传部;主要责任单位:县纪委监委、县委办）")
>>> found.lead, found.main
(['县委宣传部'], ['县纪委监委', '县委办'])
>>> [(u.name, u.role) for u in found.units]
[('县委宣传部', 'lead'), ('县纪委监委', 'main'), ('县委办公室', 'main')]
>>> [u.name for u in extract_units("指标\\t责任单位\\n产前筛查率(%)\\t县卫健局、县教体局").units]
['县卫生健康局', '县教育和体育局']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from corpus import lexicon as lx
from corpus.model import Unit
from corpus.normalize import despace, fold_for_parsing
from corpus.script import simplified

ALIAS_FILE = lx.DATA_DIR / "unit_aliases.tsv"


@cache
def government_alias_tables() -> dict[str, dict[str, str]]:
    """Each government's names (canonical or alias) mapped to its canonical names, from `unit_aliases.tsv`."""
    tables: dict[str, dict[str, str]] = {}
    table: dict[str, str] | None = None
    for no, line in enumerate(ALIAS_FILE.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.rstrip().endswith("]"):
            table = tables.setdefault(line.strip()[1:-1].strip(), {})
            continue
        if table is None:
            raise ValueError(f"{ALIAS_FILE.name}:{no}: aliases before any [government] line")
        canonical, _, aliases = line.partition("\t")
        canonical = canonical.strip()
        table[canonical] = canonical
        for alias in filter(None, (a.strip() for a in aliases.split("|"))):
            table[alias] = canonical
    return tables


@cache
def alias_table(government: str | None = None) -> dict[str, str]:
    """A government's names mapped to canonical names; without a government (a document whose offices
    name no place, a unit named without one) every government's, where they agree.

    >>> alias_table("泸溪县")["县教体局"], "县教体局" in alias_table("丽水市"), alias_table()["县教体局"]
    ('县教育和体育局', False, '县教育和体育局')
    """
    tables = government_alias_tables()
    if government is not None:
        return tables.get(government, {})
    merged: dict[str, set[str]] = {}
    for table in tables.values():
        for name, canonical in table.items():
            merged.setdefault(name, set()).add(canonical)
    return {name: next(iter(canonicals)) for name, canonicals in merged.items() if len(canonicals) == 1}


def canonical_unit(name: str, government: str | None = None) -> str:
    """The canonical name of a unit in its government's alias table (`县教体局` → `县教育和体育局` in
    泸溪县); unknown names come back cleaned, in simplified characters (`財政局` → `财政局`), so a
    traditional and a simplified text name one unit.

    >>> canonical_unit("县教体局", "泸溪县"), canonical_unit("县教体局", "松阳县"), canonical_unit("縣財政局")
    ('县教育和体育局', '县教体局', '县财政局')
    """
    cleaned = simplified(despace(fold_for_parsing(name)).strip("，。；：、"))
    return alias_table(government).get(cleaned, cleaned)


def unit_key(unit: Unit) -> str:
    """The unit among several governments' units: a name relative to its government carries it.

    Every city has a `市财政局`; a full name (`丽水市财政局`, `国家税务总局泸溪县税务局`) names one body already.

    >>> unit_key(Unit("市财政局", "lead", "市财政局", "丽水市")), unit_key(Unit("丽水市财政局", "lead", "", "丽水市"))
    ('市财政局（丽水市）', '丽水市财政局')
    >>> unit_key(Unit("县财政局", "lead", "县财政局"))
    '县财政局'
    """
    if unit.government and lx.RELATIVE_UNIT.match(unit.name):
        return f"{unit.name}（{unit.government}）"
    return unit.name


def split_outside_brackets(pattern: re.Pattern, text: str) -> list[str]:
    """`pattern.split(text)`, except inside brackets: `各县（市、区）人民政府` stays whole.

    >>> split_outside_brackets(re.compile("[、，]"), "各县（市、区）人民政府、市直各部门")
    ['各县（市、区）人民政府', '市直各部门']
    """
    if "（" not in text and "(" not in text:
        return pattern.split(text)
    depth, depths = 0, []
    for ch in text:
        depth = max(depth + (ch in "（(") - (ch in "）)"), 0)
        depths.append(depth)
    parts, start = [], 0
    for m in pattern.finditer(text):
        if m.start() == 0 or depths[m.start() - 1] == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    return [*parts, text[start:]]


def aliases_of(canonical: str, government: str | None = None) -> list[str]:
    """All names that mean `canonical` (itself first)."""
    return [canonical] + [a for a, c in alias_table(government).items() if c == canonical and a != canonical]


def role_of_label(label: str) -> str:
    """The role a role label gives the units it lists: that of the first role whose stem it holds.

    >>> [role_of_label(x) for x in ["牵头考核单位", "主要责任单位", "主要协作单位", "协办部门", "负责考核单位", "实施单位"]]
    ['lead', 'main', 'cooperating', 'cooperating', 'responsible', 'responsible']
    """
    return next((role for role, stems in lx.UNIT_ROLE_STEMS.items() if any(stem in label for stem in stems)),
                "responsible")


@dataclass
class FoundUnits:
    lead: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    def add(self, role: str, names: list[str]) -> None:
        """Add units named in one role; a lead or main unit named twice (in two brackets) is listed once.
        A collective word (`相关乡镇`) is no unit; a second name in angle brackets (`县住建局‹县人防办>`) is one more."""
        names = [n for name in names for n in _with_second_name(name) if not is_generic_unit(n)]
        for name in names:
            self.units.append(Unit(name=canonical_unit(name), role=role, as_written=name))
        listed = self.lead if role == "lead" else self.main if role == "main" else None
        if listed is not None:
            listed.extend(n for n in dict.fromkeys(names) if n not in listed)


def is_generic_unit(name: str) -> bool:
    """A generic or collective word, or a definition, not a unit (it stays as written in the clause text).

    >>> [is_generic_unit(n) for n in ("相关乡镇", "各相关单位", "以下简称禁止区", "有关直属单位", "各乡镇", "县财政局")]
    [True, True, True, False, False, False]
    """
    name = simplified(name)
    return name.startswith(lx.DEFINITION_STARTS) or lx.COLLECTIVE_QUALIFIERS.sub("", name) in lx.GENERIC_UNITS


def _with_second_name(name: str) -> list[str]:
    """`县住建局‹县人防办>` → the two names; other names alone."""
    m = lx.UNIT_SECOND_NAME.search(name)
    if not m or m.start() == 0:
        return [name]
    return [name[:m.start()].strip(), m["second"].strip()]


def looks_like_unit(name: str) -> bool:
    """A plausible unit name: starts like one (县/各/团…) or is a known alias, and ends like one (局/委/办…).

    >>> looks_like_unit("县直各机关与企事业单位党组织"), looks_like_unit("分工负责"), looks_like_unit("2021年")
    (True, False, False)
    """
    if name in alias_table():
        return True
    if not 2 <= len(name) <= 30 or re.search(r"[\d。，：；《》“”]", name) or lx.TABLE_UNIT_HEADER.match(name):
        return False
    # a name ending like a unit is one when it starts like one, or is long enough to hold a
    # place or body of its own (合肥海关, 招商工作部)
    return name.endswith(lx.UNIT_SUFFIXES) and (name.startswith(lx.UNIT_PREFIXES) or len(name) >= MIN_FREE_UNIT_NAME)


MIN_FREE_UNIT_NAME = 4
_CLAUSE_SEPARATORS = re.compile(r"[，；]")
_LIST_PUNCTUATION = "。.、，；： "


def split_unit_list(text: str) -> list[str]:
    """Unit names of a list such as `县纪委监委,县直各机关与企事业单位党组织、各乡镇党委`, as written.

    Names may also stand on lines of their own (a table cell), or be separated by spaces;
    a space inside one name (`县 财政局`) is a spacing artefact:

    >>> split_unit_list("各级人民防空主管部门\\n通信管理部门"), split_unit_list("县 财政局、县审计局")
    (['各级人民防空主管部门', '通信管理部门'], ['县财政局', '县审计局'])
    """
    names = []
    for part in split_outside_brackets(lx.UNIT_SEPARATORS, fold_for_parsing(text)):
        words = [w.strip(_LIST_PUNCTUATION) for w in part.split()]
        if len(words) > 1 and all(len(w) >= 3 and w.endswith(lx.UNIT_SUFFIXES) for w in words):
            names.extend(words)
        elif despace(part).strip(_LIST_PUNCTUATION):
            names.append(despace(part).strip(_LIST_PUNCTUATION))
    return names


def _without_etc(name: str) -> str:
    """`县民政局等相关单位` → `县民政局`: the unit named before 等."""
    head, sep, _ = name.partition("等")
    return head if sep and looks_like_unit(head) else name


def _split_and(name: str) -> list[str]:
    """`县公安局和县交通局` is two units, `县住房和城乡建设局` one."""
    pieces = name.split("和")
    if len(pieces) > 1 and all(looks_like_unit(p) for p in pieces):
        return pieces
    return [name]


def split_by_verbs(text: str) -> list[tuple[str, list[str]]] | None:
    """`县公安局、县交通局牵头，各乡镇人民政府配合` → [("lead", [...]), ("cooperating", [...])].

    Each comma-separated part is a list of units, optionally followed by what they do
    (牵头 / 配合 / 负责…). None unless every part with a verb, and the names, look like units.

    >>> split_by_verbs("县应急管理局牵头，县自然资源局、县公安局及各县（市、区）人民政府按职责分工落实")
    [('lead', ['县应急管理局']), ('responsible', ['县自然资源局', '县公安局', '各县（市、区）人民政府'])]
    >>> split_by_verbs("2021-2025年") is None
    True
    """
    groups: list[tuple[str, list[str]]] = []
    first_is_lead = bool(lx.FIRST_IS_LEAD.search(text))
    for part in split_outside_brackets(_CLAUSE_SEPARATORS, despace(fold_for_parsing(text))):
        part = part.strip("。 ")
        if not part or lx.FIRST_IS_LEAD.search(part) or part.startswith("下同"):
            continue
        role = "responsible"
        tail = lx.UNIT_VERB_TAIL.search(part)
        if tail:
            role = lx.UNIT_VERB_ROLE[tail["verb"]]
            part = part[: tail.start()]
        names = [_without_etc(n) for piece in split_outside_brackets(lx.UNIT_NAME_JOINERS, part) if piece
                 for n in _split_and(piece)]
        units = [n for n in names if looks_like_unit(n)]
        if not tail and (not units or len(units) < len(names)):
            return None
        if units:
            groups.append((role, units))
    if not groups:
        return None
    if first_is_lead and groups[0][0] == "responsible":
        role, names = groups[0]
        groups[0:1] = [("lead", names[:1])] + ([(role, names[1:])] if names[1:] else [])
    return groups


def extract_units(text: str) -> FoundUnits:
    """Units named in one clause's text, by role, in order of appearance."""
    found = FoundUnits()
    folded = fold_for_parsing(text)
    # role words are matched in the simplified form (責任單位 is 责任单位); names are kept as written
    matchable = simplified(folded)
    annotated = False
    for m in lx.UNIT_ANNOTATION.finditer(matchable):
        annotated = True
        _add_role_sections(found, folded[m.start("body"):m.end("body")])
    if not annotated:
        for line in folded.split("\n"):
            if lx.UNIT_ROLE.match(simplified(line.strip())):
                _add_role_sections(found, line.strip())
                annotated = True
    if not annotated:
        for m in lx.PAREN_GROUP.finditer(folded):
            for role, names in split_by_verbs(m["body"]) or []:
                found.add(role, names)
    table_role = _table_unit_role(text)
    for line in text.split("\n"):
        stripped = line.strip()
        m = lx.UNIT_LED_DUTY.match(fold_for_parsing(stripped))
        if m and looks_like_unit(despace(m["unit"])):
            found.add("responsible", [despace(m["unit"])])
        elif table_role:
            # rows of a table with a responsibility column (tab- or |-separated, or one cell per line);
            # the header row names columns (配合单位), not units
            cells = re.split(r"[\t|]", stripped)
            for cell in cells if not any(map(_column_role, cells)) else ():
                _add_cell(found, table_role, cell)
    return found


def row_units(header: list[str], row: list[str]) -> FoundUnits | None:
    """Units of one table row, read from the cells under its responsibility columns (`责任单位`, `牵头单位`…)
    only, as a `责任单位：` line is read (the column says they are units); None when no column of `header` is one.

    >>> header = ["序号", "任务", "责任领导", "责任单位"]
    >>> [(u.name, u.role) for u in row_units(header, ["1", "修路", "张三", "县交通局牵头，改革办 县财政局"]).units]
    [('县交通运输局', 'lead'), ('改革办', 'responsible'), ('县财政局', 'responsible')]
    >>> row_units(["序号", "任务"], ["1", "修路"]) is None
    True
    """
    roles = [_column_role(cell) for cell in header]
    if not any(roles):
        return None
    found = FoundUnits()
    for role, cell in zip(roles, row, strict=False):
        # each name of the cell (names may stand on lines of their own), any saying who leads (`X牵头`)
        for piece in split_unit_list(cell) if role else ():
            _add_section(found, role, piece)
    return found


def _add_cell(found: FoundUnits, role: str, cell: str) -> None:
    """The units one table cell lists, if it lists units."""
    names = split_unit_list(cell)
    # names on lines of their own need not each start like a unit (通信管理部门)
    if names and (all(looks_like_unit(n) for n in names) or looks_like_unit("".join(names))):
        found.add(role, names)


MAX_COLUMN_HEADER = 24


def _column_role(cell: str) -> str | None:
    """The role of the units in a column headed by a role label (`牵头单位` → lead, `配合单位`, `协办单位` →
    cooperating, `责任单位` → responsible; `corpus.lexicon.ROLE_LABEL`); None for any other column.

    >>> [_column_role(h) for h in ["牵头单位", "牵头责任单位", "责任单位", "负责考核单位", "协办单位", "责任领导"]]
    ['lead', 'lead', 'responsible', 'responsible', 'cooperating', None]
    """
    if len(cell) > MAX_COLUMN_HEADER:  # a cell of text, not a header: spare it the folding
        return None
    header = simplified(despace(cell))
    return role_of_label(header) if lx.TABLE_UNIT_HEADER.match(header) else None


def _table_unit_role(text: str) -> str | None:
    """`lead` or `responsible` when the text holds a table column headed `牵头责任单位`, `负责考核单位`…"""
    return next(filter(None, map(_column_role, re.split(r"[\t|\n]", text))), None)


def _add_role_sections(found: FoundUnits, body: str) -> None:
    """`牵头单位：X、Y；主要责任单位：Z` → roles; each section runs to the next role word.

    A `责任单位：` section may itself say who leads (`县应急管理局牵头，…`).
    """
    marks = list(lx.UNIT_ROLE.finditer(simplified(body)))
    for m, nxt in zip(marks, marks[1:] + [None], strict=True):
        _add_section(found, role_of_label(m["role"]), body[m.end(): nxt.start() if nxt else len(body)])


def _add_section(found: FoundUnits, role: str, section: str) -> None:
    """The units a list of `role` names (after `责任单位：`, or in a 责任单位 column); it may say who leads."""
    groups = split_by_verbs(section)
    if groups:
        for group_role, names in groups:
            found.add(group_role if role == "responsible" else role, names)
    else:
        found.add(role, split_unit_list(section))
