#!/usr/bin/env python3
"""Golden test of every shipped source definition: `vetter normalize` on its sample.

Each sample under samples/formats/ is normalized and compared with tests/golden/normalize/,
files that were reviewed by eye. A mapping change shows up as a diff here.

    tests/golden/check_normalize.py build/vetter            # check
    tests/golden/check_normalize.py build/vetter --update   # rewrite (review the diff!)
"""

import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = [
    ("okta", "okta.jsonl"),
    ("entra", "entra.json"),
    ("entra", "entra-graph.json"),
    ("gworkspace", "gworkspace.json"),
    ("cloudtrail", "cloudtrail.json"),
    ("asa", "asa.log"),
    ("globalprotect", "globalprotect.log"),
    ("openvpn", "openvpn.log"),
    ("fortigate", "fortigate.log"),
    ("osquery", "osquery.jsonl"),
    ("osquery", "osquery-batch.jsonl"),
    ("osquery", "osquery-snapshot.jsonl"),
    ("hr-csv", "hr.csv"),
]


def main():
    vetter = os.path.abspath(sys.argv[1])
    update = "--update" in sys.argv
    os.chdir(ROOT)
    env = dict(os.environ, VETTER_HMAC_KEY="golden-test-key")
    failed = 0
    for source, sample in CASES:
        run = subprocess.run([vetter, "normalize", "--origin", f"{source}:samples/formats/{sample}"],
                             capture_output=True, text=True, env=env)
        actual = run.stdout
        golden = os.path.join(HERE, "normalize", sample.rsplit(".", 1)[0] + ".jsonl")
        if update:
            os.makedirs(os.path.dirname(golden), exist_ok=True)
            with open(golden, "w") as f:
                f.write(actual)
            continue
        if not actual.strip():
            print(f"FAIL: {source}:{sample} produced no events: {run.stderr}")
            failed += 1
            continue
        expected = open(golden).read() if os.path.exists(golden) else ""
        if expected != actual:
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                       golden, "actual"))
            print(f"FAIL: {source}:{sample} differs from {golden}")
            failed += 1
    if update:
        print("updated tests/golden/normalize/ (review the diff)")
        return 0
    print(f"{len(CASES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
