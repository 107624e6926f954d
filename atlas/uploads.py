"""Read a person's own list of places (an uploaded CSV or pasted rows) and place each row on the map.

A row needs a name and either lat/lon or a Chinese city or county, in pinyin ("Huadu", "Guangzhou")
or characters ("花都区", "广州"), matched against data/geo/division_seats.csv. Every problem is
reported with its row number and the good rows are kept. Nothing here touches the disk: bytes come
in, plain records go out, and the page keeps them only for the session.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
from dataclasses import dataclass, field

import charset_normalizer
from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz import fuzz, process

from atlas.cache import memoised
from atlas.normalise import latin  # the one normaliser of every search index
from atlas.place_names import place_pinyin
from geo.distance import haversine_km

MAX_BYTES = 1_000_000  # "1 MB"
MAX_ROWS = 500
MAX_NAME = 120
FAR_KM = 100  # coordinates this far from the named place get a warning
COLUMNS = {
    "name": {
        "name",
        "title",
        "label",
        "organisation",
        "organization",
        "company",
        "partner",
        "名称",
        "名字",
        "单位",
        "名稱",
        "單位",
    },
    "place": {
        "place",
        "city",
        "county",
        "district",
        "location",
        "town",
        "city or county",
        "city/county",
        "地点",
        "城市",
        "区县",
        "地区",
        "所在地",
        "地點",
        "區縣",
        "地區",
    },
    "lat": {"lat", "latitude", "纬度", "緯度"},
    "lon": {"lon", "lng", "long", "longitude", "经度", "經度"},
    "note": {"note", "notes", "comment", "comments", "description", "备注", "说明", "備註", "說明"},
}
LEVEL_WORDS = {
    "city": "市",
    "shi": "市",
    "district": "区",
    "qu": "区",
    "county": "县",
    "xian": "县",
    "province": "省",
    "sheng": "省",
}
# English names that are not the pinyin (Shaanxi spells 陕西 apart from 山西; Harbin is Ha'erbin).
EXONYMS = {
    "innermongolia": "内蒙古自治区",
    "tibet": "西藏自治区",
    "hongkong": "香港特别行政区",
    "macao": "澳门特别行政区",
    "macau": "澳门特别行政区",
    "shaanxi": "陕西省",
    "shanxi": "山西省",
    "harbin": "哈尔滨市",
    "urumqi": "乌鲁木齐市",
    "hohhot": "呼和浩特市",
    "lhasa": "拉萨市",
}
HAN = re.compile(r"[\u4e00-\u9fff]")
AUTONOMOUS = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?族|维吾尔|柯尔克孜|蒙古)*自治(?:县|州|旗|区)$|特别行政区$")
SUFFIX = re.compile(r"(?:地区|林区|新区|市|区|县|旗|盟|省)$")
LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}
ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251 (Cyrillic)",
    "utf_16": "UTF-16",
    "shift_jis": "Shift JIS",
    "cp932": "Shift JIS (Windows)",
    "euc_kr": "EUC-KR",
    "cp949": "Korean (cp949)",
}
LATIN_SINGLE_BYTE = {
    "cp1250",
    "cp1252",
    "cp1254",
    "cp1257",
    "latin_1",
    "iso8859_2",
    "iso8859_3",
    "iso8859_4",
    "iso8859_9",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "iso8859_15",
    "iso8859_16",
    "mac_roman",
    "mac_latin2",
    "mac_iceland",
    "mac_turkish",
    "cp437",
    "cp775",
    "cp850",
    "cp852",
    "cp858",
    "cp1006",
    "hp_roman8",
}
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx / .ods (zip), .xls (OLE)


@dataclass(frozen=True)
class Issue:
    row: int | None  # as in a spreadsheet (the header is row 1); None: the whole file
    message: str
    level: str = "error"  # error: row left out · warning: row kept · info: how the file was read


@dataclass(frozen=True)
class Place:
    row: int
    name: str
    lat: float
    lon: float
    place: str  # what was typed as the place
    located: str  # how the point was found
    adcode: str = ""
    note: str = ""


@dataclass
class Upload:
    places: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    encoding: str | None = None
    rows: int = 0  # data rows read (blank rows skipped)
    refused: bool = False

    @property
    def errors(self) -> list:
        return [i for i in self.issues if i.level == "error"]


def _refuse(message: str, encoding: str | None = None) -> Upload:
    return Upload(issues=[Issue(None, message)], encoding=encoding, refused=True)


# --- bytes to rows ----------------------------------------------------------------------------


def _mostly_common_hanzi(text: str, codec: str, leads: range | None = None) -> bool:
    """Text decoded as Chinese is meant as Chinese when its characters are common ones (in GB2312,
    or Big5's frequent range): Latin-1 bytes read as GB18030 make rare characters (Zürich -> Z黵ich)."""
    han = HAN.findall(text)
    if not han:
        return False
    common = 0
    for c in han:
        try:
            code = c.encode(codec)
        except UnicodeEncodeError:
            continue
        common += leads is None or code[0] in leads
    return common >= 0.95 * len(han)


def _label(encoding: str) -> str:
    return ENCODING_LABELS.get(encoding, encoding.replace("_", "-").upper())


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text and the encoding that read it, or (None, None). UTF-8 (with or without BOM) and UTF-16
    with BOM first; then Chinese (GB18030, Big5) when it reads as common characters; then what
    charset-normalizer detects, taking Windows-1252 when it finds a Latin single-byte code page
    (short texts do not tell cp1250 from cp1252, and Western European spreadsheets write cp1252)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), _label(codec)
            except UnicodeDecodeError:
                return None, None
    if b"\x00" in data:
        return None, None  # UTF-16 without a BOM, or a binary file
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    for codec, leads in (("gb18030", None), ("big5", range(0xA4, 0xC7))):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _mostly_common_hanzi(text, "gb2312" if codec == "gb18030" else codec, leads):
            return text, _label(codec)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, None
    if best.encoding in LATIN_SINGLE_BYTE:
        try:
            return data.decode("cp1252"), _label("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best), _label(best.encoding)


def read_upload(data: bytes) -> Upload:
    """An uploaded file: size and encoding first, then the rows."""
    if len(data) > MAX_BYTES:
        return _refuse(
            f"The file is {len(data) / 1e6:,.1f} MB; the limit is {MAX_BYTES / 1e6:,.0f} MB. "
            f"Split it into smaller files (up to {MAX_ROWS:,} rows each)."
        )
    if data.startswith(SPREADSHEET_MAGIC):
        return _refuse(
            "This is a spreadsheet file (Excel or LibreOffice), not CSV text. In your spreadsheet "
            "program, save it as “CSV UTF-8” and upload that."
        )
    text, encoding = decode(data)
    if text is None:
        return _refuse(
            "Could not read the file as text in any known encoding (UTF-8, UTF-16, GB18030, Big5, "
            "Windows-1252 …). Save it as “CSV UTF-8” and try again."
        )
    upload = read_text(text)
    upload.encoding = encoding
    note = (
        "" if encoding.startswith("UTF") else " If names look wrong, save the file as “CSV UTF-8” and upload it again."
    )
    upload.issues.insert(0, Issue(None, f"Read as {encoding} text.{note}", "info"))
    return upload


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header(cells: list[str]) -> dict[str, int]:
    """Column positions if this row is a header: two or more known column names, or one and the
    other cells look like labels rather than data (no number, no place): "company_name,city" is a
    header, "Partner,Huadu" is data."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = cell.strip().strip("\ufeff").strip().lower()
        for col, aliases in COLUMNS.items():
            if key in aliases and col not in found:
                found[col] = i
    if len(found) >= 2 or (found and len([c for c in cells if c]) == 1):
        return found
    others = [c for i, c in enumerate(cells) if c and i not in found.values()]
    if found and all(_number(c) is None and resolve(c).status == "unknown" for c in others):
        return found
    return {}


def unclosed_quote(text: str) -> int | None:
    """The row (1-based, as a spreadsheet counts lines) where a quoted cell opens and never closes."""
    inside, opened = False, None
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        for _ in range(line.count('"')):
            inside = not inside
            if inside:
                opened = n
    return opened if inside else None


def _number(text: str) -> float | None:
    text = text.strip().rstrip("°")
    if re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")  # decimal comma (semicolon-separated files)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_text(text: str) -> Upload:
    """Pasted or decoded text: a header row (name, place and/or lat, lon) or plain rows."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return _refuse(f"The text is longer than {MAX_BYTES / 1e6:,.0f} MB. Paste fewer rows (up to {MAX_ROWS:,}).")
    text = text.lstrip("\ufeff")
    first = next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")
    issues: list[Issue] = []
    opened = unclosed_quote(text)
    if opened is not None:  # read the rows before it; the swallowed rows are reported, not guessed at
        lines = re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text)
        issues.append(
            Issue(
                opened,
                f'A quote (") opens a cell on this row and is never closed, so this row and '
                f"the {sum(1 for line in lines[opened:] if line.strip())} line(s) after it were read as one cell and "
                "left out. Close the quote (or remove it) and upload again.",
            )
        )
        text = "".join(lines[: opened - 1])
    try:  # newline="": old Mac (CR) line ends and a CR inside a quoted cell read as the csv module means
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first)))
    except csv.Error as exc:
        return _refuse(f"Could not read the rows as CSV ({exc}). Check the quotes in the file.")
    numbered = [(i, [c.strip() for c in r]) for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered and issues:
        return Upload([], issues, rows=0)
    if not numbered:
        return _refuse("There are no rows to read.")
    columns = _header(numbered[0][1])
    if columns:
        body = numbered[1:]
        problem = _missing_columns(columns, numbered[0][1])
        if problem:
            return _refuse(problem)
    else:
        body = numbered
        columns = _guess_columns(numbered[0][1])
        names = ", ".join(sorted(columns, key=columns.get))
        issues.append(Issue(None, f"No header row found: read the columns as {names}.", "info"))
    if len(body) > MAX_ROWS:
        return _refuse(f"There are {len(body):,} rows; the limit is {MAX_ROWS:,}. Split the list into parts.")
    places = []
    for number, cells in body:
        place = _read_row(number, cells, columns, issues)
        if place:
            places.append(place)
    return Upload(places, issues, rows=len(body))


def _missing_columns(columns: dict, header: list[str]) -> str | None:
    if "name" not in columns:
        found = [c[:40] for c in header if c][:12]
        listed = ", ".join(f"“{c}”" for c in found) + (" …" if len([c for c in header if c]) > 12 else "")
        return (
            f"No name column: the first row has the columns {listed}. Name the column of names “name” "
            "(or title, organisation, company, partner), e.g. name,place or name,lat,lon."
        )
    if ("lat" in columns) != ("lon" in columns):
        return "There is a “lat” column without “lon” (or the other way round): give both."
    if "place" not in columns and "lat" not in columns:
        return "No “place” column and no “lat”/“lon” columns: say where each row is, e.g. name,place."
    return None


def _guess_columns(cells: list[str]) -> dict[str, int]:
    if len(cells) >= 3 and _number(cells[1]) is not None and _number(cells[2]) is not None:
        return {"name": 0, "lat": 1, "lon": 2, **({"note": 3} if len(cells) > 3 else {})}
    return {"name": 0, "place": 1, **({"note": 2} if len(cells) > 2 else {})}


# --- one row ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x1f\x7f]", " ", text)).strip()


def _read_row(number: int, cells: list[str], columns: dict, issues: list) -> Place | None:
    def cell(col: str) -> str:
        i = columns.get(col)
        return _clean(cells[i]) if i is not None and i < len(cells) else ""

    name, place_text, note = cell("name"), cell("place"), cell("note")[:200]
    lat_text, lon_text = cell("lat"), cell("lon")
    if not name:
        issues.append(Issue(number, "The name is missing."))
        return None
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME] + "…"
        issues.append(Issue(number, f"The name was shortened to {MAX_NAME} characters.", "warning"))
    if lat_text or lon_text:
        return _from_coordinates(number, name, lat_text, lon_text, place_text, note, issues)
    if not place_text:
        issues.append(Issue(number, f"“{name}” has no place: give a city or county, or lat and lon."))
        return None
    found = resolve(place_text)
    if found.status != "ok":
        issues.append(Issue(number, found.message))
        return None
    seat = found.seats[0]
    if found.message:
        issues.append(Issue(number, found.message, "warning"))
    return Place(
        number,
        name,
        float(seat["lat"]),
        float(seat["lon"]),
        place_text,
        f"seat of {describe(seat)}",
        seat["adcode"],
        note,
    )


