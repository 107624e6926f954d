"""Meeting brief: what it says per scope (read back from the PDF with pypdf), its order and
length, stated absences, the Markdown and its map, Chinese names with and without a CJK font,
and the page under AppTest."""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pypdf
import pytest
from conftest import run_page as run_page_at
from PIL import Image

from atlas.page_params import parse
from atlas.paths import SEED_FILES
from atlas.provenance import SEED_FILE
from atlas.provinces import PROVINCE_NAMES_EN
from atlas.reports.content import (
    EEN,
    REGIONAL,
    build_brief,
    file_stem,
    gather,
    load_talking_points,
    pick_talking_points,
    scope_from_key,
    scope_options,
)
from atlas.reports.markdown import brief_markdown, brief_zip
from atlas.reports.meeting_brief import prepare
from atlas.reports.pdf import INK, BriefPDF, Fonts, brief_pdf, find_fonts, grouped_sources, strip_cjk
from atlas.reports.static_map import HIGHLIGHT, Projection, marker_radius, render_png
from atlas.text import split
from components.brief_views import address, scope_param
from geo.boundaries import load_seats
from geo.distance import haversine_km

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "7_Meeting_brief.py")
DAY = date(2025, 11, 23)
MAP_SIZE = (600, 360)  # small maps keep the tests fast; the page draws 1500 x 900
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
ONE_OF_EACH_KIND = [
    "province:440000",
    "cc:cc_prd",
    "sector:ict",
    "ic:IC048",
    "z:z_zhongguancun",
]
ANNEX = "Annex: the full lists"


# ---------------------------------------------------------------- reading the PDF back


FOOTER = re.compile(r"^China Cluster Atlas · .* · page \d+/\d+$", re.M)


def pages_text(data: bytes) -> list[str]:
    """Each page's text without its footer (a line cut by a page break then reads on)."""
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return [FOOTER.sub("", p.extract_text() or "") for p in pages]


def squeeze(text: str) -> str:
    """Text without any whitespace: a PDF's line breaks fall where they fall."""
    return re.sub(r"\s+", "", text)


def flat(text: str) -> str:
    return " ".join(text.split())


def md_plain(markdown: str) -> str:
    """Markdown with its escaping removed, as a reader sees it."""
    return flat(re.sub(r"\\(.)", r"\1", markdown))


def make(atlas, key: str, fonts: Fonts | None = None, with_annex: bool = True):
    """The brief, its map, PDF and Markdown; with the annex unless asked otherwise, so that every
    line the brief holds can be looked for."""
    scope = scope_from_key(atlas, key, PROVINCE_NAMES_EN)
    brief = build_brief(atlas, scope, DAY, load_talking_points())
    png = render_png(brief.map, *MAP_SIZE)
    pdf = brief_pdf(brief, png, fonts=fonts, with_annex=with_annex)
    return brief, png, pdf, brief_markdown(brief, "map.png", with_annex)


@pytest.fixture(scope="module")
def briefs(atlas):
    return {key: make(atlas, key) for key in ONE_OF_EACH_KIND}


def in_province(df, code):
    return df[df["adcode"].astype(str).str[:2] == code[:2]]


def printed_lines(brief, with_zh: bool) -> list[str]:
    """Every line the brief means to print, as the PDF should show it."""
    out = [brief.title, brief.summary]
    for section in brief.sections + brief.annex:
        out.append(section.title)
        for item in section.items:
            zh = item.zh if with_zh else ""
            out += [x for x in (item.text, zh, item.detail) if x]
            out += [str(n) for n in item.cites]
    for title, refs in grouped_sources(brief.sources):  # the PDF lists them by document
        out += [title, *(f"[{n}] {ref}" for n, ref in refs)]
    return out


# ---------------------------------------------------------------- the PDF prints the data


@pytest.mark.parametrize("key", ONE_OF_EACH_KIND)
def test_every_line_of_the_brief_is_printed_as_written(briefs, key):
    """Each fact, name and citation of the brief is in the PDF's text, character for
    character (Chinese too), and the PDF prints no word the brief does not contain: a
    garbled line ("mDi y:fDl aHGuSl") fails both."""
    brief, _, pdf, markdown = briefs[key]
    text = squeeze("".join(pages_text(pdf)))
    with_zh = find_fonts().cjk is not None
    for line in printed_lines(brief, with_zh):
        expected = squeeze(line if with_zh else strip_cjk(line))
        assert expected in text, line
    known = set(re.findall(r"\w+", " ".join(printed_lines(brief, True)) + md_plain(markdown)))
    known |= set(
        re.findall(
            r"\w+",
            "China Cluster Atlas page prepared November Annex full lists"
            " Numbers in brackets refer to these documents and sections",
        )
    )
    for page in pages_text(pdf):
        for word in re.findall(r"\w+", page):
            assert word in known or any(word in k for k in known), (key, word)


