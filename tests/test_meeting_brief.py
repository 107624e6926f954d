"""Meeting brief: content per scope, the PDF (read back without fpdf2), the Markdown, the map,
Chinese names with and without a CJK font, empty scopes, and the page under AppTest."""

import io
import re
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from conftest import run_page as run_page_at

from atlas.brief import build_brief, file_stem, load_talking_points, pick_talking_points, scope_from_key
from atlas.drilldown import split
from atlas.paths import SEED_FILES
from components.brief_views import Fonts, brief_markdown, brief_pdf, find_fonts, prepare, strip_cjk
from atlas.provinces import PROVINCE_NAMES_EN
from geo.static_map import HIGHLIGHT, Projection, marker_radius, render_png

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "7_Meeting_brief.py")
DAY = date(2025, 11, 23)
MAP_SIZE = (600, 360)  # small maps keep the tests fast; the page draws 1500 x 900
CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


# ---------------------------------------------------------------- reading a PDF without a PDF library

def _objects(data: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _stream(body: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    return m.group(1) if m else b""


def _unescape(s: bytes) -> bytes:
    out, i = bytearray(), 0
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(s):
        c = s[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = s[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", s[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += simple.get(nxt, nxt)
            i += 2
    return bytes(out)


def _cmap(text: bytes) -> dict[int, str]:
    """ToUnicode CMap: bfchar pairs and bfrange runs -> {glyph code: text}."""
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(int(dst, 16) + k)
    return out


def pdf_text(data: bytes) -> str:
    """The text of an uncompressed PDF, one line per text object, decoded via each font's ToUnicode."""
    objs = _objects(data)
    fonts: dict[bytes, dict | None] = {}
    for body in objs.values():
        for block in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, num in re.findall(rb"/(\w+)\s+(\d+) 0 R", block):
                to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objs[int(num)])
                fonts[name] = _cmap(_stream(objs[int(to_unicode.group(1))])) if to_unicode else None
    lines, font = [], None
    token = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:\\.|[^\\\]])*)\]\s*TJ|\bET\b", re.S)
    for n in sorted(objs):
        contents = re.search(rb"/Contents (\d+) 0 R", objs[n])
        if not contents or b"/Type /Page" not in objs[n]:
            continue
        current = []
        for m in token.finditer(_stream(objs[int(contents.group(1))])):
            if m.group(1):
                font = fonts.get(m.group(1))
                continue
            if m.group(0) == b"ET":
                if current:
                    lines.append("".join(current))
                current = []
                continue
            raw = m.group(2) if m.group(2) is not None else b"".join(
                re.findall(rb"\(((?:\\.|[^\\)])*)\)", m.group(3)))
            raw = _unescape(raw)
            if font is None:
                current.append(raw.decode("latin-1"))
            else:
                current.append("".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "")
                                       for i in range(0, len(raw) - 1, 2)))
    return "\n".join(lines)


def flat(text: str) -> str:
    return " ".join(text.split())


def md_plain(markdown: str) -> str:
    """Markdown with its escaping removed, as a reader sees it."""
    return flat(re.sub(r"\\(.)", r"\1", markdown))


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


# ---------------------------------------------------------------- fixtures

def make(atlas, key: str, fonts: Fonts | None = None):
    scope = scope_from_key(atlas, key, PROVINCE_NAMES_EN)
    brief = build_brief(atlas, scope, DAY, load_talking_points())
    png = render_png(brief.map, *MAP_SIZE)
    pdf = brief_pdf(brief, png, fonts=fonts, compress=False)
    return brief, png, pdf, brief_markdown(brief, png)


@pytest.fixture(scope="module")
def guangdong(atlas):
    return make(atlas, "province:440000")


def in_province(df, code):
    return df[df["adcode"].astype(str).str[:2] == code[:2]]


# ---------------------------------------------------------------- talking points

