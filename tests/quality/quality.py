#!/usr/bin/env python3
"""vetter's quality benchmark: scan realistic organisations vetter has not seen and score the result.

    tests/quality/quality.py build/vetter --workers 1500 --seeds 11,12,13 --geoip both [--check] [--keep DIR]

For each seed, tools/gen_samples.py --realistic writes a company (confounders at base rates,
planted schemes at varied strength, its own GeoIP databases, truth.json); vetter scans it with
GeoLite2-shaped databases only (City + ASN) and/or the full MaxMind set (plus Anonymous-IP and
Connection-Type), and the JSON report is compared with the truth:

  strong      strong schemes with every account flagged, k/n
  weak>benign every weak scheme's accounts score above every benign account (and the best benign)
  flagged     accounts flagged; precision = flagged scheme accounts / flagged accounts
  look-alikes benign look-alikes flagged (kind and score)
  cluster     each strong laptop farm's accounts in one cluster
  report      JSON report size; scan wall time

--check exits 1 when a target of issue #13 is missed and says which. The targets are meant for
any seed: do not tune rules to one seed (see README.md).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
GENERATOR = os.path.join(REPO, "tools", "gen_samples.py")

# Targets (issue #13).
TARGET_PRECISION = 0.95
TARGET_PRECISION_LARGE = 0.90     # at 15,000 workers and more
LARGE = 15000
TARGET_REPORT_BYTES_LARGE = 20 * 1000 * 1000


def rule_names(rules_dirs):
    """Sigma rule id -> name, read from the rule files (one document per '---')."""
    names = {}
    for d in rules_dirs:
        files = [d] if os.path.isfile(d) else [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs
                                                 if f.endswith((".yml", ".yaml"))]
        for path in files:
            for doc in open(path, encoding="utf-8").read().split("\n---"):
                i = re.search(r"^id:\s*['\"]?([0-9a-fA-F-]+)", doc, re.M)
                n = re.search(r"^name:\s*['\"]?([\w.-]+)", doc, re.M)
                if i:
                    names[i.group(1)] = n.group(1) if n else i.group(1)
    return names


def kept(out, workers, seed):
    """True when OUT holds a company generated for these arguments by the current generator."""
    sys.path.insert(0, os.path.join(REPO, "tools"))
    sys.dont_write_bytecode = True
    import realistic_org
    try:
        truth = json.load(open(os.path.join(out, "truth.json")))
    except (OSError, ValueError):
        return False
    return (truth.get("workers") == workers and truth.get("seed") == seed
            and truth.get("generator") == realistic_org.generator_digest())


def generate(workers, seed, out):
    t = time.monotonic()
    subprocess.run([sys.executable, GENERATOR, "--realistic", "--workers", str(workers), "--seed", str(seed),
                    "--out", out], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t


def scan(vetter, config, report):
    t = time.monotonic()
    p = subprocess.run([vetter, "scan", "--config", config, "--format", "json", "--out", report, "--quiet"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"quality: vetter scan --config {config} exited {p.returncode}")
    return wall


def evaluate(truth, report, names):
    """Compare a JSON report with truth.json; returns a dict of measures."""
    accounts = {a["account"]: a for a in report["accounts"]}
    score = lambda acc: accounts[acc]["score"] if acc in accounts else 0.0
    flagged = {a["account"] for a in report["accounts"] if a.get("flagged")}
    # A scheme's related rows (an applicant presenting a worker's passport) are right to flag
    # but not required.
    in_scheme = {acc for s in truth["schemes"] for acc in s["accounts"] + s.get("related", [])}
    lookalike_kind = {}
    for la in truth["lookalikes"]:
        lookalike_kind.setdefault(la["account"], []).append(la["kind"])

    strong = [s for s in truth["schemes"] if s["strength"] == "strong"]
    weak = [s for s in truth["schemes"] if s["strength"] == "weak"]
    strong_missed = [s for s in strong if not all(a in flagged for a in s["accounts"])]

    benign_scores = [(a["score"], a["account"]) for a in report["accounts"] if a["account"] not in in_scheme]
    benign_scores.sort(key=lambda x: (-x[0], x[1]))
    best_benign = benign_scores[0] if benign_scores else (0.0, "-")
    weak_low = [s for s in weak if min(score(a) for a in s["accounts"]) <= best_benign[0]]

    tp = len(flagged & in_scheme)
    fp = sorted(flagged - in_scheme, key=lambda a: (-score(a), a))
    precision = tp / len(flagged) if flagged else 1.0
    lookalikes_flagged = [(a, "/".join(lookalike_kind[a]), score(a)) for a in fp if a in lookalike_kind]

    cluster_of = {}
    for c in report.get("clusters", []):
        for a in c["accounts"]:
            cluster_of[a] = c["id"]
    farms = [s for s in truth["schemes"] if s["cluster"] and s["strength"] == "strong"]
    farms_split = [s for s in farms if len({cluster_of.get(a) for a in s["accounts"]}) != 1
                   or cluster_of.get(s["accounts"][0]) is None]
    weak_farms = [s for s in truth["schemes"] if s["cluster"] and s["strength"] == "weak"]
    weak_farms_clustered = [s for s in weak_farms if len({cluster_of.get(a) for a in s["accounts"]}) == 1
                            and cluster_of.get(s["accounts"][0]) is not None]

    # Which rules fired on false-positive accounts (one count per account and rule).
    fp_rules = collections.Counter()
    fp_kinds = collections.Counter()
    for a in fp:
        for c in accounts[a]["contributions"]:
            fp_rules[names.get(c["rule_id"], c["title"])] += 1
        fp_kinds["/".join(lookalike_kind.get(a, ["ordinary"]))] += 1
    return {
        "strong": (len(strong) - len(strong_missed), len(strong)),
        "strong_missed": [(s["id"], [(a, score(a)) for a in s["accounts"]]) for s in strong_missed],
        "weak_ok": not weak_low, "weak_low": [(s["id"], min(score(a) for a in s["accounts"])) for s in weak_low],
        "weak_scores": [(s["id"], min(score(a) for a in s["accounts"])) for s in weak],
        "best_benign": best_benign,
        "flagged": len(flagged), "tp": tp, "fp": len(fp), "precision": precision,
        "lookalikes_flagged": lookalikes_flagged,
        "farms": (len(farms) - len(farms_split), len(farms)),
        "farms_split": [s["id"] for s in farms_split],
        "weak_farms_clustered": (len(weak_farms_clustered), len(weak_farms)),
        "fp_rules": fp_rules, "fp_kinds": fp_kinds,
        "fp_ordinary": [(a, score(a)) for a in fp if a not in lookalike_kind],
    }


def misses(m, workers, report_bytes):
    """The targets of issue #13 this run misses, as sentences: (enforced, reported only).

    "Every weak scheme above every benign account" is reported, not enforced by --check unless
    --check-weak: a weak scheme made of two weak traces ties with a benign worker who shows the
    same two traces (a night owl who tried a privacy VPN), and one whose second trace never
    materialised is a single lead like many benign ones (docs/detection.md)."""
    out, soft = [], []
    k, n = m["strong"]
    if k < n:
        out.append(f"strong schemes flagged {k}/{n} (missed: {', '.join(i for i, _ in m['strong_missed'])})")
    target = TARGET_PRECISION_LARGE if workers >= LARGE else TARGET_PRECISION
    if m["precision"] < target:
        out.append(f"precision {m['precision']:.3f} < {target}")
    if workers < LARGE and m["lookalikes_flagged"]:
        out.append(f"{len(m['lookalikes_flagged'])} benign look-alikes flagged")
    if workers < LARGE and not m["weak_ok"]:
        soft.append("weak schemes not above every benign account: " +
                   ", ".join(f"{i} {s:.1f} <= {m['best_benign'][0]:.1f}" for i, s in m["weak_low"]))
    fk, fn = m["farms"]
    if fk < fn:
        out.append(f"laptop farms as one cluster {fk}/{fn} (split: {', '.join(m['farms_split'])})")
    if workers >= LARGE and report_bytes >= TARGET_REPORT_BYTES_LARGE:
        out.append(f"JSON report {report_bytes / 1e6:.1f} MB >= 20 MB")
    return out, soft


def print_run(seed, mode, m, report_bytes, wall, gen_wall):
    k, n = m["strong"]
    fk, fn = m["farms"]
    wk, wn = m["weak_farms_clustered"]
    print(f"\n== seed {seed}, geoip {mode} ==")
    rows = [
        ("strong schemes flagged", f"{k}/{n}" + ("" if k == n else "  missed: " + "; ".join(
            f"{i} ({', '.join(f'{a} {s:.0f}' for a, s in accs)})" for i, accs in m["strong_missed"]))),
        ("weak above every benign", ("yes" if m["weak_ok"] else "no") +
         f"  (weak: {', '.join(f'{i} {s:.1f}' for i, s in m['weak_scores'])}; best benign "
         f"{m['best_benign'][1]} {m['best_benign'][0]:.1f})"),
        ("flagged accounts", f"{m['flagged']} ({m['tp']} in schemes, {m['fp']} not)"),
        ("precision", f"{m['precision']:.3f}"),
        ("look-alikes flagged", str(len(m["lookalikes_flagged"]))),
        ("laptop farms as one cluster", f"{fk}/{fn}" + (f"  (weak farms {wk}/{wn})" if wn else "")),
        ("JSON report", f"{report_bytes / 1e6:.2f} MB"),
        ("scan wall time", f"{wall:.1f} s (generation {gen_wall:.1f} s)"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if m["lookalikes_flagged"]:
        print("  look-alikes flagged (kind, score):")
        by_kind = collections.defaultdict(list)
        for a, kind, s in m["lookalikes_flagged"]:
            by_kind[kind].append((a, s))
        for kind, items in sorted(by_kind.items(), key=lambda x: (-len(x[1]), x[0])):
            shown = ", ".join(f"{a.split('@')[0]} {s:.0f}" for a, s in items[:4])
            more = f", +{len(items) - 4} more" if len(items) > 4 else ""
            print(f"    {kind:<28} {len(items):>4}  {shown}{more}")
    if m["fp_ordinary"]:
        shown = ", ".join(f"{a.split('@')[0]} {s:.0f}" for a, s in m["fp_ordinary"][:4])
        print(f"  ordinary accounts flagged: {len(m['fp_ordinary'])}  {shown}")
    if m["fp_rules"]:
        print("  rules on false positives (FP accounts per rule):")
        for rule, c in sorted(m["fp_rules"].items(), key=lambda x: (-x[1], x[0])):
            print(f"    {rule:<36} {c:>5}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vetter", help="the vetter binary")
    ap.add_argument("--workers", type=int, default=1500)
    ap.add_argument("--seeds", default="11", help="comma-separated seeds (not the demo's 7)")
    ap.add_argument("--geoip", choices=["geolite", "full", "both"], default="both")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--check-weak", action="store_true",
                    help="also enforce 'every weak scheme above every benign account'")
    ap.add_argument("--keep", help="generate into DIR/seed-N and keep it (with the reports)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: scan a kept company again instead of regenerating it, when the "
                         "generator is unchanged (saves ~2 min at 15,000 workers while tuning rules)")
    ap.add_argument("--rules", action="append", help="rule file or directory (default rules/dprk)")
    args = ap.parse_args()
    vetter = os.path.abspath(args.vetter)
    seeds = [int(s) for s in args.seeds.split(",") if s]
    modes = ["geolite", "full"] if args.geoip == "both" else [args.geoip]
    rules = [os.path.abspath(r) for r in args.rules] if args.rules else [os.path.join(REPO, "rules", "dprk")]
    names = rule_names(rules)

    base = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="vetter-quality-")
    failures, reported = [], []
    totals = collections.Counter()
    try:
        for seed in seeds:
            out = os.path.join(base, f"seed-{seed}")
            if args.reuse and args.keep and kept(out, args.workers, seed):
                print(f"(reusing the company kept in {out})")
                gen_wall = 0.0
            else:
                gen_wall = generate(args.workers, seed, out)
            if args.rules:   # point the generated configs at the chosen rules
                for cfg in ("vetter.yaml", "vetter-geolite.yaml"):
                    p = os.path.join(out, cfg)
                    text = open(p).read().split("rules:\n")
                    tail = text[1].split("review_threshold:")
                    open(p, "w").write(text[0] + "rules:\n" + "".join(f"  - {r}\n" for r in rules) +
                                       "review_threshold:" + tail[1])
            truth = json.load(open(os.path.join(out, "truth.json")))
            for mode in modes:
                config = os.path.join(out, "vetter.yaml" if mode == "full" else "vetter-geolite.yaml")
                report_path = os.path.join(out, f"report-{mode}.json")
                wall = scan(vetter, config, report_path)
                report_bytes = os.path.getsize(report_path)
                report = json.load(open(report_path))
                m = evaluate(truth, report, names)
                print_run(seed, mode, m, report_bytes, wall, gen_wall)
                totals.update(m["fp_rules"])
                hard, soft = misses(m, args.workers, report_bytes)
                for miss in hard + (soft if args.check_weak else []):
                    failures.append(f"seed {seed} {mode}: {miss}")
                for miss in [] if args.check_weak else soft:
                    reported.append(f"seed {seed} {mode}: {miss}")
                if not args.keep:
                    os.remove(report_path)
            if not args.keep:
                shutil.rmtree(out)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    if len(seeds) * len(modes) > 1 and totals:
        print("\n== rules on false positives, all runs (FP accounts per rule) ==")
        for rule, c in sorted(totals.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {rule:<36} {c:>5}")
    print()
    if reported:
        print(f"reported, not enforced ({len(reported)}; --check-weak enforces them):")
        for f in reported:
            print(f"  - {f}")
    if failures:
        print(f"targets missed ({len(failures)}):")
        for f in failures:
            print(f"  - {f}")
    else:
        print("all enforced targets met")
    if args.check and failures:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
