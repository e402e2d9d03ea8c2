#!/usr/bin/env python3
"""End-to-end test of a company's own HR export mapped by `columns:` alone.

samples/workday/ holds the demo company's HR export as a Workday-style export would hold it
(tests/golden/make_workday.py: Workday column names, the home address in three columns, country
names, Workday time-zone labels) and a config whose only mapping is `columns:`. Its scan must give
the demo's results: the same accounts with the same scores, the same flagged accounts and
clusters, and no account "not in HR" beyond the demo's one contractor.

    tests/golden/check_workday.py build/vetter
"""

import json
import os
import re
import subprocess
import sys
import tempfile

from golden import HERE, ROOT, check, failures




def scan(vetter, config, tmp, name):
    path = os.path.join(tmp, name)
    run = subprocess.run([vetter, "scan", "--config", config, "--out", path, "--quiet"],
                         capture_output=True, text=True)
    with open(path) as f:
        return run, json.load(f)


def strip_files(text):
    # Evidence names the file it came from; the HR file differs by design.
    return re.sub(r"samples/(workday/workers|hr)\.csv", "HR", text)


def main():
    vetter = os.path.abspath(sys.argv[1])
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        demo_run, demo = scan(vetter, "samples/vetter.yaml", tmp, "demo.json")
        run, workday = scan(vetter, "samples/workday/vetter.yaml", tmp, "workday.json")
    check(run.returncode == demo_run.returncode == 1,
          f"both scans flag accounts (exit 1): {demo_run.returncode}, {run.returncode}: {run.stderr}")
    check("W-INPUT-NOTHING" not in run.stderr and "W-ENRICH-TZ" not in run.stderr
          and "W-ENRICH-COUNTRY" not in run.stderr and "W-INPUT-VALUE" not in run.stderr and "W-HR-UNREAD" not in run.stderr,
          "no warning about the Workday export (nothing yielded, zones, countries): " + run.stderr)
    check(workday["run"]["hr_workers"] == demo["run"]["hr_workers"],
          f"as many HR workers: {workday['run']['hr_workers']} vs {demo['run']['hr_workers']}")
    check(workday["unknown_accounts"] == demo["unknown_accounts"] == ["mei.chen.contractor@corp.example"],
          f"no account 'not in HR' beyond the contractor: {workday['unknown_accounts']}")
    scores = lambda r: {a["account"]: a["score"] for a in r["accounts"]}
    check(scores(workday) == scores(demo), "every account scores as in the demo")
    flagged = lambda r: sorted(a["account"] for a in r["accounts"] if a["flagged"])
    check(flagged(workday) == flagged(demo), f"the same flagged accounts: {flagged(workday)}")
    check(workday["clusters"] == demo["clusters"], "the same clusters")
    check(strip_files(json.dumps(workday["accounts"])) == strip_files(json.dumps(demo["accounts"])),
          "the same evidence, the HR file's name aside")
    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("workday golden: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
