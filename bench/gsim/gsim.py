#!/usr/bin/python3
"""bench/gsim/gsim.py: the multi-region GSIM in numpy/scipy, written apart from
tocalc's C (src/model_gsim.c) as its peer: the benchmark times both, and the
unit tests compare tocalc with numbers this script printed.

Formulated differently on purpose: world prices are solved in levels (not in
logs) with scipy.optimize.root (hybr), demand uses calibrated CES weights
b = theta * p0^(sigma-1), and the surpluses are integrals taken numerically
(scipy.integrate.quad), not closed forms.  The linearised GSIM is the
Francois-Hall one (own and cross price elasticities N), as a linear solve.

usage: gsim.py FILE               solve a GSIM file (docs/gsim.md), print JSON
       gsim.py --random N SEED    a random N-region case (the benchmark's), print JSON
       gsim.py --write N SEED F   write that random case as a GSIM file
Options: --repeat K (time K solves, print seconds per solve on stderr)
"""
import json
import sys
import time

import numpy as np
from scipy import integrate, optimize


def read(path):
    sec, cur = {}, None
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if s.startswith("["):
                cur = s[1:-1]
                sec[cur] = []
                continue
            sec[cur].append([f.strip() for f in s.split(",")])
    reg = sec["regions"]
    h = reg[0]
    names = [r[h.index("region")] for r in reg[1:]]
    em = np.array([float(r[h.index("demand_elasticity")]) for r in reg[1:]])
    es = np.array([float(r[h.index("substitution_elasticity")]) for r in reg[1:]])
    ex = np.array([float(r[h.index("supply_elasticity")].replace("inf", "inf")) for r in reg[1:]])

    def mat(rows):
        hdr = rows[0][1:]
        m = np.zeros((len(names), len(names)))
        for r in rows[1:]:
            i = names.index(r[0])
            for j, c in enumerate(hdr):
                m[i, names.index(c)] = float(r[j + 1])
        return m
    return dict(names=names, em=em, es=es, ex=ex, M=mat(sec["flows"]),
                T0=1 + mat(sec["tariff_before"]) / 100, T1=1 + mat(sec["tariff_after"]) / 100)


def random_case(n, seed):
    rng = np.random.default_rng(seed)
    M = rng.uniform(10, 1000, (n, n)) * (rng.uniform(0, 1, (n, n)) > 0.2)
    np.fill_diagonal(M, rng.uniform(100, 2000, n))
    T0 = 1 + np.round(rng.uniform(0, 30, (n, n)), 2) / 100
    np.fill_diagonal(T0, 1)
    T1 = T0.copy()
    T1[0, 1:] = T0[0, 1:] + 0.25        # everyone raises its tariff on region 0 by 25 points
    return dict(names=["R%d" % i for i in range(n)], em=np.round(rng.uniform(0.5, 3, n), 3),
                es=np.round(rng.uniform(1, 8, n), 3), ex=np.round(rng.uniform(0.5, 10, n), 3),
                M=M, T0=T0, T1=T1)


def write(c, path):
    n = len(c["names"])
    with open(path, "w") as fh:
        fh.write("[regions]\nregion,demand_elasticity,substitution_elasticity,supply_elasticity\n")
        for i in range(n):
            fh.write("%s,%r,%r,%r\n" % (c["names"][i], c["em"][i], c["es"][i], c["ex"][i]))
        for name, m, scale in (("flows", c["M"], 1), ("tariff_before", c["T0"], None),
                               ("tariff_after", c["T1"], None)):
            fh.write("[%s]\nexporter,%s\n" % (name, ",".join(c["names"])))
            for i in range(n):
                row = m[i] if scale else np.round((m[i] - 1) * 100, 6)
                fh.write("%s,%s\n" % (c["names"][i], ",".join(repr(float(x)) for x in row)))


