#!/usr/bin/env python3
"""The 10 x 10 x 10 sensitivity grid with numpy and scipy, the same computation
as bench/tariff/grid_bench.c: the nested Armington model of
docs/tariff-methods.md 5.0 on CN 20% -> 200% beside MX, CA, ROW, for
eps = 0.5..5, sigma = 0..9 and ex = inf, 0.5, 1, 2, 3, 5, 8, 13, 20, 50.
Infinite supply: closed form, vectorised over (eps, sigma).  Finite supply:
scipy.optimize.root (MINPACK hybrj, the algorithm of GSL's hybridsj) on the
world prices, from the linearised start.
usage: grid.py REPS [dump]
Prints "rows seconds rows_per_second failed"; with dump, the rows as
grid_bench.c does.  Used by bench/tariff.sh."""
import sys, time
import numpy as np
from scipy.optimize import root

reps = int(sys.argv[1])
dump = len(sys.argv) > 2 and sys.argv[2] == "dump"
M0 = np.array([438929.0, 505900.0, 413000.0, 1900000.0])
t0 = np.array([0.20, 0.25, 0.35, 0.10]); t1 = np.array([2.00, 0.25, 0.35, 0.10])
L = np.log1p(t1) - np.log1p(t0)
th = M0 * (1 + t0); V0 = th.sum()
EPS = 0.5 + 0.5 * np.arange(10); SIG = np.arange(10.0)
EX = [np.inf, 0.5, 1, 2, 3, 5, 8, 13, 20, 50]


def lnpi_shares(lr, sigma):
    c = 1 - sigma
    if abs(c) < 1e-12:
        return (th * lr).sum() / V0, th / V0
    e = th * np.exp(c * lr)
    return np.log(e.sum() / V0) / c, e / e.sum()


def totals(y, eps, sigma):
    lr = y + L
    lp, _ = lnpi_shares(lr, sigma)
    m1 = M0 * np.exp((sigma - eps) * lp - sigma * lr)
    w = np.exp(y)
    rev1 = (t1 * m1 * w).sum()
    dcs = -V0 * lp if abs(1 - eps) < 1e-9 else -V0 * np.expm1((1 - eps) * lp) / (1 - eps)
    return m1, rev1, dcs, w


def run():
    rows = []; failed = 0
    for eps in EPS:
        for sigma in SIG:
            for ex in EX:
                if np.isinf(ex):
                    y = np.zeros(4)
                    ok = True
                else:
                    def F(y):
                        lp, _ = lnpi_shares(y + L, sigma)
                        return (sigma - eps) * lp - sigma * (y + L) - ex * y
                    def J(y):
                        _, s = lnpi_shares(y + L, sigma)
                        return (sigma - eps) * np.tile(s, (4, 1)) - np.eye(4) * (sigma + ex)
                    lp0, s0 = lnpi_shares(L, sigma)
                    A = (sigma - eps) * np.tile(s0, (4, 1)) - np.eye(4) * (sigma + ex)
                    y0 = np.linalg.solve(A, -((sigma - eps) * lp0 - sigma * L))
                    y0 = np.clip(y0, -np.abs(L).max(), np.abs(L).max())
                    sol = root(F, y0, jac=J, method="hybr", tol=1e-13)
                    # MINPACK's xtol test may report "no progress" at the rounding
                    # floor: judge the solution by its residual, as GSL does
                    y = sol.x; ok = bool(np.max(np.abs(F(y))) < 1e-9)
                m1, rev1, dcs, w = totals(y, eps, sigma)
                dps = (M0 * np.expm1((1 + ex) * y) / (1 + ex)).sum() if np.isfinite(ex) else ((w - 1) * m1).sum()
                drev = rev1 - (t0 * M0).sum()
                failed += not ok
                rows.append((eps, sigma, ex, int(ok), m1.sum(), rev1, dcs, -(dcs + drev + dps)))
    return rows, failed


start = time.perf_counter()
for _ in range(reps):
    rows, failed = run()
sec = time.perf_counter() - start
print(f"{len(rows) * reps} {sec:.6f} {len(rows) * reps / sec:.0f} {failed}")
if dump:
    for r in rows:
        print("%g %g %g %d %.17g %.17g %.17g %.17g" % r)
