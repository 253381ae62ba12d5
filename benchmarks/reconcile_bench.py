"""Benchmark kg.reconcile: 100,000 incoming organisations against 1,000,000 existing (on demand).

    .venv/bin/python -m benchmarks.reconcile_bench                   # 1M existing, 100k incoming
    .venv/bin/python -m benchmarks.reconcile_bench --existing 100000 --incoming 10000
    .venv/bin/python -m benchmarks.run --only reconcile               # the same, results saved

The data (seeded, generated here in memory): existing organisations named as
:mod:`kg.synthetic` names them (its name forms and words) around one or two invented words
drawn from a vocabulary of 200,000 (syllable words, so that names differ as real ones do), with
countries drawn by Zipf over :data:`kg.synthetic.COUNTRY_RANK`; a fifth have an acronym, a tenth
an org-id identifier. The incoming ones: 10 % carry an existing identifier (expected ``same``),
30 % are an existing name with one change a person makes (a letter dropped, doubled or swapped
after the fourth of a word, other case, accents, words reordered, a legal form added;
expected ``proposed`` for that organisation), 10 % an existing name in another country
(must never be proposed), 50 % new names.

Measured in the same run, on the same machine:

1. ``OrgIndex.from_records`` over the existing organisations, then ``OrgIndex.match`` for every
   incoming one: seconds, matches per second, verdict counts, and how many of the changed
   names were proposed for the right organisation.
2. Baselines on a sample of incoming names (the time extrapolated to all of them, and said so):
   an unblocked rapidfuzz scan (``process.extract`` over every existing name of the country,
   then the same scorer, :func:`kg.reconcile.name_score`) and the plain-Python way,
   ``difflib.get_close_matches`` over every existing name. The unblocked scan is also the
   reference for what blocking loses: on the sample, the candidates at or above the proposal
   threshold are compared with the blocked ones.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.reconcile import PROPOSE_THRESHOLD, OrgIndex, OrgRecord, name_form, name_score  # noqa: E402
from kg.synthetic import COUNTRY_RANK, NAME_FORMS, NAME_WORDS  # noqa: E402

CONSONANTS = "bcdfghklmnprstvz"
VOWELS = "aeiou"
LEGAL = ("a.s.b.l.", "e.V.", "Ltd", "asbl", "gGmbH")


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """``size`` distinct invented words of two or three syllables, capitalised."""
    syllables = [c + v for c in CONSONANTS for v in VOWELS]
    words: set[str] = set()
    while len(words) < size:
        n = 2 if rng.random() < 0.4 else 3
        words.add("".join(rng.choice(syllables) for _ in range(n)).capitalize())
    return sorted(words)


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (k**s) for k in range(1, n + 1)]


def invent_name(rng: random.Random, vocab: list[str]) -> str:
    core = " ".join(rng.choice(vocab) for _ in range(rng.choice((1, 2, 2))))
    if rng.random() < 0.3:
        core = f"{rng.choice(NAME_WORDS)} {core}"
    return rng.choice(NAME_FORMS).format(w=core)


def acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper()).upper()


def existing(n: int, seed: int) -> tuple[list[OrgRecord], list[str]]:
    rng = random.Random(seed)
    vocab = vocabulary(rng, 200_000)
    weights = zipf_weights(len(COUNTRY_RANK))
    countries = rng.choices(COUNTRY_RANK, weights, k=n)
    out = []
    for i in range(n):
        name = invent_name(rng, vocab)
        names: tuple[str, ...] = (name,)
        if rng.random() < 0.2:
            names += (acronym(name),)
        ids = (f"{countries[i]}-REG-{i + 1}",) if rng.random() < 0.1 else ()
        out.append(OrgRecord(f"urn:org:{i + 1}", names, countries[i], "cso", ids))
    return out, vocab


def change(rng: random.Random, name: str) -> str:
    """One change a person makes to a name."""
    words = name.split()
    how = rng.choice(("drop", "double", "swap", "case", "accent", "order", "legal"))
    long_words = [i for i, w in enumerate(words) if len(w) > 5]
    if how in ("drop", "double", "swap") and long_words:
        i = rng.choice(long_words)
        w = words[i]
        j = rng.randrange(4, len(w) - 1)
        if how == "drop":
            w = w[:j] + w[j + 1 :]
        elif how == "double":
            w = w[:j] + w[j] + w[j:]
        else:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        words[i] = w
    elif how == "case":
        return name.upper() if rng.random() < 0.5 else name.lower()
    elif how == "accent":
        return name.replace("e", "é", 1).replace("a", "à", 1)
    elif how == "order" and len(words) > 1:
        rng.shuffle(words)
    else:
        words.append(rng.choice(LEGAL))
    return " ".join(words)


def incoming(records: list[OrgRecord], vocab: list[str], n: int, seed: int) -> list[dict[str, Any]]:
    """Incoming records with what each is expected to be."""
    rng = random.Random(seed + 1)
    out = []
    with_ids = [r for r in records if r.identifiers]
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1 and with_ids:
            r = rng.choice(with_ids)
            out.append({"name": invent_name(rng, vocab), "country": r.country,
                        "identifiers": r.identifiers, "expect": "same", "iri": r.iri})  # fmt: skip
        elif roll < 0.4:
            r = rng.choice(records)
            out.append({"name": change(rng, r.names[0]), "country": r.country,
                        "expect": "proposed", "iri": r.iri})  # fmt: skip
        elif roll < 0.5:
            r = rng.choice(records)
            other = rng.choice([c for c in COUNTRY_RANK if c != r.country])
            out.append({"name": r.names[0], "country": other, "expect": "not", "iri": r.iri})
        else:
            out.append({"name": invent_name(rng, vocab), "country": rng.choice(COUNTRY_RANK),
                        "expect": "new", "iri": None})  # fmt: skip
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n_existing: int, n_incoming: int, seed: int, sample: int, difflib_sample: int) -> dict:
    t = time.perf_counter()
    records, vocab = existing(n_existing, seed)
    queries = incoming(records, vocab, n_incoming, seed)
    generated = time.perf_counter() - t
    print(f"generated {n_existing:,} + {n_incoming:,} in {generated:.1f} s", flush=True)

    gc.collect()
    gc.freeze()  # a million records: the collector would rescan them at every allocation burst
    t = time.perf_counter()
    index = OrgIndex.from_records(records)
    built = time.perf_counter() - t
    print(f"index of {len(index):,} built in {built:.1f} s", flush=True)

    t = time.perf_counter()
    answers = [
        index.match(q["name"], country=q["country"], identifiers=q.get("identifiers", ()))
        for q in queries
    ]
    matched = time.perf_counter() - t
    print(f"{n_incoming:,} matched in {matched:.1f} s", flush=True)

    verdicts = Counter(a.verdict for a in answers)
    quality = Counter()
    for q, a in zip(queries, answers, strict=True):
        best = a.best.iri if a.best else None
        if q["expect"] == "same":
            quality["same: same, right organisation"] += a.verdict == "same" and best == q["iri"]
            quality["same: expected"] += 1
        elif q["expect"] == "proposed":
            quality["changed name: expected"] += 1
            quality["changed name: proposed, right organisation"] += (
                a.verdict == "proposed" and best == q["iri"]
            )
            quality["changed name: right organisation among candidates"] += q["iri"] in {
                c.iri for c in a.candidates
            }
        elif q["expect"] == "not":
            quality["namesake in another country: expected"] += 1
            quality["namesake in another country: proposed (must be 0)"] += any(
                c.iri == q["iri"] for c in a.candidates if a.verdict in ("proposed", "same")
            )
        else:
            quality["new name: expected"] += 1
            quality["new name: proposed (false proposals)"] += a.verdict == "proposed"

    # Baselines on a sample: the same scorer without blocking, and plain-Python difflib.
    rng = random.Random(seed + 2)
    picks = rng.sample(range(n_incoming), min(sample, n_incoming))
    by_country: dict[str, list[str]] = {}
    owner: dict[str, list[str]] = {}
    for r in records:
        for name in r.names:
            by_country.setdefault(r.country or "", []).append(name_form(name))
            owner.setdefault(r.country or "", []).append(r.iri)
    t = time.perf_counter()
    lost = 0
    compared = 0
    for i in picks:
        q = queries[i]
        cc = q["country"] or ""
        hits = process.extract(
            name_form(q["name"]), by_country[cc], scorer=fuzz.ratio, processor=None,
            score_cutoff=PROPOSE_THRESHOLD, limit=None,
        )  # fmt: skip
        form = name_form(q["name"])
        full = {
            owner[cc][j] for other, _, j in hits if name_score(form, other) >= PROPOSE_THRESHOLD
        }
        blocked = {
            c.iri
            for c in index.match(q["name"], country=q["country"], limit=1000).candidates
            if c.score >= PROPOSE_THRESHOLD
        }
        compared += len(full)
        lost += len(full - blocked)
    scan = (time.perf_counter() - t) / len(picks)

    all_names = [name_form(n) for r in records for n in r.names]
    t = time.perf_counter()
    for i in picks[:difflib_sample]:
        difflib.get_close_matches(name_form(queries[i]["name"]), all_names, n=5, cutoff=0.9)
    naive = (time.perf_counter() - t) / difflib_sample

    return {
        "existing": n_existing,
        "incoming": n_incoming,
        "generate_s": generated,
        "index_s": built,
        "match_s": matched,
        "total_s": built + matched,
        "matches_per_s": n_incoming / matched,
        "peak_rss_mb": peak_mb(),
        "verdicts": dict(verdicts),
        "quality": dict(quality),
        "unblocked_rapidfuzz": {
            "sample": len(picks),
            "s_per_query": scan,
            "extrapolated_s": scan * n_incoming,
            "candidates_at_threshold": compared,
            "lost_by_blocking": lost,
        },
        "difflib": {
            "sample": difflib_sample,
            "s_per_query": naive,
            "extrapolated_s": naive * n_incoming,
        },
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
    }


def markdown(r: dict[str, Any]) -> str:
    scan, naive = r["unblocked_rapidfuzz"], r["difflib"]
    rows = [
        ("kg.reconcile (index + match, all incoming)", r["total_s"], "measured", 1.0),
        (f"unblocked rapidfuzz scan (sample of {scan['sample']})", scan["extrapolated_s"],
         "extrapolated", scan["extrapolated_s"] / r["total_s"]),
        (f"difflib.get_close_matches (sample of {naive['sample']})", naive["extrapolated_s"],
         "extrapolated", naive["extrapolated_s"] / r["total_s"]),
    ]  # fmt: skip
    out = [
        f"{r['incoming']:,} incoming against {r['existing']:,} existing organisations: index "
        f"{r['index_s']:.1f} s, match {r['match_s']:.1f} s ({r['matches_per_s']:,.0f} a second), "
        f"peak RSS {r['peak_rss_mb']:,.0f} MB.",
        "",
        "| method | seconds for all incoming | how | × ours |",
        "|---|---|---|---|",
        *(f"| {a} | {b:,.1f} | {c} | {d:,.1f} |" for a, b, c, d in rows),
        "",
        f"Blocking lost {scan['lost_by_blocking']} of {scan['candidates_at_threshold']} "
        f"candidates at or above {PROPOSE_THRESHOLD:g} that the unblocked scan found (sample).",
        "",
        "| verdict | count |",
        "|---|---|",
        *(f"| {k} | {v:,} |" for k, v in sorted(r["verdicts"].items())),
        "",
        "| check | count |",
        "|---|---|",
        *(f"| {k} | {v:,} |" for k, v in sorted(r["quality"].items())),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--existing", type=int, default=1_000_000)
    ap.add_argument("--incoming", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=200, help="incoming names for the scan")
    ap.add_argument("--difflib-sample", type=int, default=3, help="incoming names for difflib")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    result = run(args.existing, args.incoming, args.seed, args.sample, args.difflib_sample)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
