"""'Download these rows' for every chart and table: a plain CSV and, beside it, the same CSV as a
Frictionless data package (zip with datapackage.json), so figures travel cited and machine-readable.

The bytes are made on the click (``data`` is a callable), so a page run keeps no copy of any table
in the server's media store; ``on_click="ignore"`` keeps the page as it is after a download.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.exports import csv_bytes, data_package_zip
from atlas.file_names import slug


def download_rows(df: pd.DataFrame, name: str, source: str, key: str | None = None) -> None:
    """Two small buttons for exactly the rows shown, named after what they are."""
    key = key or f"dl_{slug(name)}"
    stem = f"china-cluster-atlas-{slug(name)}"
    rows = df.copy()
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            f"Download these {len(rows)} rows (CSV)",
            lambda: csv_bytes(rows),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=key,
            on_click="ignore",
        )
        st.download_button(
            "Data package (CSV + datapackage.json)",
            lambda: data_package_zip(rows, stem, name[:1].upper() + name[1:], source),
            file_name=f"{stem}.zip",
            mime="application/zip",
            key=f"{key}_pkg",
            on_click="ignore",
            type="tertiary",
            help="The same rows with a Frictionless datapackage.json: title, sources, licence and each column's type.",
        )
