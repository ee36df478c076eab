#!/usr/bin/env python3
"""Writes data/events/seed_events.jsonl: the events the five seed articles
report, as facts (date, place, type, actors, counts), in vigil's JSON Lines
format. Coordinates come from the bundled gazetteer (GeoNames ids, or
aliases.csv for places GeoNames lacks). No sentence of the articles is
reproduced: notes are our own short descriptions plus the article's title.

Run from the repository root: python3 scripts/make_seed_events.py
"""
import csv
import json

TITLES = {
    "000": "From Kayes to Crisis: Jihadist Attacks Signal Shift in Mali's Insurgency Landscape (ASA, 8 July 2025)",
    "001": "Mali: Some Implications of JNIM's July 1 Attacks",
    "002": "JNIM's Multi-Pronged Offensive in Mali (ASA, September 2025)",
    "003": "Bamako under blockade: JNIM is reinforcing its attacks in Mali across the southern regions (Oct 12)",
    "004": "untitled news report on the spread of violence to Kayes (seed 004)",
}
DOCS = {
    "000": "000_805c8920e24dbc74.txt", "001": "001_195fcfe3db870911.txt", "002": "002_6ebac7ecd991f4c9.txt",
    "003": "003_4d98f52847c39bf5.txt", "004": "004_7d08a7046506f262.txt",
}
FAMA = "Military Forces of Mali"

