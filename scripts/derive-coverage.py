#!/usr/bin/env python3
"""derive-coverage.py: regenerate datasets/tariff_coverage.csv from the real input files.

Usage: scripts/derive-coverage.py [DATA_DIR] > datasets/tariff_coverage.csv
DATA_DIR defaults to ../shared/data (it must hold us_imports_hs10_2024_*.csv,
section301_china_hts8_lists.csv and tariff-tracker/).  Deterministic: the same
inputs give the same bytes.  Method: docs/effective-rates.md.
"""
import csv
import sys
from collections import defaultdict

D = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
TT = D + "/tariff-tracker"
CTY = {"MX": "2010", "CA": "1220"}
FILES = {"CN": "china", "MX": "mexico", "CA": "canada"}
SRC_HS10 = "census-hs10-2024"
SRC_YALE = "yale-tracker-resources"
COMMIT = "8315fffd"


def T(f):
    """An input file of the tracker, named with the tracker commit."""
    return "tariff-tracker/%s@%s" % (f, COMMIT)


def imports(p):
    """HS10 -> (value, duty) of the 2024 Census file of partner p."""
    out = {}
    with open("%s/us_imports_hs10_2024_%s.csv" % (D, FILES[p]), newline="") as f:
        for r in csv.DictReader(f):
            v = float(r["CON_VAL_YR"])
            d = float(r["CAL_DUT_YR"]) if r["CAL_DUT_YR"] else 0.0
            a = out.get(r["HS10"], (0.0, 0.0))
            out[r["HS10"]] = (a[0] + v, a[1] + d)
    return out


def usmca(path, cty):
    u = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["cty_code"] == cty:
                u[r["hts10"]] = float(r["usmca_share"])
    return u


def fmt(x):
    s = "%.6f" % x
    return "0.000000" if s == "-0.000000" else s


rows = []


def row(p, layer, scope, start, end, share, approx, basis, inputs, source, note=""):
    rid = "%s-%s-%s-%s" % (p.lower(), layer.replace("cell:", "cell-").replace("+", "-").replace("*", "any").replace("_", "-"),
                           scope.replace("_", "-"), start)
    rows.append([rid, p, layer, scope, start, end, fmt(share), str(approx), basis, inputs, source, note])


def in_prefixes(hs10, prefixes):
    return any(hs10.startswith(x) for x in prefixes)


S232_STEEL = ("72", "73")
S232_ALU = ("76",)
AUTOS = ("870322", "870323", "870324", "870331", "870332", "870333", "870334", "870340",
         "870350", "870360", "870370", "870380", "870390", "87042101", "87043101", "87044100",
         "87045100")
with open(TT + "/s232_auto_parts.txt") as f:
    PARTS = tuple(x.strip() for x in f if x.strip() and not x.startswith("#"))

imp = {p: imports(p) for p in ("CN", "MX", "CA")}
tot = {p: sum(v for v, _ in imp[p].values()) for p in imp}

# ---------------------------------------------------------------- Section 232 scopes (all partners)
for p in ("CN", "MX", "CA"):
    m = imp[p]
    for layer, pre, basis in (
            ("s232_steel", S232_STEEL, "HS chapters 72-73 (the tracker's chapter approximation of the steel scope)"),
            ("s232_aluminum", S232_ALU, "HS chapter 76 (the tracker's chapter approximation of the aluminium scope)"),
            ("s232_autos", AUTOS, "HTS headings 8703.22-8703.90 and light trucks 8704.21.01/.31.01/.41/.51 (Proclamation 10908 annex as coded by the tracker)"),
            ("s232_auto_parts", PARTS, "HTS prefixes of s232_auto_parts.txt (Proclamation 10908 annex I parts)")):
        s = sum(v for h, (v, _) in m.items() if in_prefixes(h, pre)) / tot[p]
        approx = 1 if layer in ("s232_steel", "s232_aluminum") or (p != "CN" and layer == "s232_autos") else 0
        row(p, layer, "product_list", "2017-01-01", "", s, approx,
            "share of 2024 imports in " + basis,
            "us_imports_hs10_2024_%s.csv" % FILES[p] + (";" + T("s232_auto_parts.txt") if layer == "s232_auto_parts" else ""),
            SRC_HS10 + ";" + SRC_YALE,
            "2024 import weights for every date; derivative products and metal-content valuation not modelled" if layer.startswith("s232_s") or layer == "s232_aluminum" else "2024 import weights for every date; USMCA content rules for autos not modelled")

# ---------------------------------------------------------------- MFN (all partners, all goods)
for p in ("CN", "MX", "CA"):
    for start, end, approx, when in (("2017-01-01", "2024-01-01", 1, "the 2024 measure carried back"),
                                     ("2024-01-01", "2025-01-01", 0, "measured on 2024 imports"),
                                     ("2025-01-01", "", 1, "the 2024 measure carried forward")):
        row(p, "mfn", "all_goods", start, end, 1.0, approx,
            "the MFN row is a trade-weighted average over all goods (%s)" % when,
            "us_imports_hs10_2024_%s.csv" % FILES[p], SRC_HS10, "")