def _from_coordinates(number, name, lat_text, lon_text, place_text, note, issues) -> Place | None:
    if not (lat_text and lon_text):
        issues.append(Issue(number, "Latitude and longitude must be given together."))
        return None
    lat, lon = _number(lat_text), _number(lon_text)
    bad = [
        f"{label} “{text}”"
        for label, text, v in (("latitude", lat_text, lat), ("longitude", lon_text, lon))
        if v is None
    ]
    if bad:
        issues.append(Issue(number, f"Not a number: {' and '.join(bad)}."))
        return None
    swapped = " Latitude and longitude look swapped." if in_china(lon, lat) else ""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        issues.append(Issue(number, f"({lat}, {lon}) is not a valid latitude, longitude.{swapped}"))
        return None
    if not in_china(lat, lon):
        issues.append(Issue(number, f"The point ({lat}, {lon}) is outside China.{swapped}"))
        return None
    if place_text:
        found = resolve(place_text)
        if found.status == "ok":
            km = haversine_km(lat, lon, float(found.seats[0]["lat"]), float(found.seats[0]["lon"]))
            if km > FAR_KM:
                issues.append(
                    Issue(
                        number,
                        f"The coordinates are {km:,.0f} km from {describe(found.seats[0])}; the coordinates are used.",
                        "warning",
                    )
                )
    return Place(number, name, lat, lon, place_text, "coordinates as given", "", note)