def test_the_greater_bay_area_plan_line_wraps_cleanly(briefs):
    """The line that printed as garbage: a bold label, then a value that starts in Chinese
    and wraps onto a second line."""
    brief, _, pdf, _ = briefs["cc:cc_prd"]
    plan = next(i for s in brief.sections for i in s.items if i.text == "Plan")
    assert plan.detail.startswith("《") and "Greater Bay Area" in plan.detail
    assert squeeze(plan.detail if find_fonts().cjk else strip_cjk(plan.detail)) in squeeze("".join(pages_text(pdf)))


def test_bold_then_a_wrapped_line_starting_in_chinese_keeps_its_font(tmp_path):
    """The cause, in isolation: after a bold line, a regular paragraph whose first character
    needs the CJK font, long enough to wrap, in another colour than the fill colour."""
    fonts = find_fonts()
    if fonts.cjk is None:
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")

    class Stub:
        title = "t"

    pdf = BriefPDF(Stub(), fonts)
    pdf.add_page()
    pdf.set_fill_color(200, 0, 0)
    lines = []
    for n in range(3):
        label = f"Plan {n}"
        value = (
            "《粤港澳大湾区发展规划纲要》 (Outline Development Plan for the Guangdong-Hong Kong-"
            f"Macao Greater Bay Area) (2019) and a long tail that wraps onto line two, {n}"
        )
        pdf.font(9.5, bold=True)
        pdf.para(label)
        pdf.font(9.5, colour=(90, 100, 112))
        pdf.para(value)
        pdf.para([(f"{label}: ", INK, True), (value, INK, False)])
        lines += [label, value, f"{label}: {value}"]
    text = squeeze("".join(pages_text(bytes(pdf.output()))))
    assert squeeze("".join(lines)) == text


def test_province_brief_counts_and_names_its_clusters(atlas, briefs):
    brief, _, pdf, _ = briefs["province:440000"]
    text = flat(" ".join(pages_text(pdf)))
    expected = in_province(atlas.clusters, "440000")
    assert 0 < len(expected) < len(atlas.clusters)
    assert "Meeting brief: Guangdong" in text
    assert f"Industrial clusters here: {len(expected)} of {len(atlas.clusters)} (2010 list)" in text
    for name in expected["name_en"]:
        assert flat(name) in text, name
    assert f"Zones and parks here: {len(in_province(atlas.zones, '440000'))} (" in text


@pytest.mark.parametrize("key", ["sector:textiles", "cc:cc_yrd"])
def test_sector_and_city_cluster_briefs_count_their_clusters(atlas, key):
    brief, _, pdf, _ = make(atlas, key)
    kind, ident = key.split(":")
    c = atlas.clusters
    expected = c["sector"] == ident if kind == "sector" else c["city_cluster"].map(lambda v: ident in split(v))
    n = int(expected.sum())
    assert brief.counts["clusters"] == n > 0
    assert f": {n} of {len(c)} (2010 list)" in next(s.title for s in brief.sections if s.title.startswith("Industrial"))
    assert f"{n} of {len(c)}" in flat(" ".join(pages_text(pdf)))


def test_pdf_embeds_the_map_image(briefs):
    _, png, pdf, _ = briefs["province:440000"]
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    images = list(page.images)
    assert images and images[0].image.size == Image.open(io.BytesIO(png)).size
    assert b"/Alt (Map of Guangdong)" in brief_pdf(briefs["province:440000"][0], png, compress=False)


# ---------------------------------------------------------------- about its scope, in five minutes


def section_titles(brief) -> list[str]:
    return [re.sub(r": \d.*$", "", s.title) for s in brief.sections]


def test_a_region_brief_puts_the_region_first_and_national_items_after(atlas, briefs):
    brief, *_ = briefs["province:440000"]
    assert section_titles(brief) == [
        "Key facts",
        "Industrial clusters here",
        "Zones and parks here",
        "Policies of this place",
        "EU-China events held here",
        "Organisations here",
        "National and sector-wide, in short",
        "Talking points",
    ]
    own = next(s for s in brief.annex + brief.sections if s.title.startswith("Policies of this place"))
    applying = gather(atlas, brief.scope).policies
    regional = {p.name for p in applying if p.reason in REGIONAL}
    assert {i.text for i in own.items} == regional
    national = next(s for s in brief.annex if s.title.startswith("National policies"))
    n = brief.counts["national_policies"]
    assert national.title.startswith(f"National policies that apply: {n} (") and len(national.items) == n
    main_names = {i.text for s in brief.sections for i in s.items}
    assert not main_names & {i.text for i in national.items}  # summarised, not listed
    wider = next(s for s in brief.sections if s.title.startswith("National and sector-wide"))
    assert len(wider.items) <= 5
    assert any(i.text.startswith(f"{n} national policies apply (") for i in wider.items)


