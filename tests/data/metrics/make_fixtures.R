# Reference values for tests/metrics from R sna (brokerage) and R igraph (constraint,
# betweenness). Run from the repository root:
#
#   Rscript tests/data/metrics/make_fixtures.R
#
# Needs Debian's r-cran-sna, r-cran-igraph and r-cran-jsonlite. Writes one JSON file per
# graph into tests/data/metrics/. Each file holds the graph itself (nodes in order, groups,
# directed flag, edges with weights), so the Python tests rebuild exactly the same input,
# and the R results with their original names. NaN is written as null.

suppressPackageStartupMessages({
  library(sna)
  library(igraph)
  library(jsonlite)
})

out_dir <- file.path("tests", "data", "metrics")

# ---------------------------------------------------------------------------- graphs
# Each graph: nodes (character, in order), groups (same order), directed (logical),
# edges: data.frame(source, target, weight). Self-loops allowed; no duplicate edges.

edges_df <- function(src, dst, w = NULL) {
  if (is.null(w)) w <- rep(1, length(src))
  data.frame(source = src, target = dst, weight = w, stringsAsFactors = FALSE)
}

graphs <- list()

# Every role once or twice; worked by hand in tests/metrics/test_brokerage.py.
graphs$roles_directed <- list(
  nodes = c("a1", "a2", "a3", "b1", "b2", "c1", "c2"),
  groups = c("A", "A", "A", "B", "B", "C", "C"),
  directed = TRUE,
  edges = edges_df(
    c("a1", "a2", "a2", "b1", "c1", "a3", "b2"),
    c("a2", "a3", "b1", "c1", "c2", "b2", "a1")
  )
)

# The definitions note's example: undirected input counts every open pair twice.
graphs$undirected_tiny <- list(
  nodes = c("a1", "a2", "a3", "b1"),
  groups = c("A", "A", "A", "B"),
  directed = FALSE,
  edges = edges_df(c("a1", "a2", "a1", "a2"), c("a2", "a3", "a3", "b1"))
)

# Mutual ties, a closing edge in the k -> i direction only, and an i -> j -> i path.
graphs$reciprocal <- list(
  nodes = c("x1", "x2", "y1", "y2", "z1"),
  groups = c("X", "X", "Y", "Y", "Z"),
  directed = TRUE,
  edges = edges_df(
    c("x1", "x2", "x2", "y1", "y1", "z1", "y2", "y1"),
    c("x2", "x1", "y1", "x2", "z1", "x2", "y1", "y2")
  )
)

# Self-loops change the density (and so E, sd, z) but never broker. x4 has only a loop.
graphs$selfloops <- list(
  nodes = c("x1", "x2", "x3", "x4", "y1", "y2"),
  groups = c("X", "X", "X", "X", "Y", "Y"),
  directed = TRUE,
  edges = edges_df(
    c("x1", "x2", "x2", "x1", "y1", "y2", "x4", "x3"),
    c("x2", "x3", "y1", "x1", "y2", "x1", "x4", "y2")
  )
)

# Isolates listed in the partition count in N and in their group's size.
graphs$isolates <- list(
  nodes = c("p1", "p2", "p3", "q1", "q2", "r1", "iso_p", "iso_q", "iso_s"),
  groups = c("P", "P", "P", "Q", "Q", "R", "P", "Q", "S"),
  directed = TRUE,
  edges = edges_df(
    c("p1", "p2", "p2", "q1", "q2", "r1", "p3"),
    c("p2", "p3", "q1", "r1", "p1", "p3", "q2")
  )
)

# Singleton groups and a group of two: impossible roles have sd = 0 and z = NaN.
graphs$singleton_groups <- list(
  nodes = c("s1", "s2", "s3", "t1", "t2", "u1"),
  groups = c("S", "S", "S", "T", "T", "U"),
  directed = TRUE,
  edges = edges_df(
    c("s1", "s2", "s3", "t1", "t2", "u1", "s2", "t1"),
    c("s2", "t1", "u1", "t2", "s1", "s3", "s3", "u1")
  )
)

# Complete digraph: d = 1, every E and sd is 0, every z NaN.
nodes_k <- c("k1", "k2", "k3", "k4")
pairs_k <- expand.grid(source = nodes_k, target = nodes_k, stringsAsFactors = FALSE)
pairs_k <- pairs_k[pairs_k$source != pairs_k$target, ]
graphs$complete4 <- list(
  nodes = nodes_k,
  groups = c("K", "K", "L", "L"),
  directed = TRUE,
  edges = edges_df(pairs_k$source, pairs_k$target)
)