def test_talking_points_file_is_valid_and_cites_opportunity_sections(atlas, seeds_dir):
    tp = load_talking_points()
    assert list(tp.columns) == ["id", "priority_sector", "sectors", "text", "source"]
    assert tp["id"].is_unique and tp["id"].str.match(r"^tp_[a-z0-9_]+$").all()
    assert set(tp["priority_sector"]) - {""} <= set(atlas.taxonomy.priority.index)
    assert {s for cell in tp["sectors"] for s in split(cell)} <= set(atlas.taxonomy.order)
    assert (tp["text"].str.len() > 40).all()
    for source in tp["source"]:
        seed, _, section = source.partition(" §")
        assert seed in SEED_FILES and section, source
        number = section.split()[0]
        text = (seeds_dir / seed).read_text(encoding="utf-8")
        assert re.search(rf"(?m)^\s*{re.escape(number)}\.?\s", text), f"no section {number} in {seed}"
    assert tp["source"].str.startswith("004_ebf33d624ac2b557.txt §4").any()
    assert tp["source"].str.startswith("000_84dd9b47cfbecbda.txt §2.2").any()
    for p in atlas.taxonomy.priority.index:  # each of the four priority sectors has its own points
        assert (tp["priority_sector"] == p).sum() >= 2, p


def test_talking_points_put_the_scope_sectors_first():
    tp = load_talking_points()
    picked = pick_talking_points(tp, ["automotive"], ["automotive"])
    assert (picked["priority_sector"].head(3) == "automotive").all()
    assert len(picked) <= 7 and picked["id"].is_unique


# ---------------------------------------------------------------- the brief's content

def test_province_brief_pdf_names_the_scope_and_counts_its_clusters(atlas, guangdong):
    brief, _, pdf, _ = guangdong
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = flat(pdf_text(pdf))
    expected = in_province(atlas.clusters, "440000")
    assert 0 < len(expected) < len(atlas.clusters)
    assert "Meeting brief: Guangdong" in text
    assert f"Industrial clusters ({len(expected)})" in text
    assert f"{len(expected)} of {len(atlas.clusters)}" in text
    for name in expected["name_en"]:
        assert flat(name) in text, name
    zones = in_province(atlas.zones, "440000")
    assert f"Zones and parks ({len(zones)})" in text
    assert page_count(pdf) > 1


def test_pdf_embeds_the_map_image(guangdong):
    brief, png, pdf, _ = guangdong
    assert re.search(rb"/Subtype /Image", pdf)
    width, height = Image.open(io.BytesIO(png)).size
    assert re.search(rb"/Width %d\s" % width, pdf) and re.search(rb"/Height %d\s" % height, pdf)
    assert b"/Alt (Map of Guangdong)" in pdf


def test_markdown_holds_the_same_facts_as_the_pdf(atlas, guangdong):
    brief, _, pdf, markdown = guangdong
    text, plain = flat(pdf_text(pdf)), md_plain(markdown)
    assert plain.startswith("# Meeting brief: Guangdong")
    assert "data:image/png;base64," in markdown
    for section in brief.sections:
        assert flat(section.title) in plain and flat(section.title) in text
    for name in in_province(atlas.clusters, "440000")["name_en"]:
        assert flat(name) in plain
    assert "广东省" in markdown  # Chinese kept in the Markdown
    for n, source in enumerate(brief.sources, 1):
        assert f"{n}. {flat(source)}" in plain


def test_citations_are_numbered_once_and_all_used(guangdong):
    brief, _, _, markdown = guangdong
    assert len(brief.sources) == len(set(brief.sources)) > 5
    body = markdown.split("## Sources")[0]
    cited = {int(n) for group in re.findall(r"\[([\d, ]+)\]", body) for n in group.split(",")}
    assert cited == set(range(1, len(brief.sources) + 1))
    assert any(s.startswith(SEED_FILES["001_9852d4d85712b810.txt"]) for s in brief.sources)


