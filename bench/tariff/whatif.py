#!/usr/bin/env python3
"""One tariff what-if with numpy, the same computation as
`tocalc tariff --partner CN --rate 200 --as-of 2025-05-14 --elasticity 1.5 --json`:
read parameters.csv, trade.csv and tariffs.csv, take the stacked rates in force,
evaluate the ces model (the nested Armington model of docs/tariff-methods.md
5.0, infinite supply) for CN, MX, CA
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
L = np.log1p(t1) - np.log1p(t0)
lr = phi * L                                  # buyers' price ratios (log)
w = np.exp((phi - 1) * L)                     # world prices
th = M0 * (1 + t0); V0 = th.sum()
c = 1 - sigma
lnpi = (th * lr).sum() / V0 if abs(c) < 1e-12 else np.log((th * np.exp(c * lr)).sum() / V0) / c
m1 = M0 * np.exp((sigma - eps) * lnpi - sigma * lr)
dcs = -V0 * lnpi if abs(1 - eps) < 1e-9 else -V0 * np.expm1((1 - eps) * lnpi) / (1 - eps)
rev0, rev1 = (t0 * M0).sum(), (t1 * m1 * w).sum()
dps = ((w - 1) * m1).sum()
print(json.dumps({"imports_after": m1.sum(), "revenue_after": rev1,
                  "consumer_surplus_change": dcs,
                  "deadweight_loss": -(dcs + rev1 - rev0 + dps),
                  "cost_per_household": -dcs * 1e6 / households}))