def place_table():
    places = {}
    for cc in ("ML", "BF", "NE"):
        with open(f"data/gazetteer/geonames_{cc}.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                places[r["geonameid"]] = (float(r["latitude"]), float(r["longitude"]))
    with open("data/gazetteer/aliases.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["geonameid"]:
                places[r["names"].split("|")[0]] = (float(r["latitude"]), float(r["longitude"]))
    return places

# (doc, n, date_start, date_end, precision, location, place key, geo_precision,
#  type, sub_type, actor1, actor2, fatalities, hostages, tags, note, extra sources)
EVENTS = [
    ("000", 1, "2025-07-01", None, "day", "Gangontéry", "2457175", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target", "early_warning_ignored"], "Katiba Macina assault on the gendarmerie; soldiers killed (no count)", []),
    ("000", 2, "2025-07-01", None, "day", "Karaga", "2455663", 1, "Violence against civilians",
     "Abduction/forced disappearance", "JNIM", "Civilians", None, 4,
     ["kidnapping_foreigners", "economic_target", "early_warning_ignored"],
     "lime factory (CCM) set on fire; four foreign workers (three Indian, one Chinese) kidnapped",
     [("004", 1)]),
    ("000", 3, "2025-07-01", None, "day", "Gangontéry", "2457175", 1, "Strategic developments",
     "Looting/property destruction", "JNIM", "Civilians", None, None, ["economic_target", "early_warning_ignored"],
     "cement plant (DCM-SA) site and machinery destroyed; two vehicles taken", []),
    ("000", 4, "2025-07-01", None, "day", "Gouroundapé", "Gouroundapé", 2, "Strategic developments",
     "Looting/property destruction", "JNIM", "Civilians", None, None, ["economic_target", "early_warning_ignored"],
     "concrete factory burned and looted; two vehicles taken", []),
    ("000", 5, "2025-07-01", None, "day", "Ségou", "2451478", 3, "Battles", "Armed clash", "JNIM", None, None, None,
     [], "operations in Ségou region the same morning (target not stated)", []),
    ("001", 1, "2025-07-01", None, "day", "Diboli", "2458925", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on a military post near the Senegal border", []),
    ("001", 2, "2025-07-01", None, "day", "Kayes", "2455518", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on military and administrative sites of the regional capital", []),
    ("001", 3, "2025-07-01", None, "day", "Sandaré", "2451711", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on a military post", []),
    ("001", 4, "2025-07-01", None, "day", "Nioro du Sahel", "2452651", 1, "Battles", "Armed clash", "JNIM", FAMA, None,
     None, ["military_target"], "attack on a military post", []),
    ("001", 5, "2025-07-01", None, "day", "Gogui", "2457077", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on a military post near the Mauritania border", []),
    ("001", 6, "2025-07-01", None, "day", "Molodo", "2453383", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on a military post", []),
    ("001", 7, "2025-07-01", None, "day", "Niono", "2452655", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on a military post", []),
    ("001", 8, "2025-07-01", None, "day", "Kayes", "2455518", 2, "Violence against civilians",
     "Abduction/forced disappearance", "JNIM", "Civilians", None, 4, [],
     "four hostages taken, a cemetery and a factory vandalised in villages around the city", []),
    ("001", 9, "2025-06-01", None, "day", "Boulkessi", "Boulkessi", 1, "Battles", "Armed clash", "JNIM", FAMA, None,
     None, ["military_target"], "attack on the army base", []),
    ("001", 10, "2025-06-05", None, "day", "Boulkessi", "Boulkessi", 1, "Battles", "Armed clash", "JNIM", FAMA, None,
     None, ["military_target"], "second attack on the army base", []),
    ("001", 11, "2025-06-02", None, "day", "Timbuktu", "2449067", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack at the regional capital", []),
    ("001", 12, "2025-06-01", "2025-06-30", "month", "Boulkessi", "Boulkessi", 1, "Strategic developments", "Other",
     FAMA, None, None, None, ["territorial_control"], "army withdraws from its base after the June attacks", []),
    ("001", 13, "2025-01-06", "2025-01-07", "day", "Nioro du Sahel", "2452651", 1, "Battles", "Armed clash", "JNIM",
     None, None, None, [], "night attack on the town (6-7 January)", []),
    ("001", 14, "2024-09-17", None, "day", "Bamako", "2460596", 1, "Battles", "Armed clash", "JNIM", FAMA, None, None,
     ["military_target"], "attack on military installations in the capital", []),
    ("001", 15, "2025-07-01", "2025-07-31", "month", "Kayes", "2455518", 2, "Strategic developments", "Other", "JNIM",
     None, None, None, ["blockade"], "blockade announced against the city shortly after 1 July", [("003", 2)]),
    ("001", 16, "2025-07-01", "2025-07-31", "month", "Nioro du Sahel", "2452651", 2, "Strategic developments", "Other",
     "JNIM", None, None, None, ["blockade"], "blockade announced against the town shortly after 1 July", [("003", 3)]),
    ("002", 1, "2025-08-19", None, "day", "Farabougou", "2457671", 1, "Battles", "Non-state actor overtakes territory",
     "JNIM", FAMA, None, None, ["territorial_control", "military_target"],
     "army base and village overrun and held since; casualties and prisoners (no counts)", []),
    ("002", 2, "2025-08-30", None, "day", "Dogofry", "2458473", 1, "Violence against civilians", "Attack",
     "Dozo militia", "Civilians", 1, None, ["assassination"], "mayor killed by traditional hunter militia", []),
    ("002", 3, "2025-09-02", None, "day", "Abalama", "Abalama", 2, "Battles", "Armed clash", "MPLJ",
     "Military Forces of Niger", None, None, ["military_target", "infrastructure"],
     "pre-dawn assault on a National Guard patrol protecting road works (Aderbissinat commune)", []),
    # A corridor, not a town: placed at Diéma, where its two national roads
    # (RN3 from Bamako, RN1 to Diboli) meet, at region precision, with no
    # place id; the road network reads the corridor from its name.
    ("003", 1, "2025-09-12", "2025-10-11", "month", "Bamako–Dakar corridor", "2458881", 3, "Strategic developments",
     "Other", "JNIM", None, None, None, ["blockade", "economic_target"],
     "blockade of the corridor claimed against fuel and goods bound for the capital; truck drivers abducted and "
     "escorted convoys attacked in the month before the article", []),
]

def main():
    places = place_table()
    with open("data/events/seed_events.jsonl", "w", encoding="utf-8") as out:
        for (doc, n, start, end, prec, loc, key, gp, etype, sub, a1, a2, fat, hos, tags, note, extra) in EVENTS:
            lat, lon = places[key]
            sid = f"{DOCS[doc]}#{n}"
            sources = [{"source": "report", "source_id": sid, "revision": 1}]
            for (d2, n2) in extra:
                sources.append({"source": "report", "source_id": f"{DOCS[d2]}#{n2}", "revision": 1})
            ev = {
                "source": "report", "source_id": sid, "revision": 1,
                "date_start": start, "date_end": end or start, "date_precision": prec,
                "latitude": lat, "longitude": lon, "geo_precision": gp,
                "place_id": int(key) if key.isdigit() and not loc.endswith("corridor") else None, "location": loc,
                "event_type": etype, "sub_event_type": sub, "actor1": a1, "actor2": a2,
                "fatalities": fat, "hostages": hos, "tags": tags,
                "notes": f"{note}. Source: {TITLES[doc]}",
                "evidence_doc": DOCS[doc], "confidence": 0.9 if gp == 1 else 0.7,
                "sources": sources,
            }
            out.write(json.dumps(ev, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main()