def in_china(lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    from geo.boundaries import china_outline

    return bool(-90 <= lat <= 90 and -180 <= lon <= 180 and china_outline().contains(Point(lon, lat)))


# --- place names ------------------------------------------------------------------------------


def core(name_zh: str) -> str:
    """A division name without its level (广州市 -> 广州, 道真仡佬族苗族自治县 -> 道真); two characters stay."""
    for pattern in (AUTONOMOUS, SUFFIX):
        m = pattern.search(name_zh, 2)
        if m:
            return name_zh[: m.start()]
    return name_zh


def readings(text: str, others: bool = False, limit: int = 8) -> set[str]:
    """Toneless pinyin of Chinese text (ü as v and as u); with ``others``, also the other readings
    of characters that have several (朝阳: zhaoyang and chaoyang)."""
    out = {"".join(lazy_pinyin(text)), place_pinyin(text)}
    if others:
        options = pinyin(text, style=Style.NORMAL, heteronym=True)
        out |= {"".join(c) for c in itertools.islice(itertools.product(*options), limit)}
    return {latin(x) for x in out} | {latin(x).replace("v", "u") for x in out}


@dataclass(frozen=True)
class Resolved:
    status: str  # ok | ambiguous | unknown | no_seat
    seats: tuple = ()
    message: str = ""  # why not, or (for ok) what the reader should check


class PlaceIndex:
    """Division seats by Chinese name, pinyin and pinyin without the level (花都区: 花都, huadu)."""

    def __init__(self, seats):
        records = seats.to_dict("records")
        self.seats = [s for s in records if s["level"] in LEVEL_RANK]
        # A unit renamed since 2020 may lack a seat; its former county (永年县 for 永年区) has one.
        self.former = {
            (core(s["name_zh"]), s["adcode"][:4]): s for s in records if s["level"] == "former_county" and s["lon"]
        }
        self.zh: dict[str, list[int]] = {}
        self.full: dict[str, list[int]] = {}
        self.short: dict[str, list[int]] = {}
        self.other: dict[str, list[int]] = {}  # other readings, tried last
        for i, s in enumerate(self.seats):
            c = core(s["name_zh"])
            for table, keys in (
                (self.zh, {s["name_zh"], c}),
                (self.full, readings(s["name_zh"]) | {latin(s["pinyin"])}),
                (self.short, readings(c)),
                (self.other, readings(c, others=True)),
            ):
                for key in keys:
                    table.setdefault(key, []).append(i)

    def seat_of(self, seat: dict) -> tuple[dict | None, str]:
        """The point for a unit: its own seat, else its former county's (and a note saying so)."""
        if seat["lon"]:
            return seat, ""
        former = self.former.get((core(seat["name_zh"]), seat["adcode"][:4]))
        return (
            (
                former,
                f"placed at the seat of the former {former['name_zh']} ({seat['name_zh']} has no seat "
                "in the division list)",
            )
            if former
            else (None, "")
        )

    def lookup(self, text: str) -> list[dict]:
        """Seats whose name is this text, the most literal reading first."""
        if HAN.search(text):  # traditional characters meet the simplified names through pinyin
            stages = [
                self.zh.get(text, []),
                self.zh.get(core(text), []),
                self._path(text),
                [i for r in readings(text) for i in self.full.get(r, []) + self.short.get(r, [])],
                [i for r in readings(text, others=True) for i in self.other.get(r, [])],
            ]
        else:
            key = latin(text)
            stages = [
                self.zh.get(EXONYMS.get(key, ""), []),
                self.full.get(key, []),
                self.short.get(key, []),
                self.other.get(key, []),
            ]
        for stage in stages:
            if stage:
                return [self.seats[i] for i in dict.fromkeys(stage)]
        return []

    def _path(self, text: str) -> list[int]:
        """广东省广州市花都区, 北京朝阳区: the unit's name after its province and/or prefecture."""
        out = []
        for cut in range(1, len(text) - 1):
            for i in self.zh.get(text[cut:], []):
                s, prefix = self.seats[i], text[:cut]
                heads = {"", s["province_zh"], core(s["province_zh"])}
                tails = {"", s["prefecture_zh"], core(s["prefecture_zh"])}
                if any(prefix == h + t for h in heads for t in tails):
                    out.append(i)
        return out

    def suggest(self, text: str, limit: int = 3) -> list[dict]:
        keys = list(self.zh) if HAN.search(text) else list(self.short)
        target = text if HAN.search(text) else latin(text)
        hits = process.extract(target, keys, scorer=fuzz.ratio, score_cutoff=75, limit=limit)
        table = self.zh if HAN.search(text) else self.short
        return [self.seats[table[h[0]][0]] for h in hits]


@memoised(1)
def place_index() -> PlaceIndex:
    from geo.boundaries import load_seats

    return PlaceIndex(load_seats())


ROMAN = {
    "内蒙古自治区": "Inner Mongolia",
    "西藏自治区": "Tibet",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
    "陕西省": "Shaanxi",
    "山西省": "Shanxi",
}


def romanise(name_zh: str) -> str:
    """A parent's name for people who do not read Chinese: 广东省 -> Guangdong, 陕西省 -> Shaanxi."""
    return ROMAN.get(name_zh) or latin(place_pinyin(core(name_zh))).capitalize()


def describe(seat: dict) -> str:
    """花都区 (Guangzhou, Guangdong): the name and where it is."""
    parents = [p for p in dict.fromkeys((seat["prefecture_zh"], seat["province_zh"])) if p and p != seat["name_zh"]]
    where = ", ".join(romanise(p) for p in parents) or seat["level"]
    return f"{seat['name_zh']} ({where})"


def _narrow(seats: list[dict], qualifier: str, level: str | None) -> list[dict]:
    if qualifier:
        index = place_index()
        parents = {id(s) for s in index.lookup(qualifier)}
        names = {(s["name_zh"]) for s in index.lookup(qualifier)}
        kept = [s for s in seats if s["province_zh"] in names or s["prefecture_zh"] in names or id(s) in parents]
        seats = kept if kept else []
    if level and seats:
        kept = [s for s in seats if s["name_zh"].endswith(level) or (level == "省" and s["level"] == "province")]
        seats = kept or seats
    # The same unit listed at two levels (北京市 as province and prefecture): keep the higher.
    unique: dict[tuple, dict] = {}
    for s in sorted(seats, key=lambda s: LEVEL_RANK[s["level"]]):
        unique.setdefault((s["name_zh"], s["lon"], s["lat"]), s)
    seats = list(unique.values())
    # A city and its own county of the same name (通化市, 通化县): the city is meant.
    cities = [s for s in seats if s["level"] == "prefecture"]
    if len(cities) == 1 and all(s is cities[0] or s["prefecture_zh"] == cities[0]["name_zh"] for s in seats):
        seats = cities
    return seats


def _city_first(seats: list[dict]) -> tuple[dict | None, list[dict]]:
    """One city among same-named counties elsewhere (西安市 and two 西安区): the city, and the others."""
    higher = [s for s in seats if s["level"] != "county"]
    return (higher[0], [s for s in seats if s is not higher[0]]) if len(higher) == 1 else (None, seats)


def resolve(text: str) -> Resolved:
    """A place as typed -> one seat, or why not. "Chaoyang, Beijing" or "Chaoyang (Beijing)" narrows
    by province or city; a trailing "city", "district" or "county" by level."""
    text = _clean(text)[:80]
    m = re.match(r"^(.*?)\s*(?:[,，(（]\s*(.*?)\s*[)）]?)?$", text)
    main, qualifier = (m.group(1), m.group(2) or "") if m else (text, "")
    words = main.split()
    level = LEVEL_WORDS.get(words[-1].lower()) if len(words) > 1 else None
    if level:
        main = " ".join(words[:-1])
    index = place_index()
    seats = index.lookup(main) or (index.lookup(main + " " + words[-1]) if level else [])
    if not seats:
        close = "; ".join(describe(s) for s in index.suggest(main))
        return Resolved(
            "unknown",
            (),
            f"Unknown place “{text}”: no Chinese city or county has that name."
            + (f" Did you mean {close}?" if close else " Check the spelling, or give lat and lon."),
        )
    narrowed = _narrow(seats, qualifier, level)
    if not narrowed:
        return Resolved("unknown", (), f"No place “{main}” in “{qualifier}”: check both names.")
    note = ""
    city, others = _city_first(narrowed) if len(narrowed) > 1 else (None, [])
    if city is not None:
        note = (
            f"“{text}” read as {describe(city)}; {len(others)} other place"
            f"{'s have' if len(others) > 1 else ' has'} the name ({'; '.join(describe(s) for s in others[:3])}): "
            "add the province or city if you meant one of them."
        )
        narrowed = [city]
    if len(narrowed) > 1:
        shown = "; ".join(describe(s) for s in narrowed[:4]) + (" …" if len(narrowed) > 4 else "")
        return Resolved(
            "ambiguous",
            tuple(narrowed),
            f"Ambiguous place “{text}”: {len(narrowed)} places have that name: {shown}. "
            f"Add the province or city, e.g. {_hint(main, narrowed[0])}, or write it in Chinese.",
        )
    point, moved = index.seat_of(narrowed[0])
    if point is None:
        return Resolved(
            "no_seat",
            (narrowed[0],),
            f"“{text}” is {describe(narrowed[0])}, but the atlas has no seat point for it: give lat and lon.",
        )
    located = {**narrowed[0], "lon": point["lon"], "lat": point["lat"]}
    return Resolved("ok", (located,), "; ".join(x for x in (note, moved) if x))


def _hint(main: str, seat: dict) -> str:
    parent = seat["prefecture_zh"] if seat["prefecture_zh"] != seat["name_zh"] else seat["province_zh"]
    if not parent or parent == seat["name_zh"]:
        return f"“{main} City”"
    return f"“{main}, {romanise(parent)}”"


def nearest(place: Place, points: list[dict]) -> tuple[dict | None, float | None]:
    """The nearest of ``points`` (dicts with lat, lon) and its distance in km."""
    best = min(points, key=lambda p: haversine_km(place.lat, place.lon, p["lat"], p["lon"]), default=None)
    return (best, haversine_km(place.lat, place.lon, best["lat"], best["lon"])) if best else (None, None)
