#!/usr/bin/python3
"""tests/data/joinpoint/empirical.py: an independent implementation of
Joinpoint's empirical-quantile confidence intervals (resample the final
model's residuals on ln y with replacement, add them to its fitted values,
refit the k-joinpoint model with the joinpoints searched again over every
allowed grid placement, take the 2.5% and 97.5% quantiles of each APC, AAPC
and joinpoint location).  Written from the method's description, not from
tocalc's code: plain enumeration with numpy least squares.
The expected values in tests/unit/test_joinpoint_ext.c come from
    /usr/bin/python3 tests/data/joinpoint/empirical.py 20000
(Monte-Carlo: the test allows for the sampling error of both programs).
Data: US age-adjusted drug-overdose death rate 1999-2017 (see reference.R).
"""
import itertools
import sys

import numpy as np

x = np.arange(1999, 2018, dtype=float)
rate = np.array([6.1, 6.2, 6.8, 8.2, 8.9, 9.4, 10.1, 11.5, 11.9, 11.9,
                 11.9, 12.3, 13.2, 13.1, 13.8, 14.7, 16.3, 19.8, 21.7])
z = np.log(rate)
n = len(x)
K = 2
END, BETWEEN = 2, 2


def combos():
    for c in itertools.combinations(range(END, n - END), K):
        if all(c[j] - c[j - 1] - 1 >= BETWEEN for j in range(1, K)):
            yield c


COMBOS = list(combos())
DESIGNS = []
for c in COMBOS:
    X = np.column_stack([np.ones(n), x] + [np.maximum(x - x[i], 0) for i in c])
    DESIGNS.append((c, X, np.linalg.pinv(X)))


def fit(zz):
    best = None
    for c, X, P in DESIGNS:
        b = P @ zz
        r = zz - X @ b
        s = r @ r
        if best is None or s < best[0]:
            best = (s, c, b, X)
    return best


def summary(b, c):
    slopes = np.cumsum(b[1:])
    apc = 100 * np.expm1(slopes)
    taus = [x[i] for i in c]
    bounds = [x[0]] + taus + [x[-1]]
    w = np.diff(bounds)
    aapc = 100 * np.expm1((w * slopes).sum() / w.sum())
    return list(apc) + taus + [aapc]


def main():
    B = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = np.random.default_rng(20261125)
    s, c, b, X = fit(z)
    yhat = X @ b
    e = z - yhat
    print("observed joinpoints", [x[i] for i in c], "apc", summary(b, c))
    draws = []
    for _ in range(B):
        zz = yhat + rng.choice(e, size=n, replace=True)
        s2, c2, b2, _X = fit(zz)
        draws.append(summary(b2, c2))
    d = np.array(draws)
    names = ["APC1", "APC2", "APC3", "tau1", "tau2", "AAPC"]
    for j, nm in enumerate(names):
        lo, hi = np.quantile(d[:, j], [0.025, 0.975])
        print(f"{nm} {lo:.4f} {hi:.4f}")


main()
