# bench/joinpoint/segmented.R: fit the benchmark series with R's segmented
# (Muggeo) on log(y), the model tocalc's joinpoint fits, and time it.
# usage: Rscript segmented.R FILE NPSI REPS   (FILE: two columns x y, no header)
# Prints one line: seconds_per_fit  breakpoints  sse  status
args <- commandArgs(trailingOnly = TRUE)
d <- read.table(args[1], col.names = c("x", "y"))
npsi <- as.integer(args[2])
reps <- as.integer(args[3])
suppressPackageStartupMessages(library(segmented))
d$z <- log(d$y)
fit0 <- lm(z ~ x, data = d)
one <- function() {
  tryCatch(segmented(fit0, seg.Z = ~x, npsi = npsi),
           error = function(e) e)
}
t <- system.time(for (i in seq_len(reps)) r <- one())[["elapsed"]] / reps
if (inherits(r, "error") || is.null(r$psi)) {
  cat(sprintf("%.6f - - failed:%s\n", t, gsub("[ \n]+", "_", conditionMessage(r))))
} else {
  psi <- paste(sprintf("%.2f", r$psi[, "Est."]), collapse = ";")
  cat(sprintf("%.6f %s %.6f ok\n", t, psi, sum(residuals(r)^2)))
}