def test_talking_points_come_from_the_scope_sectors(atlas, briefs):
    tp = load_talking_points().set_index("text")
    for key in ("province:440000", "ic:IC048", "sector:ict"):
        brief, *_ = briefs[key]
        c = gather(atlas, brief.scope)
        points = next(s for s in brief.sections if s.title == "Talking points").items
        assert 2 <= len(points) <= 5
        for p in points:
            row = tp.loc[p.text]
            own = row["priority_sector"] in c.priority or set(split(row["sectors"])) & set(c.sectors)
            assert own, (key, p.text)


def test_talking_points_file_is_valid_and_cites_opportunity_sections(atlas, seeds_dir):
    tp = load_talking_points()
    assert list(tp.columns) == ["id", "priority_sector", "sectors", "text", "source"]
    assert tp["id"].is_unique and tp["id"].str.match(r"^tp_[a-z0-9_]+$").all()
    assert set(tp["priority_sector"]) - {""} <= set(atlas.taxonomy.priority.index)
    assert {s for cell in tp["sectors"] for s in split(cell)} <= set(atlas.taxonomy.order)
    for source in tp["source"]:
        seed, _, section = source.partition(" §")
        assert seed in SEED_FILES and section, source
        number = section.split()[0]
        text = (seeds_dir / seed).read_text(encoding="utf-8")
        assert re.search(rf"(?m)^\s*{re.escape(number)}\.?\s", text), f"no {number} in {seed}"


def test_pick_talking_points_prefers_the_sectors_and_leaves_general_ones_out():
    tp = load_talking_points()
    picked = pick_talking_points(tp, ["automotive"], ["automotive"])
    assert (picked["priority_sector"].head(3) == "automotive").all()
    assert len(picked) <= 5 and picked["id"].is_unique
    assert (picked["priority_sector"] + picked["sectors"] != "").all()


def annex_page(pdf: bytes) -> int:
    return next(n for n, text in enumerate(pages_text(pdf), 1) if ANNEX in text)


LONGEST = [  # of each kind, the briefs with the most to say (most clusters, facts, neighbours, sources)
    "province:440000",
    "province:330000",
    "cc:cc_prd",
    "cc:cc_yrd",
    "sector:ict",
    "sector:energy",
    "ic:IC048",
    "ic:IC094",
    "z:z_zhongguancun",
    "z:z_zhangjiang_ic_biopharma",
]


@pytest.mark.parametrize("key", LONGEST)
def test_the_brief_without_its_annex_fits_two_pages(atlas, key):
    """What is read in the meeting, its map and its numbered sources included, is two A4 pages at
    most; it cites only what it shows and holds no annex. With the annex, the full lists start on
    a page of their own after those two pages."""
    brief, _, pdf, markdown = make(atlas, key, with_annex=False)
    pages = pages_text(pdf)
    assert len(pages) <= 2, (key, len(pages))
    text = squeeze(" ".join(pages))
    assert brief.annex and squeeze(ANNEX) not in text and ANNEX not in markdown
    cited = {
        int(n) for group in re.findall(r"\[([\d, ]+)\]", markdown.split("## Sources")[0]) for n in group.split(",")
    }
    assert cited == set(range(1, brief.body_sources + 1)) and brief.body_sources < len(brief.sources)
    assert (
        f"{brief.body_sources}. " in markdown and f"{brief.body_sources + 1}. " not in markdown.split("## Sources")[1]
    )
    _, _, full, _ = make(atlas, key, with_annex=True)
    before = squeeze(" ".join(pages_text(full)[: annex_page(full) - 1]))
    assert 2 <= annex_page(full) <= 3 and squeeze(brief.sections[-1].title) in before  # a page of its own


def test_the_greater_bay_area_headline_figure_is_in_the_body(briefs):
    """12 % of China's GDP with 5 % of its population, in 2016: the first of the key facts, on page 1."""
    brief, png, *_ = briefs["cc:cc_prd"]
    first = brief.sections[0].items[0]
    assert brief.sections[0].title == "Key facts" and first.text == "Share of GDP"
    assert all(x in first.detail for x in ("12%", "5% of the population", "2016")), first.detail
    page_one = flat(pages_text(brief_pdf(brief, png))[0])
    assert "12% of China's economy" in page_one and "in 2016, with 5% of the population" in page_one


def test_long_lists_show_their_head_and_go_whole_to_the_annex(atlas):
    brief, *_ = make(atlas, "province:330000")
    main = next(s for s in brief.sections if s.title.startswith("Industrial clusters here"))
    full = next(s for s in brief.annex if s.title.startswith("Industrial clusters here"))
    n = len(in_province(atlas.clusters, "330000"))
    assert len(full.items) == n > len(main.items) - 1
    assert main.items[-1].text == f"… and {n - len(main.items) + 1} more, listed in the annex."


