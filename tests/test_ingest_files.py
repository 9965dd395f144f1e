"""PDF and Word files generated here (reportlab, python-docx), mixed folders, and re-ingestion."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from reportlab.lib import colors, pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Table

from corpus import SAMPLE_DIR
from corpus.errors import IngestError
from corpus.ingest import load_paths, parse_bytes, parse_file
from corpus.readers.docx import docx_text
from corpus.readers.pdf import pdf_text
from corpus.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
WEB_FIXTURES = ROOT / "tests" / "fixtures" / "web"
SAMPLE = SAMPLE_DIR / "luxi-gazette-2021-04.txt"
FONT = "STSong-Light"
RUNNING_HEADER = "泸溪县人民政府公报 2023年第5期（总第61期）"

NOTICE = [
    ("center", "泸溪县人民政府办公室"),
    ("center", "关于印发泸溪县防汛抗旱应急预案的通知"),
    ("center", "泸政办发〔2023〕12号"),
    ("left", "各乡镇人民政府，县直各单位："),
    ("body", "《泸溪县防汛抗旱应急预案》已经县人民政府同意，现印发给你们，请认真贯彻执行。"),
    ("body", "一、总体要求"),
    ("body", "坚持人民至上、生命至上，立足防大汛、抗大旱、抢大险、救大灾，健全统一指挥、分级负责、"
             "部门协作、反应灵敏的防汛抗旱工作机制，最大程度减少灾害损失，确保人民群众生命财产安全。"),
    ("body", "二、工作措施"),
    ("body", "（一）加强监测预警。县气象局负责暴雨预报预警，县水利局负责水情监测，2023年5月底前完成"
             "全部监测站点检修。（牵头单位：县应急管理局；配合单位：县气象局、县水利局）"),
    ("body", "（二）落实转移避险。各乡镇人民政府负责组织危险区域群众转移，汛期每月开展一次演练。"),
    ("body", "三、保障措施"),
    ("body", "县财政局负责落实防汛抗旱经费，县应急管理局负责物资储备。"),
    ("right", "泸溪县人民政府办公室"),
    ("right", "2023年5月8日"),
]


def _register_font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _wrap(text: str, first: float, measure: float, size: int) -> list[str]:
    """Greedy line breaking by width, as a typesetter does (half-width digits take less room)."""
    lines, line, limit = [], "", first
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > limit:
            lines.append(line)
            line, limit = "", measure
        line += ch
    return lines + [line]


def make_pdf(paragraphs, lines_per_page: int = 12, size: int = 14, chars: int = 26) -> bytes:
    """A typeset PDF: centred/right/indented paragraphs hard-wrapped at a measure of `chars`
    full-width characters, ruled tables (style "table", text = rows), a running header and a
    page number on every page."""
    _register_font()
    width, height = A4
    left, right = 90, 90 + chars * size
    placed = []
    for style, text in paragraphs:
        if style == "table":
            placed.append((left, "table", text))
            placed += [(left, "skip", "")] * (len(text) - 1)
        elif style == "body":
            first, *rest = _wrap(text, (chars - 2) * size, chars * size, size)
            placed.append((left + 2 * size, "left", first))
            placed += [(left, "left", line) for line in rest]
        else:
            x = {"center": width / 2, "right": right, "left": left}[style]
            placed.append((x, style, text))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for number, start in enumerate(range(0, len(placed), lines_per_page), 1):
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(width / 2, height - 40, RUNNING_HEADER)
        pdf.drawCentredString(width / 2, 30, f"- {number} -")
        pdf.setFont(FONT, size)
        for row, (x, align, text) in enumerate(placed[start:start + lines_per_page]):
            y = height - 90 - row * (size * 1.8)
            if align == "table":
                table = Table(text, rowHeights=size * 1.8, style=[("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                                                   ("FONT", (0, 0), (-1, -1), FONT, size - 2)])
                table.wrapOn(pdf, width, height)
                table.drawOn(pdf, x, y - size * 1.8 * (len(text) - 1) - size * 0.5)
            elif align != "skip":
                draw = {"left": pdf.drawString, "center": pdf.drawCentredString, "right": pdf.drawRightString}[align]
                draw(x, y, text)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def make_scanned_pdf(page_numbers: bool = False) -> bytes:
    """Pages that are pictures only, or pictures with a page number added as text."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for number in range(1, 3):
        pdf.rect(60, 60, 470, 700, fill=1)
        if page_numbers:
            pdf.drawCentredString(A4[0] / 2, 30, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OUTLINE_NUMBERING = f"""<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""


def _add_outline_numbering(document) -> None:
    """A 一、/（一）/1. multilevel list, numId 90, as Word's numbering button makes one."""
    root = document.part.numbering_part.element
    first_num = root.find(f"{{{W_NS}}}num")
    first_num.addprevious(parse_xml(OUTLINE_NUMBERING))
    root.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def make_docx(paragraphs, table_rows=None) -> bytes:
    """A Word file with the paragraphs, an optional table after them, and a page header that is
    not part of the body. Style "level0".."level2" paragraphs get automatic outline numbers."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = RUNNING_HEADER
    if any(style.startswith("level") for style, _ in paragraphs):
        _add_outline_numbering(document)
    for style, text in paragraphs:
        paragraph = document.add_paragraph(("　　" if style == "body" else "") + text)
        if style.startswith("level"):
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{style[-1]}"/><w:numId w:val="90"/></w:numPr>'))
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for row, values in zip(table.rows, table_rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def broken_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/notes.txt", "不是Word文档")
    return buf.getvalue()


# -- PDF ----------------------------------------------------------------------------------


def test_pdf_text_drops_furniture_and_joins_hard_wraps_across_pages():
    text = pdf_text(make_pdf(NOTICE), "n.pdf")
    assert "泸溪县人民政府公报" not in text
    assert not any(line.strip("- ").isdigit() for line in text.splitlines())
    paragraphs = text.splitlines()
    assert paragraphs[:3] == ["泸溪县人民政府办公室", "关于印发泸溪县防汛抗旱应急预案的通知", "泸政办发〔2023〕12号"]
    assert [style_text for _, style_text in NOTICE[3:]] == paragraphs[3:]


def test_pdf_becomes_a_document_with_clauses():
    (doc,) = parse_bytes(make_pdf(NOTICE), "notice.pdf")
    assert doc.doc_number == "泸政办发〔2023〕12号"
    assert doc.title == "关于印发泸溪县防汛抗旱应急预案的通知"
    assert doc.offices == ["泸溪县人民政府办公室"]
    assert doc.date == "2023-05-08"
    labels = [c.label for c in doc.clauses]
    assert labels[:4] == ["一、", "二、", "（一）", "（二）"]
    measures = next(c for c in doc.clauses if c.label == "（一）")
    assert measures.lead_units == ["县应急管理局"]


@pytest.fixture(scope="module")
def gazette_documents():
    """The first documents of a sample gazette, as its text edition gives them."""
    return parse_file(SAMPLE)[:3]


def _styled(texts):
    """Each document's header lines centred, its other paragraphs indented body text."""
    return [(style, p) for text in texts
            for i, p in enumerate(text.split("\n")) for style in ["center" if i < 3 else "body"]]


def _summary(documents):
    return [(d.id, d.title, d.doc_number, d.offices, d.date, [(c.id, c.text, c.lead_units) for c in d.clauses])
            for d in documents]


def test_pdf_of_gazette_documents_gives_the_text_edition_back(gazette_documents):
    """Typeset over many pages with half-width punctuation, a gazette document comes back
    paragraph for paragraph; with a second document after it, both are found."""
    first = gazette_documents[0]
    assert pdf_text(make_pdf(_styled([first.text]), lines_per_page=30, size=11, chars=34), "g.pdf") == first.text
    text = first.text + "\n" + "\n".join(p for _, p in NOTICE)
    raw = make_pdf(_styled([first.text]) + NOTICE, lines_per_page=30, size=11, chars=34)
    docs = parse_bytes(raw, "gazette.pdf")
    assert [d.doc_number for d in docs] == ["泸发〔2021〕24号", "泸政办发〔2023〕12号"]
    assert _summary(docs) == _summary(parse_text(text, "gazette.txt"))
    assert _summary(docs[:1]) == _summary([first])


def test_word_file_of_gazette_documents_gives_the_same_text_and_documents(gazette_documents):
    """Three documents, one with tables (tab-separated rows), as paragraphs of a Word file."""
    text = "\n".join(d.text for d in gazette_documents)
    raw = make_docx(_styled(d.text for d in gazette_documents))
    assert docx_text(raw, "g.docx") == text
    assert _summary(parse_bytes(raw, "gazette.docx")) == _summary(parse_text(text, "gazette.txt"))


def test_pdf_ruled_table_stays_a_table():
    rows = [["序号", "任务", "责任单位"], ["1", "检修监测站点", "县水利局"], ["2", "储备防汛物资", "县应急管理局"]]
    paragraphs = NOTICE[:7] + [("table", rows)] + NOTICE[7:]
    lines = pdf_text(make_pdf(paragraphs), "t.pdf").splitlines()
    assert lines[0] == lines[-2] == "泸溪县人民政府办公室"
    at = lines.index("序号\t任务\t责任单位")
    assert lines[at:at + 3] == ["\t".join(row) for row in rows]
    assert lines[at - 1].endswith("确保人民群众生命财产安全。") and lines[at + 3] == "二、工作措施"


@pytest.mark.parametrize("page_numbers", [False, True])
def test_scanned_pdf_is_reported_not_indexed(page_numbers):
    with pytest.raises(IngestError, match="扫描版 PDF：没有文字层"):
        parse_bytes(make_scanned_pdf(page_numbers), "scan.pdf")


def test_password_protected_pdf_is_reported():
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret"))
    pdf.drawString(100, 700, "notice")
    pdf.showPage()
    pdf.save()
    with pytest.raises(IngestError, match="PDF 已加密"):
        parse_bytes(buf.getvalue(), "locked.pdf")


@pytest.mark.parametrize("raw", [make_pdf(NOTICE)[:1500], b"%PDF-1.7\n" + b"\x8f" * 300])
def test_corrupt_pdf_is_reported(raw):
    with pytest.raises(IngestError, match="PDF 文件已损坏"):
        parse_bytes(raw, "broken.pdf")


# -- Word ---------------------------------------------------------------------------------


def test_docx_text_keeps_body_order_and_tables_without_page_header():
    rows = [["序号", "任务", "责任单位"], ["1", "检修监测站点", "县水利局"]]
    text = docx_text(make_docx(NOTICE, rows), "n.docx")
    assert RUNNING_HEADER not in text
    lines = text.splitlines()
    assert lines[1] == "关于印发泸溪县防汛抗旱应急预案的通知"
    assert lines[-2:] == ["序号\t任务\t责任单位", "1\t检修监测站点\t县水利局"]


def test_docx_becomes_a_document_with_clauses():
    (doc,) = parse_bytes(make_docx(NOTICE), "notice.docx")
    assert doc.doc_number == "泸政办发〔2023〕12号"
    assert doc.title == "关于印发泸溪县防汛抗旱应急预案的通知"
    assert doc.date == "2023-05-08"
    assert [c.label for c in doc.clauses][:4] == ["一、", "二、", "（一）", "（二）"]


def test_docx_automatic_numbering_is_put_back_in_front_of_paragraphs():
    levels = {"一、": "level0", "二、": "level0", "三、": "level0", "（一）": "level1", "（二）": "level1"}

    def automatic(style, text):
        label = next((label for label in levels if text.startswith(label)), None)
        return (levels[label], text[len(label):]) if label else (style, text)

    numbered = [automatic(style, text) for style, text in NOTICE]
    assert ("level1", "落实转移避险。各乡镇人民政府负责组织危险区域群众转移，汛期每月开展一次演练。") in numbered
    assert docx_text(make_docx(numbered), "auto.docx") == docx_text(make_docx(NOTICE), "typed.docx")
    (auto,), (typed,) = parse_bytes(make_docx(numbered), "auto.docx"), parse_bytes(make_docx(NOTICE), "typed.docx")
    assert [c.id for c in auto.clauses] == [c.id for c in typed.clauses]


def test_corrupt_and_empty_docx_are_reported():
    with pytest.raises(IngestError, match="Word 文件已损坏"):
        parse_bytes(broken_docx(), "broken.docx")
    with pytest.raises(IngestError, match="Word 文件已损坏"):
        parse_bytes(b"PK\x03\x04" + b"\x00" * 200, "truncated.docx")
    with pytest.raises(IngestError, match="没有文字"):
        parse_bytes(make_docx([]), "blank.docx")
    with pytest.raises(IngestError, match="没有可识别的公文"):
        parse_bytes(make_docx([("left", "购物清单：苹果、香蕉")]), "list.docx")


def test_word_table_cell_with_one_unit_per_line_names_each_unit():
    paragraphs = NOTICE[:4] + [("body", "一、任务分工如下：")]
    rows = [["序号", "任务", "责任单位"], ["1", "完善警报网络", "县人民防空办公室\n县通信管理部门"]]
    [doc] = parse_bytes(make_docx(paragraphs, rows), "tasks.docx")
    assert [(c.path, c.unit_names) for c in doc.clauses] == [
        (["一、"], []), (["一、", "1"], ["县人民防空办公室", "县通信管理部门"])]


# -- folders and re-ingestion -------------------------------------------------------------


def test_mixed_folder_ingests_every_good_file_and_reports_each_bad_one(tmp_path):
    folder = tmp_path / "docs"
    (folder / "web" / "gbk").mkdir(parents=True)
    shutil.copy(WEB_FIXTURES / "policy_library.html", folder / "web" / "policy.html")
    xxgk = (WEB_FIXTURES / "xxgk_gb2312.html").read_text(encoding="utf-8").encode("gbk")
    (folder / "web" / "gbk" / "xxgk.htm").write_bytes(xxgk)
    (folder / "notice.pdf").write_bytes(make_pdf(NOTICE))
    (folder / "notice.docx").write_bytes(make_docx(NOTICE))
    bad = {
        "scan.pdf": "扫描版 PDF：没有文字层",
        "broken.pdf": "PDF 文件已损坏",
        "broken.docx": "Word 文件已损坏",
        "list.html": "链接列表页",
        "empty.htm": "空文件",
        "photo.png": "不支持的文件类型",
    }
    (folder / "scan.pdf").write_bytes(make_scanned_pdf())
    (folder / "broken.pdf").write_bytes(make_pdf(NOTICE)[:1500])
    (folder / "broken.docx").write_bytes(broken_docx())
    shutil.copy(WEB_FIXTURES / "link_list.html", folder / "list.html")
    (folder / "empty.htm").write_bytes(b"  \n")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    seen = []
    report = load_paths([folder, photo], progress=seen.append)

    assert report.files == 10 == len(seen)
    assert sorted(d.source for d in report.documents) == ["notice.docx", "notice.pdf", "policy.html", "xxgk.htm"]
    reasons = {Path(e.path).name: e.reason for e in report.skipped}
    assert reasons.keys() == bad.keys()
    for name, reason in bad.items():
        assert reason in reasons[name], (name, reasons[name])


def test_folder_reports_data_files_as_unsupported_and_ignores_hidden_ones(tmp_path):
    folder = tmp_path / "mixed"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(SAMPLE, folder)
    (folder / "lexicon.json").write_text('{"文种": ["通知"]}', encoding="utf-8")
    (folder / "aliases.tsv").write_text("县财政局\t泸溪县财政局\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")

    report = load_paths([folder])

    assert report.files == 3 and report.documents
    assert {Path(e.path).name: e.reason for e in report.skipped} == {
        "aliases.tsv": "不支持的文件类型（.tsv）", "lexicon.json": "不支持的文件类型（.json）"}


def test_sample_dir_holds_only_the_gazettes():
    report = load_paths([SAMPLE_DIR])
    assert report.files == 2 and not report.skipped
    assert {d.source for d in report.documents} == {"luxi-gazette-2021-04.txt", "luxi-gazette-2023-01.txt"}


def test_documents_without_number_or_date_get_ids_from_their_content(tmp_path):
    """Same title, no 文号, no date: different bodies are different documents; a copy keeps its ids."""
    title = "关于规范春节期间燃放烟花爆竹的通告"
    ban, limit, copy = tmp_path / "ban.txt", tmp_path / "limit.txt", tmp_path / "sub" / "copy of ban.txt"
    ban.write_text(f"{title}\n一、城区禁止燃放烟花爆竹。\n二、违者依法处罚。\n", encoding="utf-8")
    limit.write_text(f"{title}\n一、城区限时燃放烟花爆竹。\n二、违者依法处罚。\n", encoding="utf-8")
    copy.parent.mkdir()
    copy.write_bytes(ban.read_bytes())

    [first], [second], [again] = parse_file(ban), parse_file(limit), parse_file(copy)

    assert first.title == second.title and first.doc_number is second.doc_number is first.date is None
    assert first.id != second.id and first.id.startswith("doc-")
    assert (again.id, [c.id for c in again.clauses]) == (first.id, [c.id for c in first.clauses])


@pytest.mark.parametrize("name, raw", [
    ("notice.pdf", make_pdf(NOTICE)),
    ("notice.docx", make_docx(NOTICE)),
    ("policy.html", (WEB_FIXTURES / "policy_library.html").read_bytes()),
    ("article.html", (WEB_FIXTURES / "county_article.html").read_text(encoding="utf-8").encode("gbk")),
])
def test_reingesting_a_file_gives_the_same_ids(tmp_path, name, raw):
    """The same file twice, under another folder and name: same document and clause ids."""
    first, second = tmp_path / "a" / name, tmp_path / "b" / "c" / f"copy-{name}"
    for path in (first, second):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)

    def ids(path):
        docs = parse_file(path)
        return [(d.id, [c.id for c in d.clauses]) for d in docs]

    assert ids(first) == ids(first) == ids(second)
    assert all(clause_ids for _, clause_ids in ids(first))


def _failing_on(name: str, error: BaseException, monkeypatch) -> None:
    """Make the text parser fail on the file called `name` as a parser bug would, other files parsing as usual."""
    import corpus.extract

    real = corpus.extract.parse_text

    def parse_text(text, source):
        if source == name:
            raise error
        return real(text, source)

    monkeypatch.setattr(corpus.extract, "parse_text", parse_text)


def test_unexpected_parser_failure_skips_only_that_file(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(SAMPLE, tmp_path / "b.txt")
    _failing_on("a.txt", ValueError("bad offset"), monkeypatch)

    report = load_paths([tmp_path])

    assert report.files == 2 and {d.source for d in report.documents} == {"b.txt"}
    [skip] = report.skipped
    assert (Path(skip.path).name, skip.reason) == ("a.txt", "解析出错（ValueError: bad offset）")


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), SystemExit(3)])
def test_interrupting_a_load_still_stops_it(tmp_path, monkeypatch, stop):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    _failing_on("a.txt", stop, monkeypatch)
    with pytest.raises(type(stop)):
        load_paths([tmp_path])
