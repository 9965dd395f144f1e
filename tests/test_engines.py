"""The same searches on both engines: the embedded Whoosh index and a real SphinxQL cluster.

The cluster is Debian's sphinxsearch (`searchd`, installed by scripts/test): two RT shards and a
distributed front on free loopback ports, configured by `python -m index cluster-config`, started
here and stopped at teardown. The sample corpus is built into both. The differences by design
are listed in docs/cluster.md and tested at the end of this file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from index.engine import SearchEngine, open_engine, write_documents
from index.facets import FACETS
from index.passages import units
from index.query import MAX_QUERY_CHARS, SearchQuery
from index.sphinxql.client import Client, EngineUnavailable
from index.sphinxql.cluster import Cluster
from index.sphinxql.engine import FACET_VALUES, SphinxQLEngine
from index.sphinxql.local import START_TIMEOUT_S, crashed, free_port_block, loopback, running, start, stop
from index.sphinxql.writer import disk_chunks
from tokenizer import compact_text

ROOT = Path(__file__).resolve().parent.parent
SHARDS = 2


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two shards and a distributed front, configured by the CLI, running for this module."""
    if shutil.which("searchd") is None:
        pytest.skip("searchd 未安装（apt-get install sphinxsearch；scripts/test 会安装）")
    port = free_port_block(1 + 2 * SHARDS)
    folder = tmp_path_factory.mktemp("cluster")
    done = subprocess.run([sys.executable, "-m", "index", "cluster-config", "--shards", str(SHARDS), "--port",
                           str(port), "--dir", str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cluster = Cluster(shards=SHARDS, port=port, folder=folder)
    assert all(" ".join(c) in done.stdout for c in cluster.start_commands() + cluster.stop_commands())
    assert cluster.url in done.stdout
    with running(cluster):
        yield cluster
        # searchd restarts itself after a crash: a search then misses a shard rather than failing.
        assert not crashed(cluster), f"searchd crashed: see {cluster.folder}"


@pytest.fixture(scope="module")
def small_chunks(cluster, sample_documents, tmp_path_factory):
    """A second cluster, whose shards write a disk chunk every 128 KiB of a transaction."""
    small = loopback(tmp_path_factory.mktemp("small_chunks"), SHARDS, rt_mem_limit="128K")
    with running(small), pytest.MonkeyPatch.context() as patch:
        patch.setattr("index.sphinxql.writer.BATCH_DOCUMENTS", 3)  # a RAM chunk full: a disk chunk written
        write_documents(sample_documents, small.url, None, rebuild=True, progress=False)
        patch.undo()
        yield small, open_engine(small.url, None)


@pytest.fixture(scope="module")
def sphinx(cluster, sample_documents):
    write_documents(sample_documents, cluster.url, None, rebuild=True, progress=False)
    return open_engine(cluster.url, None)


@pytest.fixture(scope="module")
def whoosh(sample_index):
    return open_engine(None, sample_index)


@pytest.fixture(scope="module")
def engines(whoosh, sphinx):
    return {"whoosh": whoosh, "sphinxql": sphinx}


@pytest.fixture(scope="module")
def clauses(sample_documents):
    return [(doc, clause) for doc in sample_documents for clause in units(doc)]


def answer(engine, text="", **kwargs):
    """What a search shows, but the ranking: total, the set of hits, facet counts, notice."""
    result = engine.search(SearchQuery(text=text, size=1000, **kwargs))
    facets = {f.name: {(v.value, v.count, v.selected) for v in f.results} for f in result.facets}
    return result.total, {h.clause_id for h in result.hits}, facets, result.notice


def test_both_engines_have_the_interface(engines):
    assert all(isinstance(engine, SearchEngine) for engine in engines.values())


QUERIES = [
    "", "清廉", "清廉学校", "廉学", "建设", "县财政局", "泸发[2021]24号", "2021", "牵头单位：", "(一)",
    "清廉 学校", "清廉 -学校", "林长制 OR 烟花爆竹", '"建设清廉"', "单位:县财政局", "标题:林长制",
    "文号:泸政发", "-清廉", '清廉 "学校', "没有这样的词语组合", "@text 清廉", "　", "ＡＢＣ", "<script>",
    "县里的学校怎么建设清廉文化？", "员工工资由谁发放？",  # questions: content words, lay words' legal terms
]


@pytest.mark.parametrize("text", QUERIES)
def test_totals_hits_facets_and_notices_agree(engines, text):
    assert answer(engines["sphinxql"], text) == answer(engines["whoosh"], text)


@pytest.mark.parametrize("filters", [
    {"types": ("意见",)}, {"units": ("县财政局",)}, {"units": ("县财政局", "县教体局")},
    {"offices": ("中共泸溪县委",), "years": ("2021",)}, {"years": ("2023", "1999")},
    {"date_from": "2021-06-01", "date_to": "2021-12-31"}, {"date_to": "2021-06-30"},
    {"types": ("没有的文种",)},
])
def test_filters_and_disjunctive_facets_agree(engines, filters):
    for text in ("", "建设"):
        assert answer(engines["sphinxql"], text, **filters) == answer(engines["whoosh"], text, **filters)


def test_literal_recall_against_brute_force(sphinx, clauses):
    rng = random.Random(15)
    for _ in range(40):
        doc, clause = rng.choice(clauses)
        text = compact_text(clause.text)
        start = rng.randrange(len(text))
        needle = text[start:start + rng.randint(1, 8)].strip()
        if not needle or set(needle) & set('"“”'):
            continue
        expected = {c.id for _, c in clauses if needle in compact_text(c.text)}
        total, found, _, _ = answer(sphinx, f'"{needle}"')
        if len(expected) <= 1000:
            assert found == expected, needle
        assert total == len(expected), needle


def test_pages_and_date_order_agree(engines):
    for sort in ("date", "relevance"):
        pages = {name: [h.clause_id for page in (1, 2, 3)
                        for h in engine.search(SearchQuery(text="", sort=sort, page=page, size=7)).hits]
                 for name, engine in engines.items()}
        assert pages["sphinxql"] == pages["whoosh"] and len(pages["whoosh"]) == 21
    dated = {name: [h.clause_id for h in engine.search(SearchQuery(text="建设", sort="date", size=50)).hits]
             for name, engine in engines.items()}
    assert dated["sphinxql"] == dated["whoosh"]


def test_facets_ask_for_no_more_groups_than_the_index_has_values(sphinx, clauses):
    """Exact counts (the tests above) with small FACET sorters: the room is the most values of any facet."""
    most = max(len({v for doc, clause in clauses for v in f.values(doc, clause) if v}) for f in FACETS)
    assert most <= sphinx.facet_room <= SHARDS * most < FACET_VALUES


def test_relevance_puts_whole_words_first(sphinx):
    result = sphinx.search(SearchQuery(text="清廉", size=50))
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    top = sphinx.clause(result.hits[0].clause_id)[1]
    assert "清廉" in top.text and "清廉" in result.hits[0].snippet.marked()


def test_references_agree(engines, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number and len(d.clauses) > 3)
    label = doc.clauses[2].label
    cited = next(c.doc_number for d in sample_documents for c in d.cites
                 if c.doc_number and not engines["whoosh"].resolve_doc_number(c.doc_number))
    for text in (doc.doc_number, doc.doc_number.replace("〔", "[").replace("〕", "]"), f"{doc.doc_number} {label}",
                 f"{doc.doc_number} 第九十九条", f"《{doc.title}》", f"{doc.title}{label}", cited):
        first = {name: [h.clause_id for h in engine.search(SearchQuery(text=text, size=5)).hits]
                 for name, engine in engines.items()}
        assert first["sphinxql"] == first["whoosh"], text
        assert answer(engines["sphinxql"], text) == answer(engines["whoosh"], text), text
    assert engines["whoosh"].search(SearchQuery(text=doc.doc_number)).hits[0].doc_id == doc.id
    # page after page: the document's own units (the cited clause first), then the clauses quoting its 文号
    text = f"{doc.doc_number} {label}"
    pages = {name: [h.clause_id for page in (1, 2, 3, 4) for h in engine.search(SearchQuery(text=text, page=page,
                                                                                             size=10)).hits]
             for name, engine in engines.items()}
    assert pages["sphinxql"] == pages["whoosh"]
    assert len(pages["whoosh"]) == min(40, answer(engines["whoosh"], text)[0]) >= len(units(doc))
    # a 文号 followed by words: its clauses holding them (ranked, so only the answers are compared)
    assert answer(engines["sphinxql"], f"{doc.doc_number}建设") == answer(engines["whoosh"], f"{doc.doc_number}建设")
    assert "未收录" in engines["sphinxql"].search(SearchQuery(text=cited)).notice


def test_references_are_queries_not_every_document_in_memory(cluster, engines, sample_documents, monkeypatch):
    """A fresh engine reads references with queries (bounded cache), never by reading every document."""
    monkeypatch.setattr(SphinxQLEngine, "documents", lambda self: pytest.fail("read every document"))
    monkeypatch.setattr("index.sphinxql.lookup.CACHED_KEYS", 5)
    fresh = SphinxQLEngine(cluster.url)
    numbered = [d for d in sample_documents if d.doc_number]
    for doc in numbered[:6]:
        for text in (doc.doc_number, f"《{doc.title}》", f"{doc.title}第一条"):
            assert answer(fresh, text) == answer(engines["whoosh"], text), text
        assert [d.id for d in fresh.cited_by(doc.id)] == [d.id for d in engines["whoosh"].cited_by(doc.id)]
        references = fresh.references
        assert len(references._numbers) <= 5 and len(references._titles) <= 5


def test_an_added_document_is_found_by_its_new_doc_number_and_title(cluster, sphinx, whoosh, sample_documents,
                                                                     monkeypatch):
    monkeypatch.setattr("index.sphinxql.engine.META_TTL_S", 0)  # see the write at once
    base = next(d for d in sample_documents if d.doc_number and len(d.clauses) > 2)
    new = dataclasses.replace(base, id="测试-2030-7", doc_number="测试发〔2030〕7号", title="试行测试办法的决定")
    assert sphinx.resolve_doc_number(new.doc_number) is None
    write_documents([new], cluster.url, None, rebuild=False, progress=False)
    try:
        assert sphinx.resolve_doc_number("测试发[2030]7号") == new.id
        for text in (new.doc_number, new.title, f"《{new.title}》"):
            assert {h.doc_id for h in sphinx.search(SearchQuery(text=text, size=3)).hits} == {new.id}, text
    finally:
        write_documents(sample_documents, cluster.url, None, rebuild=True, progress=False)
    assert answer(sphinx, "") == answer(whoosh, "")


def test_lookups_agree(engines, sample_documents):
    sphinx, whoosh = engines["sphinxql"], engines["whoosh"]
    assert [d.id for d in sphinx.documents()] == [d.id for d in whoosh.documents()]
    for limit in (0, 1, 5):
        assert [d.id for d in sphinx.documents(limit)] == [d.id for d in whoosh.documents()][:limit]
    assert sphinx.stats()["documents"] == whoosh.stats()["documents"] == len(sample_documents)
    assert sphinx.stats()["clauses"] == whoosh.stats()["clauses"]
    for doc in sample_documents[:8]:
        assert sphinx.document(doc.id) == whoosh.document(doc.id)
        assert [d.id for d in sphinx.cited_by(doc.id)] == [d.id for d in whoosh.cited_by(doc.id)]
        if doc.doc_number:
            assert sphinx.resolve_doc_number(doc.doc_number) == whoosh.resolve_doc_number(doc.doc_number)
        if doc.clauses:
            assert sphinx.clause(doc.clauses[-1].id) == whoosh.clause(doc.clauses[-1].id)
    for unit in ("县财政局", "县教育和体育局", "没有的单位"):
        assert [(d.id, [c.id for c in cs]) for d, cs in sphinx.unit_clauses(unit)] == \
               [(d.id, [c.id for c in cs]) for d, cs in whoosh.unit_clauses(unit)]
    assert sphinx.document("没有") is None and sphinx.clause("没有/1") is None
    assert sphinx.resolve_doc_number("泸发〔1999〕1号") is None


def test_bad_input(engines):
    long = "清" * (MAX_QUERY_CHARS + 50)
    for text in (long, "\\", '"', "@text 清廉", "a|b", "清廉)(", "~!@#$%^&*()_+", "\x00\x01", "𠀀"):
        assert answer(engines["sphinxql"], text) == answer(engines["whoosh"], text), repr(text)
    deep = SearchQuery(text="建设", page=10_000, size=20)
    assert engines["sphinxql"].search(deep).hits == engines["whoosh"].search(deep).hits == []


def test_add_replaces_a_document_whole(cluster, sphinx, whoosh, sample_documents):
    doc = next(d for d in sample_documents if len(d.clauses) > 2)
    shorter = dataclasses.replace(doc, clauses=doc.clauses[:1])
    write_documents([shorter], cluster.url, None, rebuild=False, progress=False)
    try:
        assert [c.id for c in sphinx.document(doc.id).clauses] == [doc.clauses[0].id]
        assert sphinx.clause(doc.clauses[1].id) is None
        total, found, _, _ = answer(sphinx, "")
        assert total == whoosh.stats()["clauses"] - len(units(doc)) + len(units(shorter))
    finally:
        write_documents([doc], cluster.url, None, rebuild=False, progress=False)
    assert answer(sphinx, "") == answer(whoosh, "")


def test_a_rebuild_in_small_batches_writes_every_document_and_drops_the_rest(cluster, sphinx, whoosh,
                                                                             sample_documents, monkeypatch):
    monkeypatch.setattr("index.sphinxql.writer.BATCH_DOCUMENTS", 3)  # several transactions a shard
    kept = sample_documents[:-4]
    write_documents(kept, cluster.url, None, rebuild=True, progress=False)
    try:
        assert sorted(d.id for d in sphinx.documents()) == sorted(d.id for d in kept)
        assert sphinx.stats()["clauses"] == sum(len(units(d)) for d in kept)
        assert sphinx.document(sample_documents[-1].id) is None
    finally:
        write_documents(sample_documents, cluster.url, None, rebuild=True, progress=False)
    assert answer(sphinx, "") == answer(whoosh, "")


def test_stopped_shards_give_partial_results_or_503_then_full_again(cluster, sphinx, whoosh, app):
    full = answer(whoosh, "建设")
    shard = cluster.shard_list[1]
    stop(shard.config_file)
    try:
        total, found, _, notice = answer(sphinx, "建设")
        assert 0 < total < full[0] and found < full[1]
        assert notice and "不完整" in notice
        client = app.test_client()
        app.config["ENGINE"] = cluster.url
        try:
            page = client.get("/search?q=建设")
            assert page.status_code == 200 and "不完整" in page.get_data(as_text=True)
            assert client.get("/search.json?q=建设").get_json()["total"] == total
        finally:
            app.config.pop("ENGINE")
        other = cluster.shard_list[0]
        stop(other.config_file)
        try:
            with pytest.raises(EngineUnavailable, match="无法连接检索引擎"):
                sphinx.search(SearchQuery(text="建设"))
            app.config["ENGINE"] = cluster.url
            try:
                assert app.test_client().get("/search?q=建设").status_code == 503
            finally:
                app.config.pop("ENGINE")
        finally:
            start(other.config_file, other.sql_port)
    finally:
        start(shard.config_file, shard.sql_port)
    assert answer(sphinx, "建设") == full


def test_a_build_merges_each_shards_disk_chunks_into_one(small_chunks, whoosh):
    """searchd 2.2.11 crashed on shards of ten disk chunks (1,000,000 clauses): a build leaves one."""
    cluster, engine = small_chunks
    for shard in cluster.shard_list:
        client = Client(shard.host, shard.sql_port)
        written = [int(path.suffixes[0][1:]) for path in shard.folder.glob("rt.*.sph")]
        assert disk_chunks(client, shard.name) == 1 and max(written) >= 2  # three chunks or more were merged
        client.close()
    for text in ("建设", "县财政局", "清廉 学校", "林长制 OR 烟花爆竹"):
        assert answer(engine, text) == answer(whoosh, text)
    for filters in ({"types": ("意见",)}, {"years": ("2021",)}):
        assert answer(engine, "建设", **filters) == answer(whoosh, "建设", **filters)
    assert not crashed(cluster)


def test_a_slow_shard_gives_partial_results_never_a_500(small_chunks, whoosh, app):
    """A shard that takes no query (stopped by SIGSTOP, as one hung in its crash handler) is left out
    after the front's agent_connect_timeout (it never greets the front); once it answers, results are whole."""
    cluster, engine = small_chunks
    full = answer(engine, "建设")
    assert full == answer(whoosh, "建设")
    pid = int(cluster.file_of(cluster.shard_list[1].name, "pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        total, found, _, notice = answer(engine, "建设")
        assert 0 < total < full[0] and found < full[1] and notice and "不完整" in notice
        app.config["ENGINE"] = cluster.url
        try:
            page = app.test_client().get("/search?q=建设")
            assert page.status_code == 200 and "不完整" in page.get_data(as_text=True)
        finally:
            app.config.pop("ENGINE")
    finally:
        os.kill(pid, signal.SIGCONT)
    assert answer(engine, "建设") == full
    assert not crashed(cluster)


def test_a_stopped_front_is_a_clear_error(cluster, tmp_path):
    engine = SphinxQLEngine(f"sphinxql://127.0.0.1:{free_port_block(1)}/gongwen")
    with pytest.raises(EngineUnavailable, match="无法连接检索引擎"):
        engine.search(SearchQuery(text="建设"))


# Differences by design (docs/cluster.md lists them) ----------------------------------------------


def test_pages_beyond_max_matches_are_empty_on_the_cluster(engines, monkeypatch):
    """Sphinx keeps the best `max_matches` of a query: deeper pages have the total but no hits."""
    monkeypatch.setattr("index.sphinxql.engine.MAX_MATCHES", 30)
    deep = SearchQuery(text="建设", page=4, size=10)
    sphinx, whoosh = engines["sphinxql"].search(deep), engines["whoosh"].search(deep)
    assert sphinx.total == whoosh.total > 40 and len(whoosh.hits) == 10 and sphinx.hits == []


def test_scores_are_the_clusters_own(engines):
    """Scores are BM25 on each side, but not the same numbers (Sphinx's integer weights, per-shard IDF)."""
    texts = {name: [h.score for h in engine.search(SearchQuery(text="清廉")).hits] for name, engine in engines.items()}
    assert texts["sphinxql"] != texts["whoosh"]
    assert all(score > 0 for score in texts["sphinxql"][:3])


# The commands ------------------------------------------------------------------------------------


def test_cli_build_add_and_search_on_the_cluster(cluster, sphinx, tmp_path):
    gazette = next(p for p in sorted((ROOT / "corpus" / "data" / "gazettes").iterdir()) if p.suffix == ".txt")
    run = [sys.executable, "-m", "index"]
    env = {**os.environ, "GONGWEN_ENGINE": cluster.url}
    done = subprocess.run([*run, "add", str(gazette)], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert cluster.url in done.stdout and "%" in done.stderr  # said where, with a progress bar
    done = subprocess.run([*run, "search", "清廉学校", "--json", "--engine", cluster.url], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == sphinx.search(SearchQuery(text="清廉学校")).total > 0
    done = subprocess.run([*run, "search", "清廉", "--engine", "sphinxql://127.0.0.1:1/gongwen"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("错误：无法连接检索引擎") and "Traceback" not in done.stderr
    done = subprocess.run([*run, "cluster-config", "--shards", "2", "--port", "65534", "--dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("错误：") and not list(tmp_path.iterdir())


def test_serve_with_engine_answers_from_the_cluster(cluster, sphinx, tmp_path):
    port = free_port_block(1)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", "1", "--engine", cluster.url,
         "--index", str(tmp_path / "no-index")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/search.json?q=%E5%BB%BA%E8%AE%BE") as answer_:
                    body = json.loads(answer_.read())
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert body["total"] == sphinx.search(SearchQuery(text="建设")).total > 0
        assert not (tmp_path / "no-index").exists()  # no embedded index was built
    finally:
        process.terminate()
        process.wait(timeout=20)