# ---------------------------------------------------------------- Section 301 cells (China)
L301 = {"1": "s301_list1", "2": "s301_list2", "3": "s301_list3", "3_addl": "s301_list3",
        "4A": "s301_list4a", "4B": "s301_list4b", "biden_25": "s301_review_2024_steel_aluminum",
        "biden_50": "s301_review_2024_solar_cells", "biden_100": "s301_review_2024_ev",
        "biden_25_jan25": "s301_review_2024_textile_facemasks",
        "biden_50_jan25": "s301_review_2024_semiconductors",
        "biden_jan26": "s301_review_2024_li_ion_non_ev_batteries",
        "cranes_301": "s301_review_2024_sts_cranes"}
lists = defaultdict(set)
with open(D + "/section301_china_hts8_lists.csv", newline="") as f:
    for r in csv.DictReader(f):
        lists[r["hts8"]].add(L301[r["list"]])
cells = defaultdict(float)
for h, (v, _) in imp["CN"].items():
    ls = lists.get(h[:8])
    if ls:
        cells["+".join(sorted(ls))] += v
for k in sorted(cells):
    row("CN", "cell:" + k, "product_list", "2017-01-01", "", cells[k] / tot["CN"], 0,
        "cell: share of 2024 imports from China whose HTS8 is on exactly these Section 301 lists; the highest rate in force applies",
        "section301_china_hts8_lists.csv (resources/s301_product_lists.csv@%s);us_imports_hs10_2024_china.csv" % COMMIT, "yale-tracker-s301-lists;" + SRC_HS10,
        "exclusions granted by USTR not modelled (overstates coverage)")

# ---------------------------------------------------------------- IEEPA reciprocal (China)
exempt = set()
with open(TT + "/ieepa_exempt_products.csv", newline="") as f:
    for r in csv.DictReader(f):
        exempt.add(r["hts10"])
m = imp["CN"]
cov = sum(v for h, (v, _) in m.items()
          if h not in exempt and not in_prefixes(h, S232_STEEL + S232_ALU + AUTOS + PARTS)) / tot["CN"]
row("CN", "ieepa_reciprocal", "all_goods", "2025-04-05", "", cov, 0,
    "1 minus the 2024 import share of the Annex II exemptions (as amended) and of Section 232 goods",
    T("ieepa_exempt_products.csv") + ";us_imports_hs10_2024_china.csv", "eo-14257;yale-tracker-resources;" + SRC_HS10,
    "exemption list of the tracker applied from the first day; the 2025-04-11 electronics exemption is in that list")
row("CN", "ieepa_fentanyl", "all_goods", "2025-02-04", "", 1.0, 0,
    "EO 14195 applies to all goods of China and Hong Kong", "", "eo-14195", "")

# ---------------------------------------------------------------- USMCA and IEEPA fentanyl (Mexico, Canada)
carve = defaultdict(set)
with open(TT + "/fentanyl_carveout_products.csv", newline="") as f:
    for r in csv.DictReader(f):
        carve[r["category"]].add(r["hts8"])
CARVE = {"MX": {"ieepa_fentanyl_mx_potash": "potash_mx"},
         "CA": {"ieepa_fentanyl_ca_energy": "energy_ca", "ieepa_fentanyl_ca_potash": "potash_ca"}}
# the carve-outs in force from 2025-03-04 (potash only from 2025-03-07), and the
# orders of 2025-03-06 that gave potash its 10% (sources.csv ids)
ENERGY = {"MX": (), "CA": ("energy_ca",)}
AMEND = {"MX": "EO 14232", "CA": "EO 14231"}
AMEND_SRC = {"MX": "cbp-90fr11746", "CA": "cbp-90fr11743"}
periods = [("2024", "2017-01-01", "2025-01-01", TT + "/usmca_product_shares_2024.csv")]
for mo in range(1, 13):
    nxt = "2026-01-01" if mo == 12 else "2025-%02d-01" % (mo + 1)
    periods.append(("2025-%02d" % mo, "2025-%02d-01" % mo, nxt if mo < 12 else "",
                    TT + "/usmca_product_shares_2025_%02d.csv" % mo))
