"""Search quality on the sample corpus (issue 12): whole-document recall, questions, ranking, 繁简, facets."""

import pytest
from bs4 import BeautifulSoup

from app import urls
from app.outline import anchor
from corpus.model import Clause, Document
from index import open_index
from index.build import build_index
from index.passages import LEAD, is_bare_heading, is_passage
from index.query import SearchQuery
from tokenizer import compact_text


@pytest.fixture(scope="module")
def index(sample_index):
    return open_index(sample_index)


@pytest.fixture(scope="module")
def by_number(sample_documents):
    return {doc.doc_number: doc for doc in sample_documents}


def hits(index, text, **kwargs):
    return index.search(SearchQuery(text=text, size=1000, **kwargs)).hits


def rank(found, clause_id):
    return [h.clause_id for h in found].index(clause_id)


# 1. Whole-document recall ----------------------------------------------------------------------

def test_a_preamble_phrase_finds_its_document_lead(index, by_number):
    doc = by_number["泸发〔2021〕24号"]
    found = hits(index, "三高四新")
    assert f"{doc.id}/{LEAD}" in [h.clause_id for h in found]
    lead = next(h for h in found if h.clause_id == f"{doc.id}/{LEAD}")
    assert lead.label == LEAD and "三高四新" in lead.snippet.marked()


@pytest.mark.parametrize("field", ["doc_number", "title"])
def test_a_document_without_numbered_clauses_is_found_by_its_number_and_title(index, sample_documents, field):
    bare = [doc for doc in sample_documents if not doc.clauses]
    assert bare
    for doc in bare:
        first = hits(index, getattr(doc, field))[0]
        assert first.clause_id == f"{doc.id}/{LEAD}", (doc.id, field)


def test_a_title_match_puts_the_lead_first(index, sample_documents):
    for doc in sample_documents:
        title = compact_text(doc.title)
        first = hits(index, title)[0]
        assert first.doc_id == doc.id and first.label == LEAD, doc.id


def test_closing_and_attachment_text_is_findable(index, sample_documents):
    passages = [(doc, unit) for doc in sample_documents for unit in index.snapshot().units[doc.id]
                if is_passage(unit) and unit.label != LEAD]
    assert {unit.label[:2] for _, unit in passages} >= {"正文"}
    for _, unit in passages:
        line = max(unit.text.split("\n"), key=len).strip()[:12]
        assert unit.id in [h.clause_id for h in hits(index, f'"{line}"')], unit.id