# ---------------------------------------------------------------- absences stated


def test_a_province_without_events_or_een_says_so_and_names_the_nearest(atlas):
    orgs = atlas.organisations
    een = orgs[orgs["name"].str.startswith(EEN) & orgs["lat"].notna()]
    code = next(
        c
        for c in sorted(PROVINCE_NAMES_EN)
        if in_province(atlas.events, c).empty and in_province(een, c).empty and not in_province(atlas.clusters, c).empty
    )
    brief, *_ = make(atlas, f"province:{code}")
    items = {i.text for s in brief.sections for i in s.items}
    assert "No EU-China event recorded in this region." in items
    seat = load_seats().set_index("adcode").loc[code]
    nearest = sorted(
        een.to_dict("records"),
        key=lambda r: haversine_km(float(seat["lat"]), float(seat["lon"]), r["lat"], r["lon"]),
    )[:2]
    line = next(i for i in items if i.startswith(f"No {EEN} contact point in this province"))
    assert all(r["city_en"] in line for r in nearest), line
    assert line.index(nearest[0]["city_en"]) < line.index(nearest[1]["city_en"])


def test_a_province_with_an_een_contact_point_names_it(atlas):
    brief, *_ = make(atlas, "province:420000")  # Hubei: Wuhan
    items = [i.text for s in brief.sections for i in s.items]
    assert f"{EEN} contact point here: Wuhan" in items


def empty_provinces(atlas) -> list[str]:
    """Provinces where the data place nothing: no cluster, zone, event or city-cluster member."""
    tables = (atlas.clusters, atlas.zones, atlas.events, atlas.city_cluster_members)
    return [c for c in PROVINCE_NAMES_EN if all(in_province(df, c).empty for df in tables)]


def test_empty_province_gives_a_short_brief_that_says_so(atlas):
    empty = empty_provinces(atlas)
    assert empty, "expected at least one province with nothing in the documents"
    brief, _, pdf, markdown = make(atlas, f"province:{empty[0]}")
    text = flat(" ".join(pages_text(pdf)))
    assert brief.empty and brief.sections == [] and len(pages_text(pdf)) == 1
    assert f"Meeting brief: {PROVINCE_NAMES_EN[empty[0]]}" in text
    assert "no top-100 industrial cluster" in text and "Industrial clusters" not in text
    assert "no top-100 industrial cluster" in md_plain(markdown)


def test_province_with_zones_but_no_clusters_says_there_are_none(atlas):
    code = next(
        c for c in PROVINCE_NAMES_EN if in_province(atlas.clusters, c).empty and not in_province(atlas.zones, c).empty
    )
    brief, *_ = make(atlas, f"province:{code}")
    section = next(s for s in brief.sections if s.title.startswith("Industrial clusters"))
    assert section.title == f"Industrial clusters here: 0 of {len(atlas.clusters)} (2010 list)"
    assert section.items[0].text == "No top-100 industrial cluster (2010 list) here."


# ---------------------------------------------------------------- words a reader can cite


@pytest.mark.parametrize("key", ONE_OF_EACH_KIND)
def test_no_file_name_path_id_or_code_reaches_the_reader(atlas, briefs, key):
    brief, _, pdf, markdown = briefs[key]
    ids = set()
    for df in (
        atlas.clusters,
        atlas.zones,
        atlas.events,
        atlas.organisations,
        atlas.policies,
        atlas.partnerships,
        atlas.projects,
        atlas.city_clusters,
    ):
        ids |= {i for i in df["id"] if len(i) > 4}
    for text in (" ".join(pages_text(pdf)), md_plain(markdown)):
        assert not SEED_FILE.search(text)
        for bad in (
            "shared/reference",
            "/work/",
            "city_clusters.md",
            "name_zh",
            "synonyms.csv",
            "(seeds)",
            "(V)",
            "(P)",
            "(U)",
            " 000 §",
            "(000",
            "eu_support",
        ):
            assert bad not in text, (key, bad)
        words = set(re.findall(r"[\w-]+", text))
        assert not words & ids, (key, words & ids)


def test_citations_are_numbered_once_all_used_and_cited_by_title(briefs):
    brief, _, _, markdown = briefs["province:440000"]
    assert len(brief.sources) == len(set(brief.sources)) > 5
    body = markdown.split("## Sources")[0]
    cited = {int(n) for group in re.findall(r"\[([\d, ]+)\]", body) for n in group.split(",")}
    assert cited == set(range(1, len(brief.sources) + 1))
    assert "ECCP D3.2 Preparatory Briefing on China (earlier version), Table 4" in brief.sources
    assert any(s.startswith("ECCP Preparatory Briefing on China (2019 update), §") for s in brief.sources)


# ---------------------------------------------------------------- Markdown and its map