# Random digraph, 60 nodes, 4 groups, some reciprocated ties, weights 1..3, 3 loops.
set.seed(20240605)
n_r <- 60
nodes_r <- sprintf("v%02d", seq_len(n_r))
groups_r <- c("g1", "g2", "g3", "g4")[sample.int(4, n_r, replace = TRUE, prob = c(4, 3, 2, 1))]
adj_r <- matrix(rbinom(n_r * n_r, 1, 0.06), n_r, n_r)
diag(adj_r) <- 0
diag(adj_r)[c(3, 17, 41)] <- 1
ij <- which(adj_r == 1, arr.ind = TRUE)
ij <- ij[order(ij[, 1], ij[, 2]), ]
graphs$random_60_4groups <- list(
  nodes = nodes_r,
  groups = groups_r,
  directed = TRUE,
  edges = edges_df(nodes_r[ij[, 1]], nodes_r[ij[, 2]], sample(1:3, nrow(ij), replace = TRUE))
)

# Random undirected graph, 40 nodes, 3 groups, weights, one isolate.
set.seed(7)
n_u <- 40
nodes_u <- sprintf("u%02d", seq_len(n_u))
groups_u <- c("red", "green", "blue")[sample.int(3, n_u, replace = TRUE)]
adj_u <- matrix(0, n_u, n_u)
adj_u[upper.tri(adj_u)] <- rbinom(n_u * (n_u - 1) / 2, 1, 0.1)
adj_u[n_u, ] <- 0
adj_u[, n_u] <- 0
ij_u <- which(adj_u == 1, arr.ind = TRUE)
ij_u <- ij_u[order(ij_u[, 1], ij_u[, 2]), ]
graphs$random_undirected_40 <- list(
  nodes = nodes_u,
  groups = groups_u,
  directed = FALSE,
  edges = edges_df(nodes_u[ij_u[, 1]], nodes_u[ij_u[, 2]], sample(c(0.5, 1, 2), nrow(ij_u), TRUE))
)

# ---------------------------------------------------------------------------- compute

na_null <- function(x) {
  x[is.nan(x)] <- NA
  x
}

run_one <- function(name, g) {
  N <- length(g$nodes)
  idx <- setNames(seq_len(N), g$nodes)
  s <- idx[g$edges$source]
  t <- idx[g$edges$target]
  # Adjacency matrix as sna reads it: every nonzero cell is one edgelist row; an undirected
  # edge fills both cells, a loop one diagonal cell.
  A <- matrix(0, N, N, dimnames = list(g$nodes, g$nodes))
  A[cbind(s, t)] <- 1
  if (!g$directed) A[cbind(t, s)] <- 1
  br <- brokerage(A, g$groups)

  ig <- graph_from_data_frame(
    g$edges,
    directed = g$directed,
    vertices = data.frame(name = g$nodes, stringsAsFactors = FALSE)
  )
  stopifnot(identical(V(ig)$name, g$nodes))
  res <- list(
    name = name,
    generated_by = paste0(
      "R ", R.version$major, ".", R.version$minor,
      ", sna ", as.character(packageVersion("sna")),
      ", igraph ", as.character(packageVersion("igraph"))
    ),
    graph = list(
      nodes = g$nodes,
      groups = g$groups,
      directed = g$directed,
      edges = g$edges
    ),
    sna_brokerage = list(
      columns = colnames(br$raw.nli),
      raw_nli = unname(br$raw.nli),
      exp_nli = unname(na_null(br$exp.nli)),
      sd_nli = unname(na_null(br$sd.nli)),
      z_nli = unname(na_null(br$z.nli)),
      raw_gli = unname(br$raw.gli),
      exp_gli = unname(na_null(br$exp.gli)),
      sd_gli = unname(na_null(br$sd.gli)),
      z_gli = unname(na_null(br$z.gli)),
      exp_grp = unname(na_null(br$exp.grp)),
      sd_grp = unname(na_null(br$sd.grp)),
      clid = as.character(br$clid),
      n = br$n,
      N = br$N,
      m = sum(A != 0)
    ),
    igraph = list(
      constraint = na_null(unname(constraint(ig, weights = rep(1, ecount(ig))))),
      constraint_weighted = na_null(unname(constraint(ig, weights = E(ig)$weight))),
      betweenness = unname(igraph::betweenness(ig, directed = g$directed, weights = NA)),
      betweenness_normalized = unname(
        igraph::betweenness(ig, directed = g$directed, weights = NA, normalized = TRUE)
      ),
      betweenness_weighted = unname(
        igraph::betweenness(ig, directed = g$directed, weights = E(ig)$weight)
      )
    )
  )
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(toJSON(res, digits = NA, na = "null", auto_unbox = TRUE, pretty = TRUE), path)
  cat("wrote", path, "\n")
}

for (nm in names(graphs)) run_one(nm, graphs[[nm]])
