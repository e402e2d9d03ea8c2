#!/usr/bin/env python3
"""Golden test of the demo: scans samples/ and checks what a security engineer must see.

Semantic checks (these are the point): the planted suspicious account ranks first, the laptop-farm
workers are flagged and form one cluster, no benign look-alike reaches the review threshold, the
contractor missing from HR is listed, Okta's impossible-date example is counted as bad input.
Then the JSON report and the table are compared with the reviewed golden files.

    tests/golden/check_demo.py build/vetter            # check
    tests/golden/check_demo.py build/vetter --update   # rewrite the golden files (review the diff!)
"""

import difflib
import json
import os
import subprocess
import sys
import tempfile

from golden import HERE, ROOT, check, failures
FARM = {"daniel.kim@corp.example", "ryan.cole@corp.example", "lucas.hart@corp.example",
        "ethan.ward@corp.example"}
CANDIDATE = "C7001"  # the job candidate whose passport number is daniel.kim's
HOPPER = "alex.novak@corp.example"
PLANTED = FARM | {CANDIDATE, HOPPER}




def diff(golden_name, actual, update):
    path = os.path.join(HERE, golden_name)
    if update:
        with open(path, "w") as f:
            f.write(actual)
        print("updated " + path)
        return
    if not os.path.exists(path):
        check(False, golden_name + " is missing: run tests/golden/check_demo.py build/vetter --update and review it")
        return
    with open(path) as f:
        expected = f.read()
    if expected != actual:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                   golden_name, "actual"))
        check(False, golden_name + " differs from the output (review, then --update)")


def main():
    vetter = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        report_path = os.path.join(tmp, "report.json")
        run = subprocess.run([vetter, "scan", "--config", "samples/vetter.yaml", "--out", report_path],
                             capture_output=True, text=True)
        check(run.returncode == 1, f"exit code is 1 (flagged), got {run.returncode}: {run.stderr}")
        with open(report_path) as f:
            report_text = f.read()
        table = run.stdout
        # Parallel parsing must not change a byte of the result.
        for threads in ("1", "2"):
            path = os.path.join(tmp, f"report-{threads}.json")
            subprocess.run([vetter, "scan", "--config", "samples/vetter.yaml", "--threads", threads, "--out", path,
                            "--quiet"], capture_output=True)
            with open(path) as f:
                check(f.read() == report_text, f"--threads {threads} gives the same report byte for byte")
    report = json.loads(report_text)

    accounts = report["accounts"]
    threshold = report["review_threshold"]
    flagged = {a["account"] for a in accounts if a["score"] >= threshold}
    check(accounts and accounts[0]["account"] == "daniel.kim@corp.example",
          "daniel.kim ranks first: " + (accounts[0]["account"] if accounts else "no accounts"))
    check(PLANTED <= flagged, f"every planted scheme is flagged: {sorted(PLANTED - flagged)} missing")
    check(flagged <= PLANTED, f"no benign look-alike is flagged: {sorted(flagged - PLANTED)}")
    clusters = [set(c["accounts"]) for c in report["clusters"]]
    check(FARM | {CANDIDATE} in clusters,
          f"the farm, with the candidate who shares a passport, is one cluster: {clusters}")
    check("mei.chen.contractor@corp.example" in report["unknown_accounts"],
          "the contractor missing from HR is listed")
    for a in accounts:
        for c in a["contributions"]:
            for h in c["hits"]:
                for e in h["evidence"]:
                    check(e["file"] and e["line"] > 0, f"evidence has file:line ({a['account']})")
    okta = [i for i in report["run"]["inputs"] if i["source"] == "okta"]
    check(okta and okta[0]["bad"] == 1, f"one bad Okta record (the Sept 31 example): {okta}")
    check("daniel.kim@corp.example" in table.split("\n")[3], "the table's first row is daniel.kim")

    diff("demo-report.json", report_text, update)
    diff("demo-table.txt", table, update)
    if failures:
        print(f"0 passed, {len(failures)} failed")
        return 1
    print("demo golden: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