def test_markdown_has_no_inline_image_and_ships_with_its_png(atlas, briefs):
    brief, png, _, _ = briefs["cc:cc_prd"]
    stem = file_stem(brief.scope, DAY)
    markdown = brief_markdown(brief, f"{stem}.png")
    assert "base64" not in markdown and len(markdown.encode()) < 80_000
    assert f"![Map of {brief.scope.name}]({stem}.png)" in md_plain(markdown).replace("\\", "")
    with zipfile.ZipFile(io.BytesIO(brief_zip(brief, stem, png))) as z:
        assert sorted(z.namelist()) == [f"{stem}.md", f"{stem}.png"]
        assert z.read(f"{stem}.png") == png
        assert z.read(f"{stem}.md").decode() == markdown


def test_markdown_holds_the_same_sections_as_the_pdf(atlas, briefs):
    brief, _, pdf, markdown = briefs["province:440000"]
    text, plain = squeeze(" ".join(pages_text(pdf))), md_plain(markdown)
    assert plain.startswith("# Meeting brief: Guangdong")
    for section in brief.sections + brief.annex:
        assert flat(section.title) in plain and squeeze(section.title) in text
    assert "广东省" in markdown  # Chinese kept in the Markdown
    for n, source in enumerate(brief.sources, 1):
        assert f"{n}. {flat(source)}" in plain


def test_file_names_say_scope_and_date(atlas):
    scope = scope_from_key(atlas, "province:440000", PROVINCE_NAMES_EN)
    assert file_stem(scope, DAY) == "meeting-brief_province-guangdong_2025-11-23"
    zone = scope_from_key(atlas, "z:z_zhongguancun", PROVINCE_NAMES_EN)
    assert "zhongguancun" in file_stem(zone, DAY) and file_stem(zone, DAY).endswith("2025-11-23")


def _near(pixels: np.ndarray, colour: str, tol: int = 40) -> np.ndarray:
    """Which pixels (…, 3) are within ``tol`` (sum of channel differences) of a colour."""
    rgb = np.array([int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)])
    return np.abs(pixels.astype(int) - rgb).sum(axis=-1) <= tol


def test_map_draws_every_cluster_in_its_sector_colour_and_outlines_the_scope(atlas, briefs):
    brief, png, _, _ = briefs["province:440000"]
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    proj = Projection(brief.map.bbox, img.shape[1], img.shape[0])
    clusters = in_province(atlas.clusters, "440000")
    circles = sorted(p.colour for p in brief.map.points if p.shape == "circle")
    assert circles == sorted(atlas.taxonomy.colour(s) for s in clusters["sector"])
    reach = int(3.5 * marker_radius(img.shape[1], img.shape[0]))  # co-located markers fan out
    for r in clusters.to_dict("records"):
        x, y = map(int, proj(r["lon"], r["lat"]))
        colour = atlas.taxonomy.colour(r["sector"])
        assert _near(img[y - reach : y + reach, x - reach : x + reach], colour).any(), r["id"]
    assert _near(img, HIGHLIGHT, 20).sum() > 200  # the province outline


# ---------------------------------------------------------------- Chinese names and fonts


def test_without_a_cjk_font_the_pdf_leaves_chinese_out_and_markdown_keeps_it(atlas):
    fonts = find_fonts()
    if fonts.regular is None:
        pytest.skip("no Unicode text font on this machine (Debian: fonts-dejavu-core)")
    brief, _, pdf, markdown = make(atlas, "ic:IC048", Fonts(fonts.regular, fonts.bold, None))
    text = " ".join(pages_text(pdf))
    assert not CJK.search(text)
    assert "Huadu, Guangzhou" in text and "广州市花都区" in markdown


@pytest.mark.parametrize(
    "text, english",
    [
        ("Huadu, Guangzhou · 广州市花都区", "Huadu, Guangzhou"),
        ("Place · 中关村 · Beijing", "Place · Beijing"),
        ("simplified form used (廣州→广州).", "simplified form used."),
        ("《京津冀协同发展规划纲要》 (Outline of the Plan)", "(Outline of the Plan)"),
        ("珠江三角洲城市群 (珠三角) / 粤港澳大湾区", ""),
    ],
)
def test_chinese_is_stripped_with_the_separators_it_leaves(text, english):
    assert strip_cjk(text) == english


def test_with_a_cjk_font_the_pdf_renders_chinese_names(atlas):
    fonts = find_fonts()
    if fonts.cjk is None:
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")
    _, _, pdf, _ = make(atlas, "ic:IC048", fonts)
    assert "广州市花都区" in " ".join(pages_text(pdf))


def test_without_any_unicode_font_the_pdf_still_works_in_latin1(atlas):
    _, _, pdf, _ = make(atlas, "province:440000", Fonts())
    text = flat(" ".join(pages_text(pdf)))
    assert "Meeting brief: Guangdong" in text and not CJK.search(text)
    assert "Industrial clusters here: " in text


# ---------------------------------------------------------------- preparing and the page


