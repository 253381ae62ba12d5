# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A brokerage analysis
#
# Who holds the graph together, and between whom? This notebook walks through a brokerage
# analysis of the whole graph with `kg.open()`: Gould and Fernandez's brokerage roles with two
# partitions (kinds of organisation, then countries), a check of the counts by brute force,
# and Burt's structural holes for the Luxembourg organisations, with a check of the simplest
# case by hand. The definitions are on the [Metrics](../metrics.md) page; the Luxembourg
# reading is the [brokerage tutorial](../tutorials/luxembourg-brokerage.md).
#
# The test suite runs every cell (`tests/docs/test_notebook.py`) and checks what it prints.

# %%
from collections import Counter

import networkx as nx

import kg

g = kg.open()
net = g.network("all")
print(f"{net.number_of_nodes()} nodes, {net.number_of_edges()} relations")

# %% [markdown]
# ## Brokerage between kinds of organisation
#
# `g.brokerage` collapses the multiplex `all` network (funding, membership, partnership,
# referral, placement, revenue) to a simple directed graph, counts each node's brokered pairs
# in the five roles, and compares the total with its expectation under R sna's null model
# (a z-score).

# %%
by_kind = g.brokerage("all", group="kind")
top = sorted(by_kind, key=lambda r: -r["total"])[:6]
for r in top:
    print(f"{r['label']} ({r['country']}, {r['kind']}): {r['total']} pairs, z = {r['z_total']:.1f}")

# %% [markdown]
# The Danish Refugee Council brokers most, far ahead of the rest; ASTI and the Luxembourg Red
# Cross, the two organisations the EWSI analysis names as the frame of Luxembourg's new
# initiatives, come fourth and third.
#
# ## The counts by brute force
#
# A brokered pair of *j* is an ordered pair (*i*, *k*) with *i* → *j* → *k*, *i* ≠ *k* and no
# edge *i* → *k*. Counted directly on the collapsed graph, for every node:

# %%
simple = nx.DiGraph(net)


def brokered_pairs(j: str) -> int:
    """Count the open two-paths through ``j`` (the Gould-Fernandez total)."""
    return sum(
        1
        for i in simple.predecessors(j)
        for k in simple.successors(j)
        if i != k and not simple.has_edge(i, k)
    )


mismatches = [r["label"] for r in by_kind if brokered_pairs(r["node"]) != r["total"]]
print(f"{len(by_kind)} nodes counted, {len(mismatches)} totals differ from the brute force")

# %% [markdown]
# ## Brokerage between countries
#
# The total does not depend on the partition; the roles do. With countries as groups, most
# brokerage is *coordination* inside one country. The nodes that broker *across* countries
# (as liaison, gatekeeper or representative) are few:

# %%
by_country = g.brokerage("all", group="country")
assert [r["total"] for r in by_country] == [r["total"] for r in by_kind]
across = [r for r in by_country if r["liaison"] + r["gatekeeper"] + r["representative"] > 0]
for r in sorted(across, key=lambda r: -(r["liaison"] + r["gatekeeper"] + r["representative"])):
    roles = {k: r[k] for k in ("liaison", "gatekeeper", "representative") if r[k]}
    print(f"{r['label']} ({r['country']}): {roles}")

# %% [markdown]
# Few nodes broker across countries, and mostly as gatekeepers or representatives. The
# Luxembourg Red Cross stands between the IOM's office for Belgium and Luxembourg (country
# `BE`) and the Luxembourg NGOs, in both directions; CLAE is a gatekeeper into Luxembourg:
# AMIF's funding (country `EU`) reaches it, and it passes on to the Refugee Council and OLAI;
# the UNHCR is the one liaison, between the City of Athens and the Czech CSOs.
#
# ## Structural holes in Luxembourg
#
# Burt's constraint is low for a node whose contacts are not tied to each other: it spans
# structural holes. Among the Luxembourg organisations:

# %%
holes = [r for r in g.structural_holes("all") if r["country"] == "LU" and r["constraint"]]
for r in sorted(holes, key=lambda r: r["constraint"])[:5]:
    size = r["effective_size"]
    print(f"{r['label']}: constraint {r['constraint']:.3f}, effective size {size:.2f}")

# %% [markdown]
# CLAE's value can be checked by hand. Its contacts (neighbours in either direction) are not
# tied to one another, so each contributes (1/n)² to the constraint, n times: the constraint
# is 1/n and the effective size is n.

# %%
clae = "https://w3id.org/integration-kg/id/org/lu-clae"
undirected = nx.Graph(simple)
contacts = sorted(undirected[clae])
ties_among_contacts = undirected.subgraph(contacts).number_of_edges()
print([net.nodes[v]["label"] for v in contacts])
n = len(contacts)
print(f"{n} contacts, {ties_among_contacts} ties among them: constraint 1/{n}")
[clae_row] = [r for r in holes if r["node"] == clae]
print(round(clae_row["constraint"], 6) == round(1 / n, 6))

# %% [markdown]
# ## What the kinds of the brokers are
#
# Which kinds of organisation broker at all, with every relation counted:

# %%
kinds = Counter(r["kind"] for r in by_kind if r["total"] > 0)
print(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
