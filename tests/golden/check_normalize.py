#!/usr/bin/env python3
"""Golden test of every shipped source definition: `vetter normalize` on its sample.

Each sample under samples/formats/ is normalized and compared with tests/golden/normalize/,
files that were reviewed by eye. A mapping change shows up as a diff here. Each sample is also
given as a bare path, which must auto-detect (`detect:`) to the same source and output; the
demo samples detect too, and look-alikes (another vendor's JSON Lines, an empty file, ambiguous
definitions) are refused with a message that says what to do.

    tests/golden/check_normalize.py build/vetter            # check
    tests/golden/check_normalize.py build/vetter --update   # rewrite (review the diff!)
"""

import difflib
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

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
    ("openvpn", "openvpn-file.log"),  # OpenVPN's own --log file, no syslog header
    ("fortigate", "fortigate.log"),
    ("osquery", "osquery.jsonl"),
    ("osquery", "osquery-batch.jsonl"),
    ("osquery", "osquery-snapshot.jsonl"),
    ("hr-csv", "hr.csv"),
]

# The demo samples: bare path -> the source their first event must name.
DEMO = [
    ("samples/okta.jsonl", "okta"),
    ("samples/osquery.jsonl", "osquery"),
    ("samples/asa.log", "asa"),
    ("samples/hr.csv", "hr-csv"),
]


def normalize(vetter, args, env):
    return subprocess.run([vetter, "normalize", *args], capture_output=True, text=True, env=env)


