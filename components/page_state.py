"""The page address, read and written the same way by every page that keeps state in it.

Each page declares its parameters (atlas/page_params.py) and calls ``read`` once per session
(or when a link from another page asks for it) and ``write`` on every run.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from atlas.page_params import Param, notice, parse

NAV_KEY = "nav"  # one-shot marker on links from other pages: "take the view from this address"


def raw_params() -> dict[str, list[str]]:
    """Every parameter of the address with all its values (a repeated key keeps each)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def arrived_by_link() -> bool:
    """Whether this run follows a link that carries a view (the marker is removed)."""
    if NAV_KEY in st.query_params:
        del st.query_params[NAV_KEY]
        return True
    return False


def read(spec: Iterable[Param], ignore: Iterable[str] = ()) -> tuple[dict[str, object], str | None]:
    """The page's parameters from the address, and one notice of what was ignored."""
    params = {k: v for k, v in raw_params().items() if k != NAV_KEY}
    values, ignored = parse(params, spec, ignore)
    return values, notice(ignored)


def write(params: dict[str, str]) -> None:
    """Mirror the page's state into the address, which then holds exactly these keys (anything
    else it had was named in the notice). Written only when it differs, so no needless history;
    a key repeated in the address counts as differing, so the repeat is gone after one run."""
    if raw_params() != {key: [value] for key, value in params.items()}:
        st.query_params.from_dict(params)


def show_notice(text: str | None) -> None:
    """A notice about the address (page_params.notice). Nothing from the address is rendered: each
    value in it is stripped of markup characters and set as inline code (page_params.shown)."""
    if text:
        st.info(text, icon="ℹ️")
