"""What every golden check script shares: where the repository is, and a check that records a
failure and says it at once (each script prints its own summary and exit code)."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond
