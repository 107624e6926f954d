"""'Download these rows' for every chart and table: CSV with a source line, so figures travel cited."""

from __future__ import annotations

import io
import re

import pandas as pd
import streamlit as st


def csv_with_source(df: pd.DataFrame, source: str) -> bytes:
    """CSV bytes (UTF-8 with BOM, so spreadsheet programs read Chinese) ending in a source line."""
    buf = io.StringIO()
    df.drop(columns=["geometry"], errors="ignore").to_csv(buf, index=False)
    buf.write(f'"Source: {source.replace(chr(34), chr(39))}"\n')
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def download_rows(df: pd.DataFrame, name: str, source: str, key: str | None = None) -> None:
    """A small download button for exactly the rows shown, named after what they are."""
    st.download_button(f"Download these {len(df)} rows (CSV)", csv_with_source(df, source),
                       file_name=f"china-cluster-atlas-{slug(name)}.csv", mime="text/csv",
                       key=key or f"dl_{slug(name)}")