def test_policies_and_cooperation_match_the_drilldown(atlas):
    from atlas.drilldown import detail

    brief, *_ = make(atlas, "ic:IC048")
    d = detail(atlas, "ic:IC048")
    titles = [s.title for s in brief.sections]
    assert f"Policies that apply ({len(d['policies'])})" in titles
    assert f"EU-China events and missions ({len(d['cooperation']['events'])})" in titles
    policy = next(s for s in brief.sections if s.title.startswith("Policies"))
    guangzhou = next(i for i in policy.items if i.text == "Guangzhou Automobile Industry 2025 Strategic Plan")
    assert "2018–2025" in guangzhou.detail and "Responsible:" in guangzhou.detail
    assert any(p.ring for p in brief.map.points)  # the cluster itself is ringed on the map


@pytest.mark.parametrize("key", ["sector:textiles", "cc:cc_yrd"])
def test_sector_and_city_cluster_briefs_count_their_clusters(atlas, key):
    brief, _, pdf, _ = make(atlas, key)
    kind, ident = key.split(":")
    c = atlas.clusters
    expected = (c["sector"] == ident) if kind == "sector" else c["city_cluster"].map(lambda v: ident in split(v))
    assert brief.counts["clusters"] == int(expected.sum()) > 0
    assert f"Industrial clusters ({int(expected.sum())})" in flat(pdf_text(pdf))


def empty_provinces(atlas) -> list[str]:
    """Provinces where the data place nothing: no cluster, zone, event or city-cluster member."""
    return [code for code in PROVINCE_NAMES_EN
            if all(in_province(df, code).empty for df in (atlas.clusters, atlas.zones, atlas.events,
                                                          atlas.city_cluster_members))]


def test_empty_province_gives_a_short_brief_that_says_so(atlas):
    empty = empty_provinces(atlas)
    assert empty, "expected at least one province with nothing in the documents"
    brief, _, pdf, markdown = make(atlas, f"province:{empty[0]}")
    name = PROVINCE_NAMES_EN[empty[0]]
    text = flat(pdf_text(pdf))
    assert brief.empty and brief.sections == []
    assert page_count(pdf) == 1
    assert f"Meeting brief: {name}" in text and "no top-100 industrial cluster" in text
    assert "Industrial clusters (" not in text
    assert "no top-100 industrial cluster" in md_plain(markdown)


def test_province_with_zones_but_no_clusters_says_there_are_none(atlas):
    code = next(c for c in PROVINCE_NAMES_EN
                if in_province(atlas.clusters, c).empty and not in_province(atlas.zones, c).empty)
    brief, *_ = make(atlas, f"province:{code}")
    section = next(s for s in brief.sections if s.title.startswith("Industrial clusters"))
    assert section.title == "Industrial clusters (0)"
    assert section.items[0].text.startswith("None recorded in the documents")


def test_file_names_say_scope_and_date(atlas):
    scope = scope_from_key(atlas, "province:440000", PROVINCE_NAMES_EN)
    assert file_stem(scope, DAY) == "meeting-brief_province-guangdong_2025-11-23"
    zone = scope_from_key(atlas, "z:z_zhongguancun", PROVINCE_NAMES_EN)
    assert "zhongguancun" in file_stem(zone, DAY) and file_stem(zone, DAY).endswith("2025-11-23")


# ---------------------------------------------------------------- map

def _near(pixels: np.ndarray, colour: str, tol: int = 40) -> np.ndarray:
    """Which pixels (…, 3) are within ``tol`` (sum of channel differences) of a palette colour."""
    rgb = np.array([int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)])
    return np.abs(pixels.astype(int) - rgb).sum(axis=-1) <= tol


def test_map_draws_every_cluster_in_its_sector_colour_and_outlines_the_scope(atlas, guangdong):
    brief, png, _, _ = guangdong
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    proj = Projection(brief.map.bbox, img.shape[1], img.shape[0])
    clusters = in_province(atlas.clusters, "440000")
    circles = sorted(p.colour for p in brief.map.points if p.shape == "circle")
    assert circles == sorted(atlas.taxonomy.colour(s) for s in clusters["sector"])
    reach = int(3.5 * marker_radius(img.shape[1], img.shape[0]))  # co-located markers are fanned out
    for r in clusters.to_dict("records"):
        x, y = map(int, proj(r["lon"], r["lat"]))
        colour = atlas.taxonomy.colour(r["sector"])
        assert _near(img[y - reach:y + reach, x - reach:x + reach], colour).any(), (r["id"], colour)
    assert _near(img, HIGHLIGHT, 20).sum() > 200  # the province outline


