#!/usr/bin/env python3
"""Monte Carlo with numpy, the same computation as bench/tariff/mc_bench.c:
N draws of eps and sigma (lognormal, medians 1.5, sdlog 0.3), the ces model
(nested Armington, infinite supply)
for CN 20% -> 200% beside MX and CA, and mean, p5, p50, p95 of 20 outputs.
Prints "draws seconds draws_per_second" for the draw-and-evaluate loop and
for the whole run with the percentiles.  Used by bench/tariff.sh."""
import sys, time
import numpy as np

n = int(sys.argv[1])
M0 = np.array([438929.0, 505900.0, 413000.0])
t0 = np.array([0.20, 0.25, 0.35]); t1 = np.array([2.00, 0.25, 0.35])
L = np.log1p(t1) - np.log1p(t0); th = M0 * (1 + t0); V0 = th.sum(); H = 132737146.0

start = time.perf_counter()
rng = np.random.default_rng(1)
eps = 1.5 * np.exp(0.3 * rng.standard_normal(n))
sig = 1.5 * np.exp(0.3 * rng.standard_normal(n))
c = (1 - sig)[:, None]
lnpi = np.log((th * np.exp(c * L)).sum(axis=1) / V0) / (1 - sig)   # the composite price (nested model)
m1 = M0 * np.exp(((sig - eps) * lnpi)[:, None] - np.outer(sig, L))
dcs = -V0 * np.expm1((1 - eps) * lnpi) / (1 - eps)
rev1 = t1 * m1
tot_rev = rev1.sum(axis=1)
drev = tot_rev - (t0 * M0).sum()
q = m1.sum(axis=1)
div = m1 - M0 * (q / M0.sum())[:, None]
outs = [q, q - M0.sum(), q - M0.sum(), tot_rev, drev, dcs,
        -(dcs + drev), dcs + drev, -dcs * 1e6 / H, eps, sig]
outs += [m1[:, k] for k in range(3)] + [div[:, k] for k in range(3)] + [rev1[:, k] for k in range(3)]
kernel = time.perf_counter() - start
for o in outs:
    o.mean(); np.percentile(o, [5, 50, 95])
total = time.perf_counter() - start
print(f"kernel {n} {kernel:.6f} {n / kernel:.0f}")
print(f"stats {n} {total:.6f} {n / total:.0f}")
