"""The site in a real headless Chromium (Playwright) against a live server: what a user sees and clicks.

Screenshots land in test-output/. Predicates for `wait_for_function` are written as functions
(`() => …`): Playwright evaluates a bare expression with `eval` on every poll after the first,
which the site's Content-Security-Policy refuses, so a wait that is not true at once would fail.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from app import labels, urls
from app.citation import book_title, cite

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def long_doc(sample_documents):
    """The document with the most clauses (its last clause is far below the fold)."""
    return max((d for d in sample_documents if d.doc_number), key=lambda d: len(d.clauses))


@pytest.fixture()
def csp_errors(page):
    """Console messages about Content-Security-Policy violations (there must be none)."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_type_a_keyword_and_see_highlighted_hits(page, live_server, output_dir, csp_errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    page.fill("input[name=q]", "清廉")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    marks = page.locator(".hit mark")
    marks.first.wait_for()
    assert set(marks.all_inner_texts()) <= {"清廉", "清", "廉"}
    assert page.input_value("input[name=q]") == "清廉"
    assert "找到" in page.inner_text(".count")
    page.screenshot(path=str(output_dir / "search.png"), full_page=False)
    assert csp_errors == []


def test_click_a_facet_value(page, live_server, output_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/search?q=建设")
    value = page.locator(".facet-type .facet-value").first
    name, count = value.locator(".value").inner_text(), int(value.locator(".count").inner_text())
    value.click()
    page.wait_for_url("**type=*")
    assert parse_qs(urlsplit(page.url).query)["type"] == [name]
    assert page.locator(".count strong").inner_text() == str(count)
    selected = page.locator(".facet-type .facet-value.selected")
    assert selected.locator(".value").inner_text() == name
    assert page.locator(".chip").first.inner_text().startswith("文种")
    page.screenshot(path=str(output_dir / "search-facet.png"))
    selected.click()
    page.wait_for_url(lambda url: "type=" not in url)


def test_click_two_years_then_remove_one_chip(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/search?q=建设")
    years = page.locator(".facet-year .facet-value")
    first, second = years.nth(0), years.nth(1)
    counts = [int(first.locator(".count").inner_text()), int(second.locator(".count").inner_text())]
    first.click()
    page.wait_for_url("**year=*")
    page.locator(".facet-year .facet-value:not(.selected)").first.click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query).get("year", [])) == 2)
    assert page.locator(".facet-year .facet-value.selected").count() == 2
    assert page.locator(".count strong").inner_text() == str(sum(counts))
    page.locator(".chip", has_text="年份").first.click()
    page.wait_for_url(lambda url: len(parse_qs(urlsplit(url).query).get("year", [])) == 1)
    assert page.locator(".facet-year .facet-value.selected").count() == 1


def busiest_clause(documents, short: bool):
    """The clause naming the most units, among short clauses (a task) or among all (a long duty list)."""
    pairs = [(d, c) for d in documents if d.doc_number for c in d.clauses if not short or len(c.text) < 400]
    return max(pairs, key=lambda pair: len(pair[1].unit_names))


@pytest.mark.parametrize("short", [True, False], ids=["task", "duty-list"])
def test_clause_permalink_is_highlighted_and_in_view(page, live_server, output_dir, sample_documents, csp_errors, short):
    page.set_viewport_size({"width": 1280, "height": 900})
    doc, clause = busiest_clause(sample_documents, short)
    page.goto(live_server + urls.clause_url(clause.id))
    focus = page.locator(".clause.is-focus")
    focus.wait_for()
    page.wait_for_function("() => window.scrollY > 0")
    box = focus.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2, "the clause starts in the upper half of the window"
    assert focus.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    crumbs = page.locator(".breadcrumb").inner_text()
    assert doc.doc_number in crumbs and clause.path[-1] in crumbs
    page.screenshot(path=str(output_dir / f"clause-{'task' if short else 'duty-list'}.png"))
    assert csp_errors == []