# ---------------------------------------------------------------- Chinese names and fonts

def test_without_a_cjk_font_the_pdf_leaves_chinese_out_and_markdown_keeps_it(atlas):
    fonts = find_fonts()
    if fonts.regular is None:
        pytest.skip("no Unicode text font on this machine (Debian: fonts-dejavu-core)")
    brief, _, pdf, markdown = make(atlas, "ic:IC048", Fonts(fonts.regular, fonts.bold, None))
    text = pdf_text(pdf)
    assert not CJK.search(text)
    assert "Huadu, Guangzhou" in text and "广州市花都区" in markdown
    assert b"WenQuanYi" not in pdf and b"NotoSansCJK" not in pdf


@pytest.mark.parametrize("text, english", [
    ("Huadu, Guangzhou · 广州市花都区", "Huadu, Guangzhou"),
    ("Place · 中关村 · Beijing", "Place · Beijing"),
    ("simplified form used (廣州→广州).", "simplified form used."),
    ("《京津冀协同发展规划纲要》 (Outline of the Plan)", "(Outline of the Plan)"),
    ("珠江三角洲城市群 (珠三角) / 粤港澳大湾区", ""),
])
def test_chinese_is_stripped_with_the_separators_it_leaves(text, english):
    assert strip_cjk(text) == english


def test_with_a_cjk_font_the_pdf_renders_chinese_names(atlas):
    fonts = find_fonts()
    if fonts.cjk is None:
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")
    _, _, pdf, _ = make(atlas, "ic:IC048", fonts)
    assert "广州市花都区" in pdf_text(pdf)


def test_without_any_unicode_font_the_pdf_still_works_in_latin1(atlas):
    _, _, pdf, _ = make(atlas, "province:440000", Fonts())
    text = flat(pdf_text(pdf))
    assert "Meeting brief: Guangdong" in text and not CJK.search(text)
    assert "Industrial clusters (" in text


# ---------------------------------------------------------------- speed and the page

def test_a_brief_is_ready_in_a_couple_of_seconds(atlas):
    scope = scope_from_key(atlas, "province:440000", PROVINCE_NAMES_EN)
    prepare(atlas, scope_from_key(atlas, "province:330000", PROVINCE_NAMES_EN), DAY)  # warm caches and fonts
    steps = []
    start = time.perf_counter()
    result = prepare(atlas, scope, DAY, progress=steps.append)
    assert time.perf_counter() - start < 4.0
    assert len(steps) >= 3 and result.pdf.startswith(b"%PDF-") and result.markdown.startswith("# Meeting brief")


def run_page(**params) -> AppTest:
    return run_page_at(PAGE, **params)


def test_page_prepares_the_brief_with_downloads(atlas):
    at = run_page(scope="province:440000")
    assert at.title[0].value == "Meeting brief"
    at.button(key="brief_prepare").click().run()
    assert not at.exception, at.exception
    assert "Meeting brief: Guangdong" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Industrial clusters"] == str(len(in_province(atlas.clusters, "440000")))
    assert {b.label for b in at.get("download_button")} == {"Download PDF", "Download Markdown"}
    assert at.query_params["scope"] in ("province:440000", ["province:440000"])
    assert any("on the interactive map" in m.value and "province=440000" in m.value for m in at.markdown)


def test_page_handles_an_empty_scope_and_an_unknown_one(atlas):
    at = run_page(scope=f"province:{empty_provinces(atlas)[0]}")
    at.button(key="brief_prepare").click().run()
    assert not at.exception
    assert any("no top-100 industrial cluster" in md_plain(m.value) for m in at.markdown)
    at = run_page(scope="ic:<b>nope</b>")
    assert at.button(key="brief_prepare").label.startswith("Prepare the brief on")
