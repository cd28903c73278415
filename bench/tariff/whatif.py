#!/usr/bin/env python3
"""One tariff what-if with numpy, the same computation as
`tocalc tariff --partner CN --rate 200 --as-of 2025-05-14 --elasticity 1.5 --json`,
written from the documents, not from tocalc's code: read parameters.csv,
trade.csv, tariffs.csv and tariff_coverage.csv; take each partner's effective
rate in force (docs/effective-rates.md: the layers in force by the stacking rule
of docs/tariff-methods.md section 2, each statutory rate times its coverage
share, the Section 301 cells given to their highest-rate layer); add the what-if
(+rate points on all goods, coverage 1) to CN; evaluate the ces model (the nested
Armington model of docs/tariff-methods.md, infinite supply) over CN, MX, CA and
the rest of the world (ROW, whose rows are the ALL rows) and print the totals as
JSON.  Used by bench/tariff.sh (issue 18: the same numbers as tocalc)."""
import csv, json, sys
import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else "datasets"
as_of, eps, partner, rate = "2025-05-14", 1.5, "CN", 200.0

par = {r["name"]: r for r in csv.DictReader(open(f"{data}/parameters.csv", newline=""))}
sigma = float(par["substitution_elasticity"]["value"])
households = float(par["us_households"]["value"])
phi = float(par["pass_through_border"]["value"])

codes = ["CN", "MX", "CA", "ROW"]
m0 = {}
for r in csv.DictReader(open(f"{data}/trade.csv", newline="")):
    if r["year"] == "2024" and r["flow"] == "imports" and r["value_musd"]:
        rank = {"census_general": 3, "census_consumption": 2, "derived": 1}.get(r["basis"], 0)
        if rank and rank > m0.get(r["partner"], (0, 0))[0]:
            m0[r["partner"]] = (rank, float(r["value_musd"]))

rows = list(csv.DictReader(open(f"{data}/tariffs.csv", newline="")))
cov = list(csv.DictReader(open(f"{data}/tariff_coverage.csv", newline="")))


def in_force(start, end, d):
    return start <= d and (not end or end > d)


def layers(p):
    """The rows in force by layer: latest effective, own row before ALL, later line."""
    best = {}
    for i, r in enumerate(rows):
        if r["partner"] not in (p, "ALL") or r["status"] in ("proposed", "suspended"):
            continue
        if not in_force(r["effective"], r["end"], as_of):
            continue
        key = (r["effective"], r["partner"] == p, i)
        if r["layer"] not in best or key > best[r["layer"]][0]:
            best[r["layer"]] = (key, r)
    return {k: v[1] for k, v in best.items()}


def share(p, layer, scope):
    star = None
    for r in cov:
        if r["partner"] != p or r["scope"] != scope or not in_force(r["start"], r["end"], as_of):
            continue
        if r["layer"] == layer:
            return float(r["share"])
        if r["layer"] == "*" and star is None:
            star = float(r["share"])
    if star is not None:
        return star
    if layer == "whatif" or (scope == "non_usmca" and p in ("CN", "ALL")):
        return 1.0
    return 0.0 if scope == "product_list" else 1.0


def effective(p):
    """Effective rate in percent of partner p (timeline code: ROW reads the ALL rows)."""
    code = "ALL" if p == "ROW" else p
    lay = layers(code)
    cells = [r for r in cov if r["partner"] == code and r["layer"].startswith("cell:")]
    cell_layers = {x for r in cells for x in r["layer"][5:].split("+")}
    live = [r for r in cells if in_force(r["start"], r["end"], as_of)]
    c = {}
    for name, r in lay.items():
        if name in cell_layers or (live and name.startswith("s301_")):
            c[name] = 0.0
        else:
            c[name] = share(code, name, r["scope"])
    for r in live:
        best = None
        for name in r["layer"][5:].split("+"):
            if name in lay and (best is None or float(lay[name]["rate"]) > float(lay[best]["rate"])):
                best = name
        if best is not None:
            c[best] += float(r["share"])
    return sum(float(lay[n]["rate"]) * min(c[n], 1.0) for n in lay)


t0 = np.array([effective(p) for p in codes]) / 100
t1 = t0.copy()
t1[codes.index(partner)] += rate / 100 * share(partner, "whatif", "all_goods")
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
print(json.dumps({"tariff_before_pct": dict(zip(codes, (100 * t0).tolist())),
                  "imports_after": m1.sum(), "revenue_after": rev1,
                  "consumer_surplus_change": dcs,
                  "deadweight_loss": -(dcs + rev1 - rev0 + dps),
                  "cost_per_household": -dcs * 1e6 / households}))