def solve(c):
    M, T0, T1 = c["M"], c["T0"], c["T1"]
    em, es, ex = c["em"], c["es"], c["ex"]
    n = M.shape[0]
    X0 = M.sum(axis=1)                          # exports by exporter (rows)
    E0 = (M * T0).sum(axis=0)                   # expenditure by importer (columns)
    theta = np.where(E0 > 0, M * T0 / np.where(E0 > 0, E0, 1), 0.0)
    var = [r for r in range(n) if X0[r] > 0 and np.isfinite(ex[r])]

    # the linearised GSIM (Francois and Hall): N_own = theta Em - (1 - theta) Es,
    # N_cross = theta_s (Em + Es), with Em = -em
    dT = T1 / T0 - 1
    Em, Es = -em, es

    def lin_residual(x):
        p = np.zeros(n)
        p[var] = x
        out = []
        for r in var:
            dm = 0.0
            for v in range(n):
                if M[r, v] <= 0:
                    continue
                own = theta[r, v] * Em[v] - (1 - theta[r, v]) * Es[v]
                tot = own * (dT[r, v] + p[r])
                for s in range(n):
                    if s != r:
                        tot += theta[s, v] * (Em[v] + Es[v]) * (dT[s, v] + p[s])
                dm += M[r, v] * tot
            out.append(dm - X0[r] * ex[r] * p[r])
        return np.array(out)
    k = len(var)
    if k:
        b0 = lin_residual(np.zeros(k))
        A = np.column_stack([lin_residual(np.eye(k)[j]) - b0 for j in range(k)])
        plin = np.linalg.solve(A, -b0)
    else:
        plin = np.zeros(0)

    # levels: CES weights b, composite Q = E0 P^-em, x = b p^-s P^s Q
    p0 = T0
    b = theta * p0 ** (es - 1)

    def P_index(pw):
        p = T1 * pw[:, None]
        out = np.ones(n)
        for v in range(n):
            if E0[v] <= 0:
                continue
            m = theta[:, v] > 0
            if abs(1 - es[v]) < 1e-12:
                out[v] = np.exp(np.sum(theta[m, v] * np.log(p[m, v] / p0[m, v])))
            else:
                out[v] = np.sum(b[m, v] * p[m, v] ** (1 - es[v])) ** (1 / (1 - es[v]))
        return out

    def demand(pw):
        p = T1 * pw[:, None]
        P = P_index(pw)
        Q = E0 * P ** (-em)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(M > 0, b * p ** (-es[None, :]) * P[None, :] ** es[None, :] * Q[None, :], 0.0)
        return x

    def full(z):
        pw = np.ones(n)
        pw[var] = z
        return pw

    def F(z):
        pw = full(z)
        x = demand(pw)
        return np.array([x[r].sum() / X0[r] - pw[r] ** ex[r] for r in var])
    if k:
        sol = optimize.root(F, 1 + plin, method="hybr", tol=1e-13)
        # hybr may stop on "xtol too small" at the solution: judge by the residual
        if not np.all(np.abs(F(sol.x)) < 1e-11):
            raise SystemExit("gsim.py: no convergence: " + sol.message)
        pw = full(sol.x)
    else:
        pw = np.ones(n)
    x = demand(pw)
    P = P_index(pw)
    cs = np.zeros(n)
    ps = np.zeros(n)
    for v in range(n):
        if E0[v] > 0:
            cs[v] = -integrate.quad(lambda t: E0[v] * t ** (-em[v]), 1, P[v], epsabs=1e-13, epsrel=1e-13)[0]
        if X0[v] > 0 and np.isfinite(ex[v]):
            ps[v] = integrate.quad(lambda t: X0[v] * t ** ex[v], 1, pw[v], epsabs=1e-13, epsrel=1e-13)[0]
    flow1 = x * pw[:, None]
    rev0 = ((T0 - 1) * M).sum(axis=0)
    rev1 = ((T1 - 1) * flow1).sum(axis=0)
    net = cs + ps + rev1 - rev0
    plin_full = np.zeros(n)
    plin_full[var] = plin
    return dict(regions=c["names"], world_price_change_pct=list((pw - 1) * 100),
                world_price_change_linear_pct=list(plin_full * 100),
                import_price_index_change_pct=list((P - 1) * 100),
                producer_surplus=list(ps), consumer_surplus=list(cs),
                tariff_revenue_change=list(rev1 - rev0), net_welfare=list(net),
                flow_after=flow1.tolist())


def main(argv):
    repeat = 1
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        del argv[i:i + 2]
    if argv[:1] == ["--write"]:
        write(random_case(int(argv[1]), int(argv[2])), argv[3])
        return
    c = random_case(int(argv[1]), int(argv[2])) if argv[:1] == ["--random"] else read(argv[0])
    t = time.perf_counter()
    for _ in range(repeat):
        r = solve(c)
    dt = (time.perf_counter() - t) / repeat
    if repeat > 1:
        print("%.6f" % dt, file=sys.stderr)
    json.dump(r, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