def test_prepare_reports_each_step_and_offers_every_file(atlas):
    scope = scope_from_key(atlas, "province:440000", PROVINCE_NAMES_EN)
    steps = []
    p = prepare(atlas, scope, DAY, progress=steps.append)
    assert len(steps) >= 3 and p.pdf.startswith(b"%PDF-") and p.png.startswith(b"\x89PNG")
    assert p.stem == file_stem(scope, DAY) and f"({p.stem}.png)" in p.markdown
    assert zipfile.ZipFile(io.BytesIO(p.zip)).namelist() == [
        f"{p.stem}.md",
        f"{p.stem}.png",
    ]


def run_page(**params):
    return run_page_at(PAGE, **params)


def test_page_prepares_the_brief_with_downloads(atlas):
    at = run_page(scope="province:440000")
    assert at.title[0].value == "Meeting brief"
    at.button(key="brief_prepare").click().run()
    assert not at.exception, at.exception
    assert "Meeting brief: Guangdong" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Industrial clusters (2010 list)"] == str(len(in_province(atlas.clusters, "440000")))
    assert {b.label for b in at.get("download_button")} == {
        "Download PDF",
        "Download Markdown + map (zip)",
        "Download Markdown",
        "Download map (PNG)",
    }
    assert address_of(at) == {"scope": "province:440000"}
    links = [e.proto for e in at.get("page_link") if "on the interactive map" in e.proto.label]
    assert [(link.page, link.query_string) for link in links] == [("", "province=440000&nav=1")]  # the explorer


def test_page_handles_an_empty_scope(atlas):
    at = run_page(scope=f"province:{empty_provinces(atlas)[0]}")
    at.button(key="brief_prepare").click().run()
    assert not at.exception
    assert any("no top-100 industrial cluster" in md_plain(m.value) for m in at.markdown)


def address_of(at) -> dict:
    return {k: (v if isinstance(v, str) else v[-1]) for k, v in ((k, at.query_params[k]) for k in at.query_params)}


@pytest.mark.parametrize("bad", ["xyz", "ic:<b>nope</b>", "province:999999", "province:440000" * 40])
def test_an_unknown_scope_is_named_and_no_other_place_is_picked(bad):
    at = run_page(scope=bad)
    notices = [i.value for i in at.info if "page address" in i.value]
    assert len(notices) == 1
    assert notices[0].startswith("Ignored in the page address: ")
    assert "(no such province, city cluster, sector, cluster or zone)" in notices[0] or "overlong" in notices[0]
    assert "<b>" not in notices[0]
    assert at.radio(key="brief_kind").value == "province"  # the page's default ...
    assert at.selectbox(key="brief_scope_province").value is None  # ... asking, not guessing a province
    assert not [b for b in at.button if b.key == "brief_prepare"]
    assert address_of(at) == {}


def test_without_a_scope_the_page_asks_for_one():
    at = run_page()
    assert not [i for i in at.info if "page address" in i.value]
    assert at.selectbox(key="brief_scope_province").value is None
    assert any(i.value.startswith("Choose what the meeting is about") for i in at.info)
    assert address_of(at) == {}


def test_every_scope_address_reads_back_as_that_scope(atlas):
    options = scope_options(atlas, PROVINCE_NAMES_EN)
    spec = [scope_param(options)]
    for group in options.values():
        for scope in group:
            assert parse(address(scope), spec) == ({"scope": scope.key}, [])
    assert address(None) == {}


def test_a_chosen_scope_is_written_and_a_new_session_opens_on_it():
    at = run_page(scope="xyz")
    at.radio(key="brief_kind").set_value("ic").run()
    at.selectbox(key="brief_scope_ic").set_value("ic:IC048").run()
    assert not at.exception and address_of(at) == {"scope": "ic:IC048"}
    assert not [i for i in at.info if "page address" in i.value]  # the user chose: the notice is gone
    again = run_page(**address_of(at))
    assert again.radio(key="brief_kind").value == "ic"
    assert again.selectbox(key="brief_scope_ic").value == "ic:IC048"
    assert again.button(key="brief_prepare").label.startswith("Prepare the brief on")
    assert address_of(again) == {"scope": "ic:IC048"}


def test_a_cluster_brief_lists_what_lies_within_150_km(atlas):
    brief, *_ = make(atlas, "ic:IC048")
    own = atlas.clusters.set_index("id").loc["IC048"]
    near = [
        r["name_en"]
        for r in atlas.clusters.to_dict("records")
        if haversine_km(own["lat"], own["lon"], r["lat"], r["lon"]) <= 150
    ]
    section = next(s for s in brief.sections if s.title.startswith("Industrial clusters"))
    assert section.title == f"Industrial clusters within 150 km: {len(near)} of {len(atlas.clusters)} (2010 list)"
    full = next((s for s in brief.annex if s.title.startswith("Industrial clusters within 150 km, in full")), section)
    assert sorted(i.text.split(" — ", 1)[1] for i in full.items) == sorted(near)
    assert any(p.ring for p in brief.map.points)  # the cluster itself is ringed on the map
    events = next(s for s in brief.sections if s.title.startswith("EU-China events"))
    if brief.counts["events_here"] == 0:
        assert events.items[0].text == "No EU-China event recorded within 150 km."


