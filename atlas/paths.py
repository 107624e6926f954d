"""Where the bundled files live; every loader takes a data_dir so tests can use copies."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
STATIC_DIR = ROOT / "static"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

SEED_FILES = {
    "000_84dd9b47cfbecbda.txt": "ECCP Preparatory Briefing on China (2019 update)",
    "001_9852d4d85712b810.txt": "ECCP D3.2 Preparatory Briefing on China (earlier version)",
    "002_b1c25d6d6ae09a0c.txt": "ECCP China country page",
    "003_dc8295c2f9555873.txt": "Country factsheet China (European Observatory for Clusters and Industrial Change)",
    "004_ebf33d624ac2b557.txt": "ECCP Discussion Paper on EU-China cluster cooperation",
}
