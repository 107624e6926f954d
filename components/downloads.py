"""'Download these rows' for every chart and table: CSV with a source line, so figures travel cited."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from atlas.exports import csv_bytes


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def download_rows(df: pd.DataFrame, name: str, source: str, key: str | None = None) -> None:
    """A small download button for exactly the rows shown, named after what they are."""
    st.download_button(f"Download these {len(df)} rows (CSV)", csv_bytes(df, source),
                       file_name=f"china-cluster-atlas-{slug(name)}.csv", mime="text/csv",
                       key=key or f"dl_{slug(name)}")