def test_clause_in_full_view_keeps_the_page_top(page, live_server, output_dir, sample_documents):
    """A clause that fits the window as loaded is not scrolled to: title, breadcrumb and buttons all show."""
    doc, clause = min(((d, c) for d in sample_documents for c in d.clauses if c.unit_names),
                      key=lambda pair: pair[0].text.find(pair[1].text.strip()[:40]))
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(live_server + urls.clause_url(clause.id))
    focus = page.locator(".clause.is-focus")
    box = focus.bounding_box()
    bottom = round(page.evaluate("window.scrollY") + box["y"] + box["height"])
    assert bottom < 1600 - 24, "the earliest clause naming units fits a tall window"
    # A window just taller than the clause's bottom: centring the clause would scroll the title away.
    page.set_viewport_size({"width": 1280, "height": bottom + 24})
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") == 0
    assert page.locator("h1").inner_text() == doc.title
    assert focus.locator(".breadcrumb").is_visible() and focus.locator(".actions button").first.is_visible()
    page.screenshot(path=str(output_dir / "clause-top.png"))


def copy_with_button(page, label: str) -> str:
    """Click a copy button of the focused clause, wait for the state app.js sets, and read the clipboard.

    Chromium serves the clipboard only to the focused document of an origin granted both permissions.
    """
    button = page.locator(f".is-focus button[data-copy]:has-text('{label}')")
    page.bring_to_front()
    button.focus()
    button.click()
    page.wait_for_selector(f".is-focus button[data-copy]:has-text('{label}')[data-copy-state]")
    assert button.get_attribute("data-copy-state") == "copied", page.inner_text(".is-focus .copy-status")
    return page.evaluate("() => navigator.clipboard.readText()")


def test_copy_link_puts_the_permalink_on_the_clipboard(browser, live_server, long_doc):
    context = browser.new_context(locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    try:
        clause = long_doc.clauses[len(long_doc.clauses) // 2]
        page.goto(live_server + urls.clause_url(clause.id))
        copied = copy_with_button(page, "复制链接")
        assert copied == live_server + urls.clause_url(clause.id)
        assert unquote(urlsplit(copied).path) == f"/d/{clause.id}"
        assert page.inner_text(".is-focus .copy-status") == labels.COPIED + copied
        citation = copy_with_button(page, "复制引用")
        assert citation == cite(long_doc, clause)
        assert citation.startswith(book_title(long_doc.title) + f"（{long_doc.doc_number}）")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["search", "document", "clause", "unit", "error"])
def test_phone_viewport_has_no_horizontal_scroll(page, live_server, output_dir, long_doc, name):
    unit = next(n for c in long_doc.clauses for n in c.unit_names)
    paths = {
        "search": "/search?q=建设&type=通知",
        "document": urls.doc_url(long_doc.id),
        "clause": urls.clause_url(long_doc.clauses[-1].id),
        "unit": urls.unit_url(unit),
        "error": "/search?page=-1",
    }
    page.set_viewport_size(PHONE)
    page.goto(live_server + paths[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} page scrolls sideways by {overflow}px"
    page.screenshot(path=str(output_dir / f"phone-{name}.png"))


def test_wide_body_table_scrolls_inside_its_frame_on_a_phone(page, live_server, output_dir, sample_documents):
    from corpus.layout import table_blocks

    def widest(doc):
        return max((len(row) for kind, rows in table_blocks(doc.text) if kind == "table" for row in rows), default=0)

    doc = max(sample_documents, key=widest)
    assert widest(doc) >= 3, "the sample corpus has a table of three or more columns"
    page.set_viewport_size(PHONE)
    page.goto(live_server + urls.doc_url(doc.id))
    frames = page.locator(".doc-body .table-wrap")
    assert frames.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    sizes = frames.evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX])")
    assert all(overflow == "auto" for _, _, overflow in sizes)
    assert any(scroll > client for scroll, client, _ in sizes), "a wide table scrolls inside its frame"
    frames.first.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "phone-table.png"))
