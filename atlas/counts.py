"""One count for one thing: how many events, partnerships, projects and organisations the atlas
holds, counted the same way on every page, and events listed once however many stops they have.

``data/cooperation/events.csv`` has one row per *stop*: a mission to three cities is three rows
sharing an ``event_group``. People count events, so every page counts and lists event groups;
the number of stops is said as such ("36 stops of 31 events").
"""

from __future__ import annotations

import pandas as pd

from atlas.figures import records_as_of
from atlas.load import Atlas

LABELS = {
    "partnerships": "ESCP-4i partnerships",
    "projects": "R&I projects",
    "events": "Events and missions",
    "organisations": "Organisations",
    "success_stories": "Success stories",
}


def event_count(events: pd.DataFrame) -> int:
    """Events (missions, matchmaking, workshops ...), not their stops."""
    return int(events["event_group"].nunique()) if len(events) else 0


def stops_of_events(events: pd.DataFrame) -> str:
    """'36 stops of 31 events', or '12 events' when every event has one stop."""
    n, stops = event_count(events), len(events)
    return f"{stops} stops of {n} events" if stops != n else f"{n} events"


def event_years(events: pd.DataFrame) -> str:
    """The years the events were held, '2014–2019': the years the event count is for."""
    years = sorted(set(events["year"].dropna().astype(int)))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def totals_as_of(atlas: Atlas) -> dict[str, str]:
    """What each headline count is for, keyed as LABELS: the years the events were held, else the
    dates of the documents the records come from ("2019 briefing, ECCP country page")."""
    return {
        "partnerships": records_as_of(atlas.partnerships["source"]),
        "projects": records_as_of(atlas.projects["source"]),
        "events": event_years(atlas.events),
        "organisations": records_as_of(atlas.organisations["source"]),
        "success_stories": records_as_of(s.get("source", "") for s in atlas.success_stories),
    }


def totals(atlas: Atlas) -> dict[str, int]:
    """The headline counts of EU-China cooperation, keyed as LABELS."""
    return {
        "partnerships": len(atlas.partnerships),
        "projects": len(atlas.projects),
        "events": event_count(atlas.events),
        "organisations": len(atlas.organisations),
        "success_stories": len(atlas.success_stories),
    }


def event_groups(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event (``event_group``): a mission visiting three cities is one event, its
    places the cities of all its stops."""
    rows = []
    for group, stops in events.groupby("event_group", sort=False):
        first = stops.sort_values("stop").iloc[0]
        places = [p for p in dict.fromkeys((r["city_en"] or r["country"]) for r in stops.to_dict("records")) if p]
        month = first["month"]
        rows.append(
            {
                "event_group": group,
                "title": first["title"],
                "kind": first["kind"],
                "status": first["status"],
                "date": first["date_text"],
                "year": int(first["year"]),
                "month": int(month) if month else None,
                "places": "; ".join(places) or "not given",
                "stops": len(stops),
                "sectors": first["sectors_text"],
                "organisers": first["organisers"],
                "outcome": first["outcome"],
                "source": " | ".join(dict.fromkeys(p for s in stops["source"] for p in s.split(" | "))),
            }
        )
    columns = [
        "event_group",
        "title",
        "kind",
        "status",
        "date",
        "year",
        "month",
        "places",
        "stops",
        "sectors",
        "organisers",
        "outcome",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["year", "month"], na_position="last").reset_index(drop=True)


def one_per_event(atlas: Atlas, entries: list[dict]) -> list[dict]:
    """Entries that each name an event stop (``id``, optional ``where``) merged to one per event:
    the first stop's entry, its ``where`` the places of all listed stops, plus the event's
    ``group``, ``kind`` and ``status``. For any list of events shown to people (panels, cards, briefs)."""
    groups: dict[str, dict] = {}
    for e in entries:
        ev = atlas.record("events", e["id"])
        g = ev["event_group"]
        if g in groups:
            where = [w for w in (groups[g].get("where", ""), e.get("where", "")) if w]
            groups[g]["where"] = ", ".join(dict.fromkeys(", ".join(where).split(", "))) if where else ""
        else:
            groups[g] = {**e, "group": g, "kind": ev["kind"], "status": ev["status"]}
    return list(groups.values())
