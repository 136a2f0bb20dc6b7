# Reference values for leadscore.analysis.agreement(): what R's psych ICC gives on a 360 table.
#
# Run: R_LIBS=$HOME/Rlib Rscript scripts/agreement_fixtures.R   (writes tests/fixtures/psych_icc.json)
#
# Needs R with psych 2.4.6 or later and jsonlite (see scripts/reliability_fixtures.R). The
# table: 40 leaders, each rated 1 to 7 by 4 raters of one group, a leader effect plus noise,
# seeded; a second table where the leaders barely differ.
suppressMessages({
  library(psych)
  library(jsonlite)
})
stopifnot(packageVersion("psych") >= "2.4.6")

set.seed(2026)
table <- function(spread) {
  leader <- rnorm(40, 0, spread)
  x <- sapply(1:4, function(j) pmin(7, pmax(1, round(4 + leader + rnorm(40, 0, 1) + (j - 2.5) * 0.3))))
  x
}
one <- function(x) {
  icc <- ICC(x, lmer = FALSE)
  r <- icc$results
  list(
    table = x,
    icc = setNames(as.list(r$ICC), r$type),
    # Mean squares between leaders, between rater positions, residual (psych's stats).
    ms = list(between = icc$stats["MS", 1], raters = icc$stats["MS", 2], error = icc$stats["MS", 3])
  )
}
out <- list(
  made_by = paste("psych", packageVersion("psych"), "on", R.version.string),
  spread = one(table(1.2)),
  flat = one(table(0.1))
)
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "tests/fixtures/psych_icc.json")
cat("wrote tests/fixtures/psych_icc.json with", out$made_by, "\n")
