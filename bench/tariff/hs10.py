#!/usr/bin/env python3
"""Product level with numpy, the same computation as
`tocalc tariff --partner CN --rate 40 --as-of 2025-03-04 --elasticity 1.5
 --imports-file HS10 --product-rates LISTS --json`: stream the Census HS10
file, give each line the highest Section 301 list rate in force on the date
on top of the flat rate (the statutory layers in force on all goods in
datasets/tariffs.csv, MFN and product lists excluded: docs/tariff-methods.md,
"Product level"; the what-if adds --rate 40 points to it), evaluate the ces
model line by line (vectorised), and total by HS chapter.  Used by
bench/tariff.sh (issue 18: the same numbers as tocalc)."""
import csv, json, sys
import numpy as np

hs10, lists = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else "datasets"
eps, add, as_of = 1.5, 40.0, "2025-03-04"

# the rows in force on as_of by layer (latest effective; CN's own row before ALL; later line)
best_row = {}
for i, r in enumerate(csv.DictReader(open(f"{data}/tariffs.csv", newline=""))):
    if r["partner"] not in ("CN", "ALL") or r["status"] in ("proposed", "suspended"):
        continue
    if not (r["effective"] <= as_of and (not r["end"] or r["end"] > as_of)):
        continue
    key = (r["effective"], r["partner"] == "CN", i)
    if r["layer"] not in best_row or key > best_row[r["layer"]][0]:
        best_row[r["layer"]] = (key, r)
flat0 = sum(float(r["rate"]) for _, r in best_row.values()
            if r["scope"] != "product_list" and r["layer"] != "mfn")
flat1 = flat0 + add
# list rates in force on 2025-03-04 (docs/tariff-methods.md, "Product level")
rate = {"1": 25, "2": 25, "3": 25, "3_addl": 25, "4A": 7.5, "4B": 0, "biden_25": 25,
        "biden_50": 50, "biden_100": 100, "biden_25_jan25": 25, "biden_50_jan25": 50,
        "biden_jan26": 0, "cranes_301": 25}
best = {}
for r in csv.DictReader(open(lists, newline="")):
    best[r["hts8"]] = max(best.get(r["hts8"], 0), rate[r["list"]])

hs8, ch, val = [], [], []
for r in csv.DictReader(open(hs10, newline="")):
    hs8.append(r["HS8"]); ch.append(int(r["HS10"][:2])); val.append(float(r["CON_VAL_YR"]))
val = np.array(val)
lr = np.array([best.get(h, 0.0) for h in hs8])
ch = np.array(ch)
keep = val > 0
m0 = val[keep] / 1e6
t0 = (flat0 + lr[keep]) / 100
t1 = (flat1 + lr[keep]) / 100
pd = (1 + t1) / (1 + t0)
m1 = m0 * pd ** -eps
dcs = -m0 * (1 + t0) * (pd ** (1 - eps) - 1) / (1 - eps)
by_ch = np.bincount(ch[keep], weights=m0, minlength=100)
top = np.argsort(-by_ch)[:10]
print(json.dumps({"imports_usd": val.sum(), "lines": int(val.size),
                  "revenue_before": float((t0 * m0).sum()), "revenue_after": float((t1 * m1).sum()),
                  "consumer_surplus_change": float(dcs.sum()), "top_chapter": int(top[0])}))