def check_detection(vetter, env):
    """Bare paths: the right source, or a refusal that names the problem. Returns failures."""
    failed = 0

    def expect(what, ok, run):
        nonlocal failed
        if not ok:
            print(f"FAIL: {what}: exit {run.returncode}\n{run.stderr}")
            failed += 1

    for path, source in DEMO:
        run = normalize(vetter, [path], env)
        first = json.loads(run.stdout.splitlines()[0]) if run.stdout.strip() else {}
        expect(f"{path} detects as {source}", first.get("event.source") == source, run)
    # --timezone SOURCE=ZONE applies to a bare path detected as SOURCE, as to SOURCE:PATH.
    named = normalize(vetter, ["--timezone", "asa=America/New_York", "asa:samples/formats/asa.log"],
                      env)
    bare = normalize(vetter, ["--timezone", "asa=America/New_York", "samples/formats/asa.log"], env)
    utc = normalize(vetter, ["samples/formats/asa.log"], env)
    expect("--timezone reaches a detected source",
           named.stdout and bare.stdout == named.stdout and bare.stdout != utc.stdout, bare)
    run = normalize(vetter, ["docs/examples/pulse/pulse.log", "--sources", "docs/examples/pulse"],
                    env)
    expect("the README's pulse example detects", '"event.source":"pulse"' in run.stdout, run)
    # Without its definition loaded, the pulse log is no shipped source's.
    run = normalize(vetter, ["docs/examples/pulse/pulse.log"], env)
    expect("pulse without its definition is refused",
           run.returncode == 2 and "matches no source definition" in run.stderr and
           "known sources: asa, " in run.stderr and "SOURCE:PATH" in run.stderr, run)

    tmp = tempfile.mkdtemp(prefix="vetter-detect-")
    try:
        def write(name, data, opener=open, mode="w"):
            path = os.path.join(tmp, name)
            with opener(path, mode) as f:
                f.write(data)
            return path

        # Compressed input is detected on its decompressed head.
        with open("samples/formats/okta.jsonl", "rb") as f:
            okta = f.read()
        gz = write("okta-sample.gz", okta, gzip.open, "wb")
        run = normalize(vetter, [gz], env)
        expect("a gzip'd Okta log detects as okta", '"event.source":"okta"' in run.stdout, run)
        # Blank lines and indentation before the first record do not matter.
        padded = write("okta-padded.jsonl", "\n\n  " + okta.decode())
        run = normalize(vetter, [padded], env)
        expect("leading blank lines", '"event.source":"okta"' in run.stdout, run)
        # The same events as an API response (a JSON array) are okta-json, not okta.
        events = [json.loads(line) for line in okta.decode().splitlines() if line.strip()]
        array = write("okta-api.json", json.dumps(events))
        run = normalize(vetter, [array], env)
        expect("a JSON array of Okta events detects as okta-json",
               '"event.source":"okta-json"' in run.stdout, run)

        # Look-alikes that are no shipped source: refused, with the list and SOURCE:PATH.
        lookalikes = {
            "empty.jsonl": ("", "is empty"),
            "blank.log": ("\n \n\n", "is empty"),
            # Duo authentication log: JSON Lines with a user and an IP, but not Okta's keys.
            "duo.jsonl": ('{"timestamp": 1790841731, "user": {"name": "jane.doe"}, "event_type": '
                          '"authentication", "result": "success", "access_device": {"ip": '
                          '"203.0.113.24"}}\n', "matches no source definition"),
            # A Graph user list: userPrincipalName, but no sign-in.
            "graph-users.json": ('{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", '
                                 '"value": [{"id": "1", "userPrincipalName": "jane.doe@corp.example", '
                                 '"createdDateTime": "2026-01-01T00:00:00Z"}]}\n',
                                 "matches no source definition"),
            # ASA messages inside a SIEM's JSON export are not ASA syslog.
            "asa-in-json.jsonl": ('{"message": "<166>Oct 01 2026 08:02:11 asa : %ASA-6-113039: Group <G> '
                                  'User <u> IP <192.0.2.1> AnyConnect parent session started."}\n',
                                  "matches no source definition"),
            # An HR export with its own column names needs hr-csv:PATH and overrides.
            "hr-own-names.csv": ("Employee ID,Name,Email\nE1,Jane,jane@corp.example\n",
                                 "matches no source definition"),
        }
        for name, (text, message) in lookalikes.items():
            run = normalize(vetter, [write(name, text)], env)
            expect(f"look-alike {name} is refused ({message})",
                   run.returncode == 2 and message in run.stderr and not run.stdout and
                   "SOURCE:PATH" in run.stderr, run)

        # Two definitions that both fit: ambiguous, both named.
        defs = os.path.join(tmp, "defs")
        os.makedirs(defs)
        with open("rules/sources/okta.yaml") as f:
            copy = f.read().replace("name: okta\n", "name: okta-copy\n")
        write("defs/okta-copy.yaml", copy)
        run = normalize(vetter, ["--sources", defs, "samples/formats/okta.jsonl"], env)
        expect("two fitting definitions are ambiguous",
               run.returncode == 2 and "is ambiguous" in run.stderr and "okta (" in run.stderr and
               "okta-copy (" in run.stderr and not run.stdout, run)
        # A definition without `detect:` is never picked, even if it would read the file.
        write("defs/okta-copy.yaml", copy.replace("\ndetect:", "\n# detect:"))
        run = normalize(vetter, ["--sources", defs, "samples/formats/okta.jsonl"], env)
        expect("a definition without detect: is not auto-picked",
               run.returncode == 0 and '"event.source":"okta"' in run.stdout, run)
    finally:
        shutil.rmtree(tmp)
    return failed


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
            continue
        # The bare path must detect to the same source, hence the same output.
        bare = normalize(vetter, ["--origin", f"samples/formats/{sample}"], env)
        if bare.stdout != actual:
            print(f"FAIL: bare samples/formats/{sample} is not detected as {source}: {bare.stderr}")
            failed += 1
    if update:
        print("updated tests/golden/normalize/ (review the diff)")
        return 0
    detect_failed = check_detection(vetter, env)
    print(f"{len(CASES) - failed} samples passed, {failed} failed; detection: {detect_failed} failed")
    failed += detect_failed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
