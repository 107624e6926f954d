"""Every run starts in app.py: its navigation (the declared titles and addresses) and its page
config (the tour's sidebar folded), also where Streamlit's legacy discovery of pages/ would run
a page file by itself (components/entry.py): under AppTest on every run, and on a freshly started
server until the first run has declared the navigation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from app_pages import app_test

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


def declared_titles() -> list[str]:
    """The titles app.py gives its pages, in its order (read from its st.Page declarations)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "Page"]
    titles = {c.args[0].value: next(k.value.value for k in c.keywords if k.arg == "title") for c in calls}
    order = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "PAGES").value.elts
    by_name = {
        n.targets[0].id: n.value.args[0].value
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
    }
    return [titles[e.args[0].value] if isinstance(e, ast.Call) else titles[by_name[e.id]] for e in order]


def assert_app_navigation(at) -> None:
    """The run went through app.py: its navigation is the app's, where the entry point is no page.
    (A page file run by the legacy discovery registers the files, app.py among them: the sidebar
    then lists "app", …, "map explorer".)"""
    assert not at.exception, at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app.py")


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_run_of_every_page_goes_through_app_py(page):
    at = app_test(page)
    at.run()
    assert_app_navigation(at)
    at.run()  # a rerun (a widget, a link with the same page) starts in app.py again
    assert_app_navigation(at)
    at.switch_page("pages/8_Presenter_tour.py").run()  # switching pages too
    assert_app_navigation(at)
    assert any("tour-title" in m.value for m in at.markdown)


def test_links_to_the_map_open_the_app_address_on_every_run():
    """A page's links to the explorer point at the app's own address (``/``, the default page),
    not at the file's name (``/map_explorer``), on the first run and after."""
    at = app_test("4_Compare.py")
    at.query_params["compare"] = "province:440000,cc:cc_yrd"
    for _ in range(2):
        at.run()
        assert not at.exception, at.exception
        links = [e.proto for e in at.get("page_link")]
        assert links and {link.page for link in links} == {""}


@pytest.mark.browser
@pytest.mark.parametrize("address", ["Presenter_tour?step=1", "Sectors"])
def test_a_fresh_servers_first_visitor_sees_the_declared_pages(address):
    """The very first visitor of a just started server (the run before any navigation was
    declared) sees the sidebar of the declared pages, never file names or a "page not found",
    and the tour opens with the sidebar folded away."""
    from browser import launch, serve
    from playwright.sync_api import expect, sync_playwright

    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
        page.goto(f"{url}/{address}")
        shown = page.locator("[data-testid='stMain'] [data-testid='stElementContainer']").filter(visible=True)
        expect(shown.first).to_be_visible(timeout=60000)  # the page has drawn
        nav = page.locator("[data-testid='stSidebarNav'] a")
        expect(nav).to_have_count(len(declared_titles()), timeout=20000)
        assert [text.splitlines()[-1] for text in nav.all_inner_texts()] == declared_titles()  # after the icon
        assert page.get_by_text("Page not found").count() == 0
        folded = "true" if address.startswith("Presenter_tour") else "false"
        expect(page.locator("[data-testid='stSidebar']")).to_have_attribute("data-collapsed", folded)
        browser.close()
