# The twinstim side of the peer comparison (see ../peer_twinstim.sh and
# ../../../shared/peers/twinstim.md). Reads events.csv (t in days, x/y in km,
# written by bench_heldout) and window.csv (the observation window in the same
# projection), fits an endemic-epidemic model on the training events
# (t < Tc): endemic ~1, epidemic ~1, Gaussian spatial and exponential temporal
# interaction with unbounded ranges (twinstim's default eps.t = eps.s = Inf:
# the same untruncated kernels vigil's model defines), then scores the
# held-out year with the parameters fixed.
# Prints one JSON line.
#
# usage: Rscript twinstim_fit.R DIR TC TEND
suppressPackageStartupMessages({ library(surveillance); library(sp); library(jsonlite) })
args <- commandArgs(TRUE)
dir <- args[1]; Tc <- as.numeric(args[2]); Tend <- as.numeric(args[3])
ev <- read.csv(file.path(dir, "events.csv"))
win <- read.csv(file.path(dir, "window.csv"))
rings <- lapply(split(win, win$ring), function(r) {
  xy <- as.matrix(r[, c("x", "y")]); Polygon(rbind(xy, xy[1, ]))
})
W <- SpatialPolygons(list(Polygons(rings, "W")))
areaW <- sum(sapply(rings, function(p) p@area))

epi <- function(e, breaks) {
  stgrid <- data.frame(start = head(breaks, -1), stop = tail(breaks, -1), tile = factor("W"), area = areaW)
  pts <- SpatialPointsDataFrame(as.matrix(e[, c("x", "y")]),
    data.frame(time = e$t, tile = factor("W"), type = factor("a"), eps.t = Inf, eps.s = Inf))
  as.epidataCS(pts, stgrid, W, qmatrix = diag(1), nCircle2Poly = 32, clipper = "polyclip", verbose = FALSE)
}
train <- ev[ev$t < Tc, ]
heldout <- sum(ev$t > Tc & ev$t <= Tend)
epiTrain <- epi(train, c(0, Tc))
start <- c("h.(Intercept)" = log(nrow(train) / 2 / (areaW * Tc)),
           "e.(Intercept)" = log(0.5 * 0.1 / (2 * pi * 15^2)),
           "e.siaf.1" = log(15), "e.tiaf.1" = 0.05)
elapsed <- system.time(fit <- twinstim(endemic = ~1, epidemic = ~1, siaf = siaf.gaussian(), tiaf = tiaf.exponential(),
  data = epiTrain, start = start, optim.args = list(lower = c(-Inf, -Inf, -Inf, 1e-4)),
  model = FALSE, cumCIF = FALSE, verbose = FALSE))[["elapsed"]]
# Held-out: the same model on all events, likelihood over (Tc, Tend] only,
# earlier events as the prehistory, parameters fixed at the training fit.
epiFull <- epi(ev[ev$t <= Tend, ], c(0, Tc, Tend))
funs <- twinstim(endemic = ~1, epidemic = ~1, siaf = siaf.gaussian(), tiaf = tiaf.exponential(),
  data = epiFull, t0 = Tc, T = Tend, start = coef(fit), optim.args = NULL, verbose = FALSE)
ll <- funs$ll(coef(fit))
cf <- coef(fit)
sigma <- exp(cf[["e.siaf.1"]]); alpha <- cf[["e.tiaf.1"]]
kappa <- exp(cf[["e.(Intercept)"]]) * 2 * pi * sigma^2 / alpha  # untruncated kernel integrals
cat(toJSON(list(train_events = nrow(train), heldout_events = heldout, fit_seconds = elapsed,
  heldout_loglik_per_event = ll / heldout, branching = kappa, half_life_days = log(2) / alpha,
  sigma_km = sigma), auto_unbox = TRUE), "\n")
