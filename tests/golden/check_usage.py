#!/usr/bin/env python3
"""Every usage error is the documented exit 2, whatever CLI11's own code (105-114) would be, and
`vetter --version` prints what `vetter version` prints (issue #17).

    tests/golden/check_usage.py build/vetter
"""

import os
import subprocess
import sys

from golden import HERE, ROOT, check, failures



def main():
    vetter = os.path.abspath(sys.argv[1])
    os.chdir(ROOT)

    def run(*args):
        return subprocess.run([vetter, *args], capture_output=True, text=True)

    usage_errors = {
        "an unknown flag": (["scan", "--no-such-flag", "okta:samples/okta.jsonl"], "--no-such-flag"),
        # CLI11 2.1 checks for a subcommand first: its message is "A subcommand is required".
        "an unknown top-level flag": (["--no-such-flag"], "subcommand"),
        "no subcommand": ([], "subcommand"),
        "an unknown subcommand": (["frobnicate"], "subcommand"),
        "a value out of range": (["scan", "--threshold", "200", "okta:samples/okta.jsonl"], "200"),
        "a value of the wrong type": (["scan", "--threads", "many", "okta:samples/okta.jsonl"], "many"),
        "a flag without its value": (["scan", "okta:samples/okta.jsonl", "--config"], "--config"),
        "an extra argument": (["version", "extra"], "extra"),
    }
    for what, (args, named) in usage_errors.items():
        r = run(*args)
        check(r.returncode == 2, f"{what} ({' '.join(args)}) is exit 2, got {r.returncode}")
        check(named in r.stderr, f"{what}: CLI11's message names '{named}': {r.stderr!r}")

    version = run("version")
    check(version.returncode == 0 and version.stdout.startswith("vetter "),
          f"`vetter version` works: {version.returncode} {version.stdout!r}")
    flag = run("--version")
    check(flag.returncode == 0, f"--version is exit 0, got {flag.returncode}: {flag.stderr}")
    check(flag.stdout == version.stdout,
          f"--version prints what `vetter version` prints: {flag.stdout!r} vs {version.stdout!r}")

    for args in (["--help"], ["scan", "--help"]):
        r = run(*args)
        check(r.returncode == 0, f"{' '.join(args)} is exit 0, got {r.returncode}")
    check("--version" in run("--help").stdout, "--help lists --version")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("usage: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
