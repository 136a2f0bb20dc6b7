# Reference values for leadscore.analysis.quality(): what R's careless gives on psych's bfi.
#
# Run: R_LIBS=$HOME/Rlib Rscript scripts/quality_fixtures.R   (writes tests/fixtures/careless_quality.json)
#
# Needs R with psych, psychTools (the data), jsonlite and careless 1.2.2 (not in Debian 12:
# install its sources from https://github.com/ryentes/careless with
# R CMD INSTALL --library=$HOME/Rlib careless). The first 600 respondents of bfi, its 25 items
# in the order of its five scales; even-odd on the keyed items (careless expects them keyed).
suppressMessages({
  library(psych)
  library(psychTools)
  library(jsonlite)
  library(careless)
})
stopifnot(packageVersion("careless") >= "1.2.2")

keys <- c("-A1", "A2", "A3", "A4", "A5", "C1", "C2", "C3", "-C4", "-C5", "-E1", "-E2", "E3", "E4", "E5",
          "N1", "N2", "N3", "N4", "N5", "O1", "-O2", "O3", "O4", "-O5")
names <- sub("^-", "", keys)
x <- as.matrix(bfi[1:600, names])
keyed <- x
for (k in keys[startsWith(keys, "-")]) keyed[, sub("^-", "", k)] <- 7 - keyed[, sub("^-", "", k)]
complete <- which(complete.cases(x))
runs <- longstring(x[complete, ], avg = TRUE)
critval <- 0.45
na <- function(v) ifelse(is.na(v), NA, v)

out <- list(
  made_by = paste("careless", packageVersion("careless"), "with psych", packageVersion("psych"), "on",
                  R.version.string),
  rows = "bfi[1:600], items A1..O5; 'complete' are the 1-based rows with every item answered",
  items = names,
  keys = keys,
  complete = complete,
  irv = na(irv(x)),
  longstring = runs$longstr,
  average_run = runs$avgstr,
  mahalanobis = mahad(x[complete, ], plot = FALSE),
  # careless 1.2 reports minus the Spearman-Brown corrected correlation. It needs a data frame:
  # given a matrix, it splits each scale into its first item and its second (colnames() of a
  # matrix row is NULL, so its item positions come out as 1 and 0).
  evenodd = na(suppressWarnings(evenodd(as.data.frame(keyed), rep(5, 5)))),
  synonym_r = critval,
  synonyms = na(psychsyn(x, critval, resample_na = FALSE))
)
write(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null"), "tests/fixtures/careless_quality.json")
cat("wrote tests/fixtures/careless_quality.json with", out$made_by, "\n")
