"""The committed manifest of the data files (data/MANIFEST.json): each file's record count and
sha256, so a truncated or damaged file is caught on load even when what is left still parses.

    python -m atlas.manifest --write    # after a deliberate change to data/ (the geo builds call it)
    python -m atlas.manifest --check    # exit 1 and say which file differs

Records: CSV data rows (blank rows skipped), YAML list items, GeoJSON features (a JSON object such
as boundaries_meta.json has none: its sha256 alone is kept). The static web outlines (static/geo/*.json) are listed too: the browser
fetches them, so a damaged one breaks the map. The source documents (data/sources/, plain text)
are listed by sha256 in their own section: the Sources page checks a document before it quotes it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import yaml

from atlas.paths import DATA_DIR, GEO_DIR, MANIFEST_FILE, SOURCES_DIR, STATIC_DIR
from atlas.validate import DataFileError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUFFIXES = (".csv", ".yaml", ".json", ".geojson")
SOURCE_SUFFIXES = (".txt", ".md")  # the documents in data/sources/ (its README.md describes them)
ABOUT = (
    "Record count and sha256 of every data file; written by `python -m atlas.manifest --write`, "
    "checked when the app loads and by tests/test_data_corruption.py."
)


def records(path: Path) -> int | None:
    """How many records the file holds, or None if it cannot be parsed."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
            return max(len(rows) - 1, 0)
        value = yaml.load(text, Loader=SAFE_LOADER) if path.suffix == ".yaml" else json.loads(text)
    except (UnicodeDecodeError, csv.Error, yaml.YAMLError, ValueError):
        return None
    if isinstance(value, dict) and isinstance(value.get("features"), list):
        return len(value["features"])
    return len(value) if isinstance(value, list) else None  # a mapping has keys, not records


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry(path: Path) -> dict:
    return {"records": records(path), "sha256": sha256(path)}


def data_files(data_dir: Path = DATA_DIR) -> list[str]:
    return sorted(
        p.relative_to(data_dir).as_posix()
        for p in data_dir.rglob("*")
        if p.suffix in SUFFIXES and p.is_file() and p.name != MANIFEST_FILE
    )


def static_files(static_dir: Path = STATIC_DIR) -> list[str]:
    return sorted(p.relative_to(static_dir).as_posix() for p in (static_dir / "geo").glob("*.json"))


def source_files(sources_dir: Path = SOURCES_DIR) -> list[str]:
    return sorted(p.name for p in sources_dir.glob("*") if p.suffix in SOURCE_SUFFIXES and p.name != "README.md")


def build(data_dir: Path = DATA_DIR, static_dir: Path = STATIC_DIR) -> dict:
    sources_dir = data_dir / SOURCES_DIR.name
    return {
        "about": ABOUT,
        "data": {name: entry(data_dir / name) for name in data_files(data_dir)},
        "static": {name: entry(static_dir / name) for name in static_files(static_dir)},
        "sources": {name: {"sha256": sha256(sources_dir / name)} for name in source_files(sources_dir)},
    }


def write(data_dir: Path = DATA_DIR, static_dir: Path = STATIC_DIR) -> Path:
    path = data_dir / MANIFEST_FILE
    path.write_text(
        json.dumps(build(data_dir, static_dir), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    return path


def read(data_dir: Path = DATA_DIR) -> dict:
    path = data_dir / MANIFEST_FILE
    if not path.exists():
        raise DataFileError(MANIFEST_FILE, "file", "-", "the manifest of the data files is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(manifest.get("data"), dict) and isinstance(manifest.get("static", {}), dict)
    except (UnicodeDecodeError, ValueError, AssertionError, AttributeError):
        raise DataFileError(MANIFEST_FILE, "file", "-", "the manifest of the data files is damaged") from None
    return manifest


def locate(name: str, data_dir: Path, geo_dir: Path) -> Path:
    """A manifest name under the data dir; geo/ files come from geo_dir (which may be elsewhere)."""
    return geo_dir / name[len("geo/") :] if name.startswith("geo/") else data_dir / name


def differs(name: str, path: Path, manifest: dict, section: str = "data") -> bool:
    expected = manifest.get(section, {}).get(name)
    return expected is None or not path.exists() or sha256(path) != expected.get("sha256")


def check_file(name: str, path: Path, manifest: dict, section: str = "data") -> None:
    """Raise DataFileError if the file is not the committed one, saying how it differs."""
    expected = manifest.get(section, {}).get(name)
    if expected is None:
        return  # a file the manifest does not list yet: tests/test_data_corruption.py asks for --write
    shown = name if section == "data" else f"static/{name}"
    if not path.exists():
        raise DataFileError(shown, "file", "-", "file is missing")
    if sha256(path) == expected.get("sha256"):
        return
    found, wanted = records(path), expected.get("records")
    if found is None and wanted is not None:
        raise DataFileError(shown, "file", "-", "cannot be read (damaged or cut short)")
    if found == 0:
        raise DataFileError(shown, "file", "-", "file is empty")
    if wanted is not None and found < wanted:
        raise DataFileError(
            shown,
            "file",
            "-",
            f"has {found:,} records where the committed version has {wanted:,}: it looks truncated",
        )
    if wanted is not None and found != wanted:
        raise DataFileError(
            shown,
            "file",
            "-",
            f"has {found:,} records where the committed version has {wanted:,}",
        )
    raise DataFileError(
        shown,
        "file",
        "-",
        "differs from the committed version (its checksum is not the one in data/MANIFEST.json)",
    )


def check_truncation(data_dir: Path, geo_dir: Path, static_dir: Path, manifest: dict) -> None:
    """First, before any row is read: a file that is missing, empty or holds fewer records than
    the committed version is reported as such (its rows' problems would only be symptoms). A file
    that does not parse is left to its reader, which names the line."""
    sections = [("data", name, locate(name, data_dir, geo_dir)) for name in manifest["data"]]
    sections += [("static", name, static_dir / name) for name in manifest.get("static", {})]
    for section, name, path in sections:
        if not differs(name, path, manifest, section):
            continue
        shown = name if section == "data" else f"static/{name}"
        if not path.exists():
            raise DataFileError(shown, "file", "-", "file is missing")
        if not path.read_bytes().strip():
            raise DataFileError(shown, "file", "-", "file is empty")
        found, wanted = records(path), manifest[section][name].get("records")
        if found is not None and wanted is not None and found < wanted:
            raise DataFileError(
                shown,
                "file",
                "-",
                f"has {found:,} records where the committed version has {wanted:,}: it looks truncated",
            )


def check(
    data_dir: Path = DATA_DIR,
    geo_dir: Path = GEO_DIR,
    static_dir: Path = STATIC_DIR,
    manifest: dict | None = None,
) -> None:
    """Every file the manifest lists is the committed one (first difference raised)."""
    manifest = manifest if manifest is not None else read(data_dir)
    for name in manifest["data"]:
        check_file(name, locate(name, data_dir, geo_dir), manifest)
    for name in manifest.get("static", {}):
        check_file(name, static_dir / name, manifest, "static")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write data/MANIFEST.json from the files")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the files against data/MANIFEST.json",
    )
    args = parser.parse_args(argv)
    if args.write:
        path = write()
        print(
            f"wrote {path.relative_to(DATA_DIR.parent)}: {len(data_files())} data files, "
            f"{len(static_files())} static files, {len(source_files())} source documents"
        )
        return 0
    try:
        check()
    except DataFileError as exc:
        print(f"data/MANIFEST.json: {exc}", file=sys.stderr)
        return 1
    print("every data file matches data/MANIFEST.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