for p in ("MX", "CA"):
    m = imp[p]
    cv = set().union(*(carve[c] for c in CARVE[p].values()))
    for per, start, end, path in periods:
        u = usmca(path, CTY[p])
        inputs = T(path.rsplit("/", 1)[1]) + ";us_imports_hs10_2024_%s.csv" % FILES[p]
        srcs = "yale-tracker-usmca-shares;usitc-dataweb;" + SRC_HS10
        non = sum(v * (1 - u.get(h, 0.0)) for h, (v, _) in m.items()) / tot[p]
        matched = sum(v for h, (v, _) in m.items() if h in u) / tot[p]
        approx = 1 if per == "2024" or per == "2025-12" else 0
        when = ("the 2024 annual share, used for every date before 2025" if per == "2024"
                else "the share of %s, used from that month on" % per if per == "2025-12"
                else "the share of %s" % per)
        note = "HTS10 lines with a USMCA share: %.1f%% of 2024 imports (the rest counted as non-USMCA)" % (100 * matched)
        row(p, "*", "non_usmca", start, end, non, approx,
            "1 minus the USMCA-claimed share of imports (%s), weighted by 2024 HTS10 imports" % when,
            inputs, srcs, note)
        # EO 14289: an article paying the Section 232 autos tariff (autos from
        # 2025-04-03, parts from 2025-05-03) does not pay the fentanyl tariff
        # of Canada or Mexico; the months from April and May leave them out
        s232 = (AUTOS if start >= "2025-04-01" else ()) + (PARTS if start >= "2025-05-01" else ())
        fen = sum(v * (1 - u.get(h, 0.0)) for h, (v, _) in m.items()
                  if h[:8] not in cv and not in_prefixes(h, s232)) / tot[p]
        row(p, "ieepa_fentanyl", "non_usmca", start, end, fen, approx,
            "non-USMCA share (%s) outside the energy and potash carve-outs%s, 2024 HTS10 weights"
            % (when, " and the Section 232 autos%s (EO 14289)" % (" and parts" if start >= "2025-05-01" else "")
               if s232 else ""),
            inputs + ";" + T("fentanyl_carveout_products.csv"), srcs + (";eo-14289" if s232 else ""), note)
        for layer, cat in sorted(CARVE[p].items()):
            s = sum(v * (1 - u.get(h, 0.0)) for h, (v, _) in m.items() if h[:8] in carve[cat]) / tot[p]
            nonus = ("non-USMCA share (%s) of the %s carve-out lines, 2024 HTS10 weights" % (when, cat),
                     inputs + ";" + T("fentanyl_carveout_products.csv"), srcs, note, s, approx)
            spans = [(start, end, nonus)]
            if per == "2025-03" and cat.startswith("energy"):
                # the energy layer is in force from 2025-03-04, and no USMCA
                # exemption applied before 2025-03-07 (CBP 90 FR 11743): on
                # those three days every energy line paid it
                full = sum(v for h, (v, _) in m.items() if h[:8] in carve[cat]) / tot[p]
                spans = [(start, "2025-03-04", nonus),
                         ("2025-03-04", "2025-03-07",
                          ("all the %s carve-out lines (no USMCA exemption before 2025-03-07), "
                           "2024 HTS10 weights" % cat,
                           T("fentanyl_carveout_products.csv") + ";us_imports_hs10_2024_%s.csv" % FILES[p],
                           "yale-tracker-resources;" + SRC_HS10 + ";cbp-90fr11743", "", full, 0)),
                         ("2025-03-07", end, nonus)]
            for a, b, (basis, inp, src, nt, sh, ap) in spans:
                row(p, layer, "product_list", a, b, sh, ap, basis, inp, src, nt)
        if per == "2025-03":
            # 2025-03-04 to 2025-03-06: no USMCA exemption yet, and potash paid
            # the general 25% (its 10% rate starts 12:01 a.m. 2025-03-07 with the
            # orders of 2025-03-06), so only Canada's energy lines (10% from
            # 2025-03-04, EO 14193) stay out of the general rate
            ev = set().union(*(carve[c] for c in ENERGY[p]))
            s = sum(v for h, (v, _) in m.items() if h[:8] not in ev) / tot[p]
            if ev:
                basis = ("all goods outside the energy carve-out (10%% from 2025-03-04): no USMCA exemption "
                         "before 2025-03-07, and potash paid the general rate until its 10%% of 2025-03-07 (%s)"
                         % AMEND[p])
                inputs = T("fentanyl_carveout_products.csv") + ";us_imports_hs10_2024_%s.csv" % FILES[p]
                srcs = "%s;yale-tracker-resources;%s" % (AMEND_SRC[p], SRC_HS10)
            else:
                basis = ("all goods (no energy carve-out for Mexico): no USMCA exemption before 2025-03-07, "
                         "and potash paid the general rate until its 10%% of 2025-03-07 (%s)" % AMEND[p])
                inputs = "us_imports_hs10_2024_%s.csv" % FILES[p]
                srcs = "%s;%s" % (AMEND_SRC[p], SRC_HS10)
            row(p, "ieepa_fentanyl", "all_goods", "2025-03-04", "2025-03-07", s, 0, basis, inputs, srcs, "")

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["id", "partner", "layer", "scope", "start", "end", "share", "approximated", "basis",
            "inputs", "source", "note"])
for r in rows:
    w.writerow(r)
