#!/usr/bin/env python3
"""One tariff what-if with numpy, the same computation as
`tocalc tariff --partner CN --rate 200 --as-of 2025-05-14 --elasticity 1.5 --json`:
read parameters.csv, trade.csv and tariffs.csv, take the stacked rates in force,
evaluate the ces model (creation + exact Armington diversion) for CN, MX, CA
and print the totals as JSON.  Used by bench/tariff.sh."""
import csv, json, sys
import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else "datasets"
as_of, eps, partner, rate = "2025-05-14", 1.5, "CN", 200.0

par = {r["name"]: r for r in csv.DictReader(open(f"{data}/parameters.csv", newline=""))}
sigma = float(par["substitution_elasticity"]["value"])
households = float(par["us_households"]["value"])
phi = float(par["pass_through_border"]["value"])

codes = ["CN", "MX", "CA"]
m0 = {}
for r in csv.DictReader(open(f"{data}/trade.csv", newline="")):
    if r["year"] == "2024" and r["flow"] == "imports" and r["value_musd"]:
        rank = {"census_general": 2, "census_consumption": 1}.get(r["basis"], 0)
        if rank and rank > m0.get(r["partner"], (0, 0))[0]:
            m0[r["partner"]] = (rank, float(r["value_musd"]))

rows = list(csv.DictReader(open(f"{data}/tariffs.csv", newline="")))
def stacked(p):
    best = {}
    for r in rows:
        if r["partner"] not in (p, "ALL") or r["status"] in ("proposed", "suspended"):
            continue
        if not (r["effective"] <= as_of and (not r["end"] or r["end"] > as_of)):
            continue
        key = (r["effective"], r["partner"] == p)
        if r["layer"] not in best or key >= best[r["layer"]][0]:
            best[r["layer"]] = (key, r)
    return sum(float(r["rate"]) for _, r in best.values() if r["scope"] != "product_list")

t0 = np.array([stacked(p) for p in codes]) / 100
t1 = t0.copy()
t1[codes.index(partner)] = rate / 100
M0 = np.array([m0[p][1] for p in codes])
L = np.log((1 + t1) / (1 + t0))
pd = np.exp(phi * L)
mp = M0 * pd ** -eps
b = pd ** -sigma
m1 = mp.sum() * mp * b / (mp * b).sum()
dcs = -M0 * (1 + t0) * (pd ** (1 - eps) - 1) / (1 - eps)
rev0, rev1 = (t0 * M0).sum(), (t1 * m1).sum()
print(json.dumps({"imports_after": m1.sum(), "revenue_after": rev1,
                  "consumer_surplus_change": dcs.sum(),
                  "deadweight_loss": -(dcs.sum() + rev1 - rev0),
                  "cost_per_household": -dcs.sum() * 1e6 / households}))
