"""Reference tables of the instance generator, from ``../shared/reference/facts.md``.

Coordinates are decimal degrees (lat, lon). Political flags of nations are a reading of the
positions in facts.md §6 (l: Black Sea littoral, p: accepts presence in Ukraine, b: requires a
US backstop, r: accepts robust rules of engagement near the contact line); they are
illustrative, not a statement of any government's policy.
"""

from __future__ import annotations

CAPS = ("air_patrol", "naval_escort", "training", "aew", "isr", "tanker")
STATION_SHARE = (0.34, 0.14, 0.12, 0.13, 0.13, 0.14)  # of stations, by capability
POOL_SHARE = (0.46, 0.16, 0.18, 0.05, 0.07, 0.08)  # of pools beyond CORE_POOLS
CLASS_OF = {
    "air_patrol": "aircraft",
    "aew": "aircraft",
    "isr": "aircraft",
    "tanker": "aircraft",
    "naval_escort": "ships",
    "training": "training",
}
# The first pools: every capability offered once, the enablers by the US (as in §5.3).
CORE_POOLS = (
    ("UK", "air_patrol"),
    ("US", "aew"),
    ("RO", "naval_escort"),
    ("US", "tanker"),
    ("UK", "training"),
    ("US", "isr"),
    ("FR", "air_patrol"),
    ("FR", "tanker"),
)

# facts.md §1.1: settlements on the line of contact, south to north (Dec 2025).
FRONT_POINTS: tuple[tuple[float, float], ...] = (
    (46.521, 32.526),
    (46.618, 32.719),
    (46.755, 33.349),
    (47.485, 34.411),
    (47.437, 35.274),
    (47.583, 35.367),
    (47.536, 35.893),
    (47.665, 36.258),
    (47.84, 36.83),
    (47.985, 37.282),
    (48.282, 37.176),
    (48.47, 37.08),
    (48.528, 37.707),
    (48.59, 37.84),
    (48.867, 38.100),
    (48.988, 37.802),
    (49.378, 37.621),
    (49.721, 37.600),
    (49.850, 37.686),
    (50.300, 36.947),
    (50.339, 36.187),
)

# facts.md §3.1: Odesa port, then the notional corridor waypoints to the Bosporus (366 nm).
CORRIDOR: tuple[tuple[float, float], ...] = (
    (46.493, 30.750),
    (46.00, 30.60),
    (45.15, 29.85),
    (44.10, 28.85),
    (43.35, 28.55),
    (42.70, 27.98),
    (41.98, 28.15),
    (41.23, 29.12),
)

# facts.md §2.1-2.3: id, country, lat, lon, asset classes it hosts (interleaved so that a small
# instance still has an air base, a port and a training site).
BASES: tuple[tuple[str, str, float, float, str], ...] = (
    ("EPRZ", "PL", 50.110, 22.019, "aircraft training"),
    ("LRCK", "RO", 44.362, 28.488, "aircraft"),
    ("PORT-CONSTANTA", "RO", 44.125, 28.678, "ships"),
    ("PORT-ODESA", "UA", 46.493, 30.750, "ships"),
    ("LRFT", "RO", 44.392, 27.727, "aircraft training"),
    ("EPLK", "PL", 51.552, 19.179, "aircraft"),
    ("PORT-VARNA", "BG", 43.199, 27.919, "ships"),
    ("UKLL", "UA", 49.813, 23.956, "aircraft training"),
    ("LRCT", "RO", 46.502, 23.886, "aircraft training"),
    ("EPMB", "PL", 54.027, 19.134, "aircraft"),
    ("PORT-BURGAS", "BG", 42.485, 27.465, "ships"),
    ("UKON", "UA", 47.058, 31.920, "aircraft"),
    ("LBIA", "BG", 42.455, 26.352, "aircraft"),
    ("EPMM", "PL", 52.195, 21.656, "aircraft"),
    ("PORT-CHORNOMORSK", "UA", 46.305, 30.655, "ships"),
    ("UKWW", "UA", 49.243, 28.614, "aircraft training"),
    ("LBPG", "BG", 42.290, 24.714, "aircraft"),
    ("PORT-ISTANBUL", "TR", 41.022, 28.976, "ships"),
    ("UKLI", "UA", 48.884, 24.686, "aircraft"),
    ("PORT-IZMAIL", "UA", 45.322, 28.855, "ships"),
    ("UKKO", "UA", 50.158, 28.738, "aircraft"),
    ("UKOO", "UA", 46.427, 30.677, "aircraft"),
    ("UKKG", "UA", 48.543, 32.285, "aircraft training"),
    ("UKLC", "UA", 50.678, 25.487, "aircraft"),
)

# facts.md §6: coalition members, UK and France leading, the US as the enabler.
NATIONS: tuple[tuple[str, str], ...] = (
    ("UK", "pr"),
    ("FR", "pr"),
    ("US", ""),
    ("RO", "lb"),
    ("PL", "b"),
    ("DE", "b"),
    ("TR", "l"),
    ("IT", "b"),
    ("NL", "pb"),
    ("CA", "p"),
    ("BG", "lb"),
    ("DK", "p"),
    ("NO", "b"),
    ("SE", "p"),
    ("FI", "b"),
    ("ES", "b"),
    ("EE", "pr"),
    ("LV", "pr"),
    ("LT", "pr"),
    ("BE", "pb"),
    ("CZ", ""),
    ("PT", "b"),
    ("AU", "p"),
    ("NZ", "p"),
    ("HR", "b"),
    ("GR", "b"),
    ("IE", ""),
    ("IS", ""),
    ("LU", "b"),
    ("JP", ""),
)

# facts.md §5.1: combat radius in km (Rafale: the often-quoted figure, flagged [U] there).
FIGHTERS: tuple[tuple[str, int], ...] = (
    ("F-16", 860),
    ("Typhoon", 510),
    ("Rafale", 1000),
    ("Gripen", 800),
    ("F-35A", 1090),
)

SOURCES: dict[str, str] = {
    "generator": "posture generate (optimizer/instance/generate.py): synthetic counts and values",
    "front": "facts.md 1.1 (21 settlements on the line of contact); winding factor synthetic",
    "sea": "facts.md 3.1 (corridor waypoints, 366 nm); 3.2 (~220 vessels a month)",
    "bases": "facts.md 2.1-2.3 (coordinates); capacities synthetic",
    "pools": "facts.md 5.1 (combat radii), 5.2 (6-8 aircraft per 24/7 station), 5.3 (enablers)",
    "nations": "facts.md 6 (positions), read as illustrative flags",
}
