"""Every dataset as CSV (and GeoJSON where it has places), with its data dictionary, sources,
licences, the boundary disclaimer and what is known to be uncertain — counted from the data.

The bytes come from atlas/exports.py; this page only draws buttons and documents. Counts are
computed once per data; the three sections are tabs that run only when opened, and a dataset's
dictionary is drawn when its expander is opened.
"""

from __future__ import annotations

import streamlit as st

from atlas import counts as N
from atlas import exports as X
from atlas.cache import per_atlas
from atlas.paths import DATA_DIR
from components.data_access import get_atlas
from components.entry import from_app
from components.legend import DISCLAIMER
from components.text import md

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()


def catalogue(_a) -> dict[str, tuple[int, int]]:
    """Records and located records per dataset (once per data: per_atlas)."""
    out = {}
    for ds in X.all_datasets():
        df = X.read_records(ds)
        located = (
            len(df) if ds.geometry in ("layer", "polygon") else (len(X.located(df)) if ds.geometry == "point" else 0)
        )
        out[ds.key] = (len(df), located)
    return out


def docs(_a) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return X.sections(readme, 3), X.sections(readme, 2), X.sections(sources, 2)


def uncertain(a) -> dict:
    """The counts of the uncertainty section (they depend only on the data)."""

    def build(a) -> dict:
        clusters = a.clusters
        towns = clusters[clusters["town_en"] != ""]
        return {
            "levels": X.verification_counts(a.city_clusters),
            "renamed": int((clusters["adcode_2010"] != "").sum()),
            "towns": len(towns),
            "towns_at_town": int(towns["location_method"].isin(["gazetteer", "cited"]).sum()),
            "methods": X.location_methods(
                {
                    "Industrial clusters": a.clusters,
                    "Zones and parks": a.zones,
                    "Event stops": a.events,
                    "Organisations": a.organisations,
                }
            ),
        }

    return per_atlas(a, "data_page.uncertain", build)


counts = per_atlas(atlas, "data_page.catalogue", catalogue)
datasets = [d for d in X.all_datasets() if d.key in counts]
dictionary, readme_parts, source_parts = per_atlas(atlas, "data_page.docs", docs)
# A dataset whose records are not what people count says both ("36 stops of 31 events").
WHAT_RECORDS_ARE = {"events": N.stops_of_events(atlas.events)}

st.title("Data, sources and downloads", anchor=False)
st.write(
    "Every dataset behind the atlas, as bundled: download it, read what each column means, where it "
    "comes from and what is uncertain. CSV files are UTF-8 (with a byte-order mark, so spreadsheet "
    "programs read Chinese) and hold only the table; each row names its source, and the data package "
    "(zip) adds a datapackage.json with the dataset's sources, licence and column types. GeoJSON is WGS84."
)
c = st.columns(3)
c[0].metric("Datasets", len(datasets))
c[1].metric("Records", f"{sum(n for n, _ in counts.values()):,}")
c[2].metric("With places (GeoJSON)", sum(1 for ds in datasets if ds.geometry))

UNCERTAIN = "What is known to be uncertain"
t_data, t_sources, t_uncertain = st.tabs(
    ["Download the data", "Sources, licences and boundaries", UNCERTAIN], key="data_view", on_change="rerun"
)

