# tests/data/joinpoint/reference.R: independent expected values for
# tests/unit/test_joinpoint_ext.c (weighted least squares, AR(1) errors),
# computed with R's lm() and nlme::gls(), not with tocalc.
# Re-run: Rscript tests/data/joinpoint/reference.R   (needs r-cran-nlme)
#
# Data: US age-adjusted drug-overdose death rate per 100,000 and deaths,
# 1999-2017 (datasets/overdose_annual.csv, all_drugs; sources there:
# NCHS data briefs db329 etc., CDC WONDER).
suppressPackageStartupMessages(library(nlme))
x <- 1999:2017
rate <- c(6.1, 6.2, 6.8, 8.2, 8.9, 9.4, 10.1, 11.5, 11.9, 11.9,
          11.9, 12.3, 13.2, 13.1, 13.8, 14.7, 16.3, 19.8, 21.7)
deaths <- c(16849, 17415, 19394, 23518, 25785, 27424, 29813, 34425, 36010, 36450,
            37004, 38329, 41340, 41502, 43982, 47055, 52404, 63632, 70237)
n <- length(x); z <- log(rate)
h <- function(tau) pmax(x - tau, 0)
options(digits = 12)

# 1. WLS, k = 2, grid search over observed x (2 points at each end and 2
#    between, joinpoints excluded), weights = deaths (SE = rate/sqrt(D)).
best <- NULL
for (i in 3:(n - 5)) for (j in (i + 3):(n - 2)) {
  f <- lm(z ~ x + h(x[i]) + h(x[j]), weights = deaths)
  s <- sum(deaths * residuals(f)^2)
  if (is.null(best) || s < best$s) best <- list(s = s, i = i, j = j, f = f)
}
f <- best$f; b <- coef(f); V <- vcov(f)
L <- rbind(c(0, 1, 0, 0), c(0, 1, 1, 0), c(0, 1, 1, 1))
sl <- drop(L %*% b); se <- sqrt(diag(L %*% V %*% t(L)))
cat("WLS joinpoints", x[best$i], x[best$j], "weighted SSE", best$s, "\n")
cat("WLS slopes", sl, "\n")
# tocalc's df is n - (2k + 2) = n - 6 (Joinpoint counts the joinpoints); lm's is n - 4
cat("WLS se (lm df n-4)", se, "\n")
cat("WLS se (df n-6)", se * sqrt((n - 4) / (n - 6)), "\n")

# 2. AR(1) at fixed joinpoints 2006 and 2014, unweighted, REML (gls default)
g <- gls(z ~ x + h(2006) + h(2014), correlation = corAR1(form = ~ 1))
rho <- coef(g$modelStruct$corStruct, unconstrained = FALSE)
b <- coef(g); V <- vcov(g)
sl <- drop(L %*% b); se <- sqrt(diag(L %*% V %*% t(L)))
cat("AR1 REML rho", rho, "\n")
cat("AR1 slopes", sl, "\n")
# gls's sigma^2 = SSE~ / (n - 4); tocalc uses df n - 6 - 1 (rho estimated)
cat("AR1 se (gls)", se, "\n")
cat("AR1 se (df n-7)", se * sqrt((n - 4) / (n - 7)), "\n")

# 3. AR(1) with rho fixed at 0.5
g <- gls(z ~ x + h(2006) + h(2014), correlation = corAR1(0.5, form = ~ 1, fixed = TRUE))
b <- coef(g); V <- vcov(g)
sl <- drop(L %*% b); se <- sqrt(diag(L %*% V %*% t(L)))
cat("AR1 fixed 0.5 slopes", sl, "\n")
cat("AR1 fixed 0.5 se (df n-6)", se * sqrt((n - 4) / (n - 6)), "\n")

# 4. Linear model (y, not ln y), k = 2, grid search as in 1, unweighted
best <- NULL
for (i in 3:(n - 5)) for (j in (i + 3):(n - 2)) {
  f <- lm(rate ~ x + h(x[i]) + h(x[j]))
  s <- sum(residuals(f)^2)
  if (is.null(best) || s < best$s) best <- list(s = s, i = i, j = j, f = f)
}
f <- best$f; b <- coef(f); V <- vcov(f)
sl <- drop(L %*% b); se <- sqrt(diag(L %*% V %*% t(L)))
cat("LIN joinpoints", x[best$i], x[best$j], "SSE", best$s, "\n")
cat("LIN slopes", sl, "\n")
cat("LIN se (df n-6)", se * sqrt((n - 4) / (n - 6)), "\n")

# 5. Pooled fits of two series (ln rate, ln deaths) stacked, k0 = 2 common
#    joinpoints on the grid: one curve (coincidence) and one curve plus a
#    group shift (parallelism); minimum SSE over all allowed joinpoint pairs.
zz <- c(log(rate), log(deaths)); xx <- c(x, x); g <- rep(0:1, each = n)
hh <- function(tau) pmax(xx - tau, 0)
bc <- Inf; bp <- Inf
for (i in 3:(n - 5)) for (j in (i + 3):(n - 2)) {
  bc <- min(bc, sum(residuals(lm(zz ~ xx + hh(x[i]) + hh(x[j])))^2))
  bp <- min(bp, sum(residuals(lm(zz ~ g + xx + hh(x[i]) + hh(x[j])))^2))
}
cat("POOLED coincidence SSE", bc, "parallel SSE", bp, "\n")

# 6. Jump model: a step at 2010 (J = 1 from 2010 on), k = 2 joinpoints on the grid
J <- as.numeric(x >= 2010)
best <- NULL
for (i in 3:(n - 5)) for (j in (i + 3):(n - 2)) {
  f <- lm(z ~ x + h(x[i]) + h(x[j]) + J)
  s <- sum(residuals(f)^2)
  if (is.null(best) || s < best$s) best <- list(s = s, i = i, j = j, f = f)
}
f <- best$f; b <- coef(f); se <- sqrt(diag(vcov(f)))
cat("JUMP joinpoints", x[best$i], x[best$j], "SSE", best$s, "\n")
cat("JUMP step", b[["J"]], "ratio", exp(b[["J"]]), "\n")
# tocalc's df is n - (2k + 2) - 1 = n - 7; lm's is n - 5
cat("JUMP step se (df n-7)", se[["J"]] * sqrt((n - 5) / (n - 7)), "\n")
