"""The one sector taxonomy and palette (data/sectors.csv), used by the map, charts and briefs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from atlas.cache import memoised
from atlas.paths import DATA_DIR

UNKNOWN_COLOUR = "#777777"


@dataclass(frozen=True)
class Taxonomy:
    """The tables, and their lookups as plain dicts: a label or colour is asked for hundreds of
    times a run, and a pandas lookup each time would make a new Series every time."""

    sectors: pd.DataFrame  # indexed by sector id, in display order
    priority: pd.DataFrame  # indexed by priority-sector id

    @cached_property
    def colours(self) -> dict[str, str]:
        return self.sectors["colour"].to_dict()

    @cached_property
    def labels(self) -> dict[str, str]:
        return self.sectors["label"].to_dict()

    @cached_property
    def priority_labels(self) -> dict[str, str]:
        return self.priority["label"].to_dict()

    @cached_property
    def order(self) -> tuple[str, ...]:
        return tuple(self.sectors.index)

    def colour(self, sector_id: str) -> str:
        return self.colours.get(sector_id, UNKNOWN_COLOUR)

    def label(self, sector_id: str) -> str:
        return self.labels.get(sector_id, sector_id)

    def priority_label(self, priority_id: str) -> str:
        return self.priority_labels.get(priority_id, priority_id)


@memoised(4)
def load_taxonomy(data_dir: Path = DATA_DIR) -> Taxonomy:
    read = dict(dtype=str, keep_default_na=False)
    sectors = pd.read_csv(data_dir / "sectors.csv", **read).set_index("id")
    priority = pd.read_csv(data_dir / "priority_sectors.csv", **read).set_index("id")
    return Taxonomy(sectors, priority)
