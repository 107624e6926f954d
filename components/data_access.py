"""The one cached Atlas per server process and data dir; a broken data file stops the page with
one clear message (which file, row and field, and what to do) and never a traceback or a path.

Once loaded, the Atlas and what every session reads from it are built and then frozen out of the
garbage collector's walk (``gc.freeze``: "move them to a permanent generation and ignore them in
all the future collections", https://docs.python.org/3/library/gc.html#gc.freeze). Streamlit
collects garbage after every run (a full collection); without the freeze each one would walk the
data's few hundred thousand objects again. This happens once per loaded Atlas: the garbage of each
run is left to Python's collector, as usual.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import streamlit as st

from atlas.load import Atlas, load_atlas
from atlas.paths import data_dir
from atlas.validate import DataFileError
from components.text import md

LOG = logging.getLogger(__name__)
WHAT_TO_DO = (
    "Restore the file from the repository (for example `git checkout -- data/`) and reload the page. "
    "If you changed it on purpose, fix what the message names (the columns are described in "
    "data/README.md) and run `python -m atlas.manifest --write`."
)


@st.cache_resource(show_spinner="Loading the atlas data…", max_entries=2)
def _load(directory: str) -> Atlas:
    atlas = load_atlas(data_dir=Path(directory))
    prepare(atlas)
    return atlas


def prepare(atlas: Atlas) -> None:
    """Build what every session reads (the search and partner indexes, the map's points, the
    libraries the pages draw with), then freeze what is alive: long-lived from here on, so no
    collection needs to walk it. Unfrozen first, so that a previous Atlas no longer cached is
    collected rather than kept."""
    import plotly.graph_objects  # noqa: F401 - imported now, its modules are frozen with the data

    from atlas.partners.index import partner_index
    from atlas.search import search_index
    from components.map_view import all_points

    search_index(atlas)
    partner_index(atlas)
    all_points(atlas)
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def data_error_message(exc: DataFileError) -> str:
    """The page's message for a damaged data file, escaped for Markdown."""
    shown = exc.file if exc.file.startswith("static/") else f"data/{exc.file}"
    detail = str(exc)[len(exc.file) :]
    return (
        f"**The atlas data could not be loaded**, so this page shows nothing rather than something "
        f"wrong. Problem: {md(shown + detail)}.\n\n{WHAT_TO_DO}"
    )


def get_atlas() -> Atlas:
    try:
        return _load(str(data_dir()))
    except DataFileError as exc:
        st.error(data_error_message(exc), icon="🚫")
    except Exception:  # noqa: BLE001 - any other failure: logged for the operator, never shown
        LOG.exception("loading the atlas data failed")
        st.error(
            "**The atlas data could not be loaded** because of an unexpected error, so this page shows "
            f"nothing rather than something wrong. {WHAT_TO_DO}",
            icon="🚫",
        )
    st.stop()
