"""Where the bundled files live; every loader takes a data_dir so tests can use copies."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
STATIC_DIR = ROOT / "static"
SOURCES_DIR = DATA_DIR / "sources"  # the source documents and the reference sheet, in the repository
SEEDS_DIR = SOURCES_DIR
REFERENCE_SHEET = SOURCES_DIR / "city_clusters.md"
MANIFEST_FILE = "MANIFEST.json"  # in the data dir: record count and sha256 of every data file
DATA_DIR_ENV = "ATLAS_DATA_DIR"  # another data dir for the app (a test's broken copy); read on each call

SEED_FILES = {
    "000_84dd9b47cfbecbda.txt": "ECCP Preparatory Briefing on China (2019 update)",
    "001_9852d4d85712b810.txt": "ECCP D3.2 Preparatory Briefing on China (earlier version)",
    "002_b1c25d6d6ae09a0c.txt": "ECCP China country page",
    "003_dc8295c2f9555873.txt": "Country factsheet China (European Observatory for Clusters and Industrial Change)",
    "004_ebf33d624ac2b557.txt": "ECCP Discussion Paper on EU-China cluster cooperation",
}


def data_dir() -> Path:
    """The data dir the app loads: data/ unless ATLAS_DATA_DIR names another (read at call time,
    so a test can point one AppTest run at a copy)."""
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)