# ---------------------------------------------------------------- downloads + dictionary
with t_data:
    if t_data.open:
        st.header("Download the data", anchor=False)
        with st.expander("Conventions used in every file", key="doc_conventions", on_change="rerun") as box:
            if box.open:
                st.markdown(X.doc_markdown(readme_parts.get("Conventions", "")))
        for group in X.GROUPS:
            st.subheader(group, anchor=False)
            members = [d for d in datasets if d.group == group]
            if not members:
                continue
            for row in range(0, len(members), 2):
                for col, ds in zip(st.columns(2), members[row : row + 2], strict=False):
                    n, located = counts[ds.key]
                    with col.container(border=True):
                        places = f" · {located:,} with places" if ds.geometry else ""
                        what = f" ({md(WHAT_RECORDS_ARE[ds.key])})" if ds.key in WHAT_RECORDS_ARE else ""
                        st.markdown(f"**{md(ds.title)}**  \n`data/{ds.file}` · {n:,} records{what}{places}")
                        b1, b2, b3 = st.columns(3)
                        b1.download_button(
                            "CSV",
                            data=lambda ds=ds: X.dataset_csv(ds),
                            key=f"csv_{ds.key}",
                            file_name=f"china-cluster-atlas-{ds.key}.csv",
                            mime="text/csv",
                            on_click="ignore",
                            icon="⬇️",
                        )
                        b3.download_button(
                            "Data package",
                            data=lambda ds=ds: X.dataset_package(ds),
                            key=f"pkg_{ds.key}",
                            file_name=f"china-cluster-atlas-{ds.key}.zip",
                            mime="application/zip",
                            on_click="ignore",
                            icon="⬇️",
                            help="The CSV with its datapackage.json (Frictionless): sources, licence, column types.",
                        )
                        if ds.geometry:
                            b2.download_button(
                                "GeoJSON",
                                data=lambda ds=ds: X.dataset_geojson(ds, disclaimer=DISCLAIMER),
                                key=f"geo_{ds.key}",
                                file_name=f"china-cluster-atlas-{ds.key}.geojson",
                                mime="application/geo+json",
                                on_click="ignore",
                                icon="⬇️",
                            )
                        with st.expander("Data dictionary", key=f"doc_{ds.key}", on_change="rerun") as box:
                            if box.open:  # drawn when opened: 25 dictionaries are most of the page's text
                                st.markdown(
                                    X.doc_markdown(dictionary.get(ds.readme, "Not described in data/README.md."))
                                )
        st.caption(
            "How to read this: one box per bundled file; the GeoJSON has one feature per record with a "
            "place (a point at its division seat or cited coordinates; city clusters as polygons)."
        )
        st.caption("Source: data/README.md (the data dictionary) and the files in data/.")

# ---------------------------------------------------------------- sources and licences
with t_sources:
    if t_sources.open:
        st.header("Sources and licences", anchor=False)
        for title, body in source_parts.items():
            if title != UNCERTAIN:
                with st.expander(title, expanded=title.startswith("Source documents")):
                    st.markdown(X.doc_markdown(body))
        st.caption("Source: data/SOURCES.md.")

        st.header("Boundary disclaimer", anchor=False)
        st.warning(DISCLAIMER, icon="🗺️")
        st.markdown(
            X.doc_markdown(X.paragraph(source_parts.get("Boundaries (`data/geo/`)", ""), "**Boundary disclaimer.**"))
        )

# ---------------------------------------------------------------- uncertain, counted
with t_uncertain:
    if t_uncertain.open:
        st.header(UNCERTAIN, anchor=False)
        u_counts = uncertain(atlas)
        levels = u_counts["levels"]
        u = st.columns(5)
        u[0].metric("City clusters verified (V)", levels["V"])
        u[1].metric("Partly verified (P)", levels["P"])
        u[2].metric("Unverified (U)", levels["U"])
        u[3].metric(
            "Renamed counties",
            u_counts["renamed"],
            help="Industrial clusters whose 2010 county code has changed (adcode_2010 filled)",
        )
        u[4].metric("Town rows (point at the town)", f"{u_counts['towns']} ({u_counts['towns_at_town']})")
        st.caption(
            "How to read this: counted from the data now loaded. City clusters take the weakest "
            "verification level of their member list; a renamed county keeps its printed name and gets "
            "today's code."
        )
        st.dataframe(
            u_counts["methods"].rename(columns=lambda c: c.replace("_", " ")), hide_index=True, width="stretch"
        )
        st.caption(
            "How to read this: where each record's point comes from — the seat of its county, prefecture "
            "or province, or coordinates cited from a public page; 'not located' records have no point "
            "(events in Europe, organisations with no city)."
        )
        st.caption(
            "Source: data/industrial_clusters.csv, data/zones.csv, data/city_clusters.csv, "
            "data/cooperation/events.csv, data/cooperation/organisations.csv (columns verification, "
            "adcode_2010, town_en, location_method)."
        )
        st.markdown(X.doc_markdown(source_parts.get(UNCERTAIN, "")))
        st.caption("Source: data/SOURCES.md.")