# ---------------------------------------------------------------- the year of every figure

AS_OF_WORDS = re.compile(
    r"\b(?:19|20)\d{2}\b|list|briefings?|factsheet|Discussion Paper|country page|Five-Year Plan", re.I
)
COUNTED_TITLE = re.compile(r": \d[\d,]*(?: of \d+)?(?: \((?P<label>[^()]+)\))?$")


def labelled(text: str) -> bool:
    """True if the text ends with a bracketed year or document date, as atlas/figures.py prints it."""
    m = re.search(r"\(([^()]+)\)$", text)
    return bool(m and AS_OF_WORDS.search(m.group(1)))


@pytest.mark.parametrize("key", [*ONE_OF_EACH_KIND, "sector:automotive"])
def test_every_count_and_key_figure_in_the_pdf_says_its_year(atlas, key):
    """Section counts, key facts that are counts and the national key figures each carry their year
    (or the date of the documents they come from), and the PDF prints them so."""
    brief, _, pdf, _ = make(atlas, key)
    text = squeeze(" ".join(pages_text(pdf)))
    counted = [s.title for s in brief.sections + brief.annex if COUNTED_TITLE.search(s.title)]
    assert counted
    for title in counted:
        assert COUNTED_TITLE.search(title)["label"] and labelled(title), title
        assert squeeze(title) in text, title
    figures = [s for s in brief.sections + brief.annex if s.title.startswith(("Key facts", "Key figures"))]
    for section in figures:
        for item in section.items:
            if re.match(r"\d", item.detail) or section.title.startswith("Key figures"):
                assert AS_OF_WORDS.search(item.detail), (item.text, item.detail)
                sep = ":" if section.facts else " —"  # "Label: value" or "what — detail"
                assert squeeze(f"{item.text}{sep} {item.detail}") in text, item.text
    assert not re.search(r"of100(?!\(2010list\))", text)  # every "n of 100" is of the 2010 list
    marked = re.sub(r"\(([^()]*)\)", lambda m: "(YEAR)" if AS_OF_WORDS.search(m.group(1)) else "()", brief.summary)
    for chunk in re.split(r"(?<![\w–-])(?=\d[\d,]* )", marked)[1:]:  # from each count in the summary to the next
        assert re.match(r"\d+ km", chunk) or "(YEAR)" in chunk, (chunk, brief.summary)


def test_where_the_briefings_differ_the_brief_gives_both_figures_with_their_years(atlas):
    brief, _, pdf, _ = make(atlas, "sector:automotive")
    text = squeeze(" ".join(pages_text(pdf)))
    sf = atlas.sector_figures.set_index("id")
    shown = next(s for s in brief.sections if s.title == "Key figures in China")
    pairs = [i for i in shown.items if "; earlier briefing: " in i.detail]
    assert pairs, "the automotive figures include one the two briefings print differently"
    for item in pairs:
        metric = item.text.split(": ", 1)[1]
        rows = sf[(sf["metric"] == metric) & (sf["priority_sector"] == "automotive")]
        assert len(rows) == 2
        for r in rows.to_dict("records"):
            assert squeeze(f"{r['value_text']} ({r['as_of']})") in text, metric


def test_the_brief_counts_events_as_atlas_counts_does(atlas):
    """A mission with several stops is one event, in the count, the title and the page's metric."""
    from atlas.counts import event_count

    brief, *_ = make(atlas, "sector:automotive")
    events = gather(atlas, brief.scope).events_here
    assert event_count(events) < len(events)  # the MobiGoIn mission has three stops
    assert brief.counts["events_here"] == event_count(events)
    section = next(s for s in brief.sections if s.title.startswith("EU-China events"))
    assert section.title.startswith(f"EU-China events and missions in this sector: {event_count(events)} (")
    assert brief.as_of["events_here"] and all(brief.as_of[k] for k in ("clusters", "zones", "own_policies"))


def test_the_page_metrics_say_their_year(atlas):
    at = run_page(scope="province:440000")
    at.button(key="brief_prepare").click().run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert len(labels) == 4 and all(labelled(label) for label in labels), labels
    assert "Industrial clusters (2010 list)" in labels


# ---------------------------------------------------------------- one count per thing

# How the brief's running text states each of its counts (``Brief.counts``): every number found in
# one of these places must be that count.
STATED = {
    "clusters": [
        r"(\d+) of the top-100 industrial clusters",
        r"(\d+) top-100 industrial clusters?\b",
        r"Industrial clusters [\w ]+?: (\d+) of",
    ],
    "zones": [r"(\d+) zones? (?:and|or) parks?", r"Zones and parks [\w ]+?: (\d+)"],
    "city_clusters": [r"(\d+) city clusters?\b", r"City clusters: (\d+)"],
    "own_policies": [
        r"(\d+) polic(?:y|ies) of its own",
        r"(\d+) national polic(?:y|ies) for it\b",
        r"(\d+) polic(?:y applies|ies apply) to its place",
        r"Policies of this place(?:, in full)?: (\d+)",
        r"National policies for this sector(?:, in full)?: (\d+)",
    ],
    "national_policies": [r"(\d+) national polic(?:y applies|ies apply)", r"National policies that apply: (\d+)"],
    "national_sector": [r"(\d+) for the sectors here"],
    "national_frameworks": [r"(\d+) frameworks for every region"],
    "events_here": [
        r"(\d+) EU-China events? (?:held|in this sector|were held|was held)",
        r"EU-China events (?:held [\w ]+?|and missions in this sector)(?:, in full)?: (\d+)",
    ],
    "organisations_here": [r"Organisations (?:here|in this sector|within \d+ km)(?:, in full)?: (\d+)"],
    "events_elsewhere": [r"(\d+) EU-China events? elsewhere in the same sectors"],
    "partnerships": [r"(\d+) ESCP-4i partnerships? in the same sectors"],
    "projects": [r"(\d+) EU-China research and innovation projects? in the same sectors"],
    "organisations_elsewhere": [r"(\d+) organisations? elsewhere in the same sectors"],
}


def stated_counts(text: str) -> list[tuple[str, int]]:
    return [
        (key, int(n))
        for key, patterns in STATED.items()
        for pattern in patterns
        for n in re.findall(pattern, text, re.I)
    ]


@pytest.mark.parametrize("key", [*ONE_OF_EACH_KIND, "cc:cc_yrd", "sector:automotive", "province:330000"])
def test_every_count_the_brief_states_is_the_same_everywhere(atlas, key):
    """A count is worked out once: the summary, the body's section titles and "in short" lines,
    the annex's full lists and the page's metrics state the same number, and a counted section's
    lines add up to it (in the body with its "… and n more", in the annex one line per record).
    The regression: "38 national policies apply" in the body, 54 in the annex."""
    brief, _, pdf, markdown = make(atlas, key)
    counts = brief.counts
    for section in brief.sections + brief.annex:
        if section.count:
            assert sum(i.entries for i in section.items) == counts[section.count], section.title
            assert re.search(rf": {counts[section.count]}\b", section.title), section.title
    full_lists = [s for s in brief.annex if s.count]
    assert full_lists and all(
        len(s.items) == counts[s.count] or s.count in ("events_here", "organisations_here") for s in full_lists
    )
    body_text = md_plain(markdown).split("## Sources")[0]
    pdf_text = flat(" ".join(pages_text(pdf))).split("Sources Numbers in brackets")[0]
    for text in (body_text, pdf_text):
        found = stated_counts(text)
        assert {k for k, _ in found} >= {"clusters", "zones", "own_policies", "events_here"}, found
        wrong = [(k, n, counts[k]) for k, n in found if n != counts[k]]
        assert not wrong, wrong
    assert counts["national_policies"] == counts["national_sector"] + counts["national_frameworks"]


def test_stated_counts_catch_a_count_that_differs():
    """The check above can fail: a body saying 38 where the annex says 54 is caught."""
    found = stated_counts(
        "38 national policies apply (2019 briefing) … National policies that apply: 54 (2019 briefing)"
    )
    assert found == [("national_policies", 38), ("national_policies", 54)]


def test_a_brief_on_a_cluster_whose_map_has_a_degenerate_outline_is_drawn(atlas):
    """IC036's map box cuts a province outline GEOS's fast clip fails on; the brief is drawn."""
    brief, png, pdf, _ = make(atlas, "ic:IC036", with_annex=False)
    assert png.startswith(b"\x89PNG") and pdf.startswith(b"%PDF-")


def test_the_annex_is_added_only_when_asked_for():
    """Off by default: the brief is the two-page body; ticked, the preview shows the annex too."""
    at = run_page(scope="cc:cc_prd")
    assert at.checkbox(key="brief_annex").value is False
    at.button(key="brief_prepare").click().run()
    assert not at.exception, at.exception
    previews = " ".join(m.value for m in at.markdown)
    assert "Meeting brief: Pearl River Delta" in md_plain(previews) and ANNEX not in md_plain(previews)
    at.checkbox(key="brief_annex").check().run()
    at.button(key="brief_prepare").click().run()
    assert not at.exception, at.exception
    assert ANNEX in md_plain(" ".join(m.value for m in at.markdown))