def test_a_passage_permalink_lands_on_the_passage(client, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    page = client.get(f"/d/{doc.id}/{LEAD}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    focus = soup.select_one(".is-focus")
    assert focus["id"] == anchor(f"{doc.id}/{LEAD}") and "三高四新" in focus.get_text()
    data = client.get(f"/d/{doc.id}/{LEAD}.json").get_json()
    assert data["label"] == LEAD and "三高四新" in data["text"]
    listed = client.get(f"/d/{doc.id}.json").get_json()["passages"]
    assert listed[0] == {"id": f"{doc.id}/{LEAD}", "label": LEAD, "url": urls.clause_url(f"{doc.id}/{LEAD}")}


# 2. Questions -------------------------------------------------------------------------------------

def test_a_question_is_ranked_by_its_content_words_and_says_so(index):
    result = index.search(SearchQuery(text="县里的学校怎么建设清廉文化？", size=1000))
    assert result.notice and "相关度" in result.notice and "怎么" not in result.notice.split("（")[-1]
    assert result.hits[0].clause_id.endswith("/5.18")  # 18.建设清廉学校
    # Never fewer hits than plain BM25: every unit holding one of the words is there.
    snapshot = index.snapshot()
    words = snapshot.query_words("县里的学校怎么建设清廉文化？")
    assert "怎么" not in words and "学校" in words
    holding = {cid for cid, (_, unit) in snapshot.clauses.items()
               if cid in snapshot.docnums and any(w in snapshot.query_words(unit.text) for w in words)}
    assert holding <= {h.clause_id for h in result.hits}



def _law(tmp_path, articles: dict[str, tuple[str, str]]):
    """An index of one-article documents: id → (date, text)."""
    docs = [Document(id=f"法-{key}", title=f"规定{key}", doc_number=None, offices=[], doc_type="规定", date=date,
                     text=text, source="t", clauses=[Clause(id=f"法-{key}/t1", label="第一条", path=["第一条"], text=text)])
            for key, (date, text) in articles.items()]
    build_index(docs, tmp_path / "ix", progress=False)
    return open_index(tmp_path / "ix")


def test_a_lay_word_in_a_question_also_looks_for_the_legal_term(tmp_path):
    index = _law(tmp_path, {
        "a": ("2020-01-01", "第一条 劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同。"),
        "b": ("2021-01-01", "第一条 用人单位应当按时足额支付劳动报酬。"),
        "c": ("2022-01-01", "第一条 禁止口头约定以外的收费。"),
    })
    result = index.search(SearchQuery(text="能不能口头辞职？"))
    assert [h.clause_id for h in result.hits][:1] == ["法-a/t1"]
    assert "“辞职”也按法律用语“解除劳动合同”检索" in result.notice
    # One word is what the user meant: it is not broadened, however few it finds.
    one = index.search(SearchQuery(text="辞职"))
    assert one.total == 0 and one.notice is None


def test_a_word_said_twice_weighs_twice(tmp_path):
    index = _law(tmp_path, {
        "a": ("2020-01-01", "第一条 依法确认劳动关系。"),
        "b": ("2023-01-01", "第一条 依法确认派遣单位。"),  # newer: first on equal scores
    })
    snapshot = index.snapshot()
    ranked = snapshot.ranked(snapshot.all_bits, ["关系", "派遣", "关系"], 2)
    assert [snapshot.clause_at[n].id for n, _ in ranked] == ["法-a/t1", "法-b/t1"]
    assert ranked[0][1] > ranked[1][1] > 0


# 3. Ranking ---------------------------------------------------------------------------------------

def test_a_bare_heading_ranks_below_its_matching_children(index, by_number):
    doc = by_number["泸发〔2021〕24号"]
    heading = next(c for c in doc.clauses if c.text.startswith("四、从严约束干部为政清廉"))
    school = next(c for c in doc.clauses if c.text.startswith("18.建设清廉学校"))
    found = hits(index, "清廉")
    assert rank(found, school.id) < 10 < rank(found, heading.id)
    pairs = [(parent, child) for parent in doc.clauses if is_bare_heading(parent.text) and "清廉" in parent.text
             for child in doc.clauses if child.path[:-1] == parent.path and "清廉" in child.text]
    assert pairs
    for parent, child in pairs:
        assert rank(found, child.id) < rank(found, parent.id), (child.id, parent.id)


@pytest.mark.parametrize("text", ["清廉 学校", "乡村 振兴", "安全 生产"])
def test_words_written_together_come_first(index, text):
    found = hits(index, text)
    together = [compact_text(text.replace(" ", "")) in compact_text(index.clause(h.clause_id)[1].text) for h in found]
    assert any(together) and not all(together)
    assert together == sorted(together, reverse=True)


def test_equal_scores_put_the_newer_document_first(tmp_path):
    def doc(number, date):
        return Document(id=f"测-{number}", title=f"通知{number}", doc_number=None, offices=[], doc_type="通知",
                        date=date, text="一、加强巡查。", source="t",
                        clauses=[Clause(id=f"测-{number}/1", label="一、", path=["一、"], text="一、加强巡查。")])
    build_index([doc(1, "2021-01-01"), doc(2, "2023-01-01"), doc(3, "2022-01-01")], tmp_path / "ix", progress=False)
    found = [h.clause_id for h in hits(open_index(tmp_path / "ix"), "巡查")]
    assert found == ["测-2/1", "测-3/1", "测-1/1"]


# 4. 繁简 ------------------------------------------------------------------------------------------

def test_simplified_and_traditional_characters_meet(tmp_path):
    text = "第一條 行政長官負責執行本法。"
    doc = Document(id="澳-1", title="行政法規", doc_number=None, offices=["澳門特別行政區"], doc_type="规定",
                   date="2023-01-01", text=text, source="t",
                   clauses=[Clause(id="澳-1/t1", label="第一條", path=["第一條"], text=text)])
    build_index([doc], tmp_path / "ix", progress=False)
    index = open_index(tmp_path / "ix")
    for query in ("行政长官", "行政長官", "执行本法"):
        found = hits(index, query)
        assert [h.clause_id for h in found] == ["澳-1/t1"], query
    assert "行政長官" in hits(index, "行政长官")[0].snippet.marked()


# 5. Facets agree with the filters -----------------------------------------------------------------

@pytest.mark.parametrize("query", [
    SearchQuery(date_from="2021-11-01", date_to="2021-11-30"),
    SearchQuery(text="建设", date_from="2021-11-01", date_to="2021-11-30", types=("意见",)),
    SearchQuery(text="县", years=("2023",), offices=("泸溪县人民政府办公室",)),
])
def test_every_offered_facet_value_gives_its_count(index, query):
    result = index.search(query, facet_limit=10_000)
    for facet in result.facets:
        for value in facet.results:
            if value.selected:
                continue
            assert value.count > 0
            param = {"type": "types", "office": "offices", "unit": "units", "year": "years"}[facet.name]
            clicked = query.with_(**{param: (*getattr(query, param), value.value)})
            narrowed = index.search(clicked.with_(**{param: (value.value,)}))
            assert narrowed.total == value.count, (facet.name, value.value)


def test_the_year_facet_honours_the_date_range(index):
    result = index.search(SearchQuery(date_from="2021-11-01", date_to="2021-11-30"))
    years = next(f for f in result.facets if f.name == "year")
    assert [v.value for v in years.results] == ["2021"]
