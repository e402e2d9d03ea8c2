#!/usr/bin/env python3
"""`vetter check` tells a new user each of issue #14's mistakes in one run, and passes a good config.

    tests/golden/check_check.py build/vetter
"""

import os
import subprocess
import sys
import tempfile

from golden import HERE, ROOT, check, failures



def run(vetter, *args):
    return subprocess.run([vetter, "check", *args], capture_output=True, text=True)


def main():
    vetter = os.path.abspath(sys.argv[1])
    os.chdir(ROOT)
    good = run(vetter, "--config", "samples/workday/vetter.yaml")
    check(good.returncode == 0, f"the Workday config checks clean (exit 0): {good.returncode} {good.stderr}")
    check("hr.address_key" in good.stdout and "<- Home_Address_Line_1, Home_City, Home_State" in good.stdout,
          "the address key is shown built from three columns")
    check("305 resolve to an HR worker" in good.stdout, "Okta accounts resolve through HR")
    check("185 resolve to an HR worker (100%)" in good.stdout, "every ASA account resolves (Network_ID)")
    check("the shipped TEST database" in good.stdout, "the shipped test databases are named as such")
    check("HMAC key: present" in good.stdout, "the HMAC key is found")

    with tempfile.TemporaryDirectory() as tmp:
        samples = os.path.join(ROOT, "samples")
        config = os.path.join(tmp, "vetter.yaml")
        with open(config, "w") as f:
            f.write(f"""inputs:
  - source: hr-csv
    path: {samples}/workday/workers.csv
    columns:
      employee_id: Employee_ID
      work_email: Work_Email
      home_address: '{{Home_Address_Line_1}}, {{Home_City}}, {{Home_State}}'
  - source: asa          # wrong: this is Okta's log
    path: {samples}/okta.jsonl
  - source: asa
    path: {samples}/asa.log
  - source: okta
    path: {tmp}/empty.jsonl
default_rules: false
""")
        open(os.path.join(tmp, "empty.jsonl"), "w").close()
        bad = run(vetter, "--config", config)
        out = bad.stdout
        check(bad.returncode == 2, f"a config no scan could use is exit 2: {bad.returncode}")
        check("the file looks like 'okta', not 'asa'" in out, "the wrong source is named, with what it looks like")
        check("no records" in out, "the empty file is named")
        check("add `network_id: Network_ID` under the HR input's columns:" in out,
              "the unresolved VPN names come with the column that resolves them")
        check("no detection rule is loaded" in out, "no rules at all is named")

        with open(config, "a") as f:
            f.write("rules: [" + os.path.join(ROOT, "rules/dprk") + "]\n")
        with open(config) as f:
            text = f.read().replace("{Home_City}", "{Home_Cty}")
        with open(config, "w") as f:
            f.write(text)
        typo = run(vetter, "--config", config)
        check(typo.returncode == 2, f"a misspelt column is exit 2: {typo.returncode}")
        check(config + ":7:21: error[E-INPUT-COLUMN]" in typo.stdout and "did you mean 'Home_City'?" in typo.stdout,
              "the misspelt column is named at the config's line:col with a did-you-mean: " + typo.stdout[:600])
    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("check: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
