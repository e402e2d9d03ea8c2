#!/usr/bin/env bash
# `vetter geoip lookup` end to end: the binary over the shipped test databases and lists.
# Usage: geoip_lookup_test.sh PATH/TO/vetter   (run from the repository root)
set -uo pipefail
vetter=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0

# check NAME EXPECTED_RC PYTHON_ASSERTS -- ARGS...: runs vetter, checks the exit code, then runs
# the Python asserts with `out` (parsed stdout, or None) and `err` (stderr text) bound.
check() {
  local name=$1 want_rc=$2 asserts=$3
  shift 4
  "$vetter" geoip lookup "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc -ne $want_rc ]]; then
    echo "FAIL $name: exit $rc, expected $want_rc"; cat "$tmp/err"; failed=$((failed + 1)); return
  fi
  if ! python3 - "$tmp/out" "$tmp/err" <<PY
import json, sys
text = open(sys.argv[1]).read()
out = json.loads(text) if text.strip() else None
err = open(sys.argv[2]).read()
$asserts
PY
  then
    echo "FAIL $name"; cat "$tmp/out" "$tmp/err"; failed=$((failed + 1)); return
  fi
  echo "ok   $name"; passed=$((passed + 1))
}

check "default geoip/ dir: North Korea, IPv6, 1000 km record, no database, no warnings" 0 '
assert len(out) == 4
kp, v6, wide, private = out
assert kp["source.ip"] == "175.45.176.9"
assert kp["source.geo.country_iso_code"] == "KP" and kp["source.as.number"] == 131279
assert kp["source.lists"] == ["kp_ranges"], kp
assert kp["source.anonymous.vpn"] is False
assert v6["source.geo.city_name"] == "Seattle" and v6["source.connection_type"] == "Cable/DSL"
assert "source.lists" not in v6
assert wide["source.geo.accuracy_radius"] == 1000 and "source.geo.city_name" not in wide
assert wide["source.as.number"] == 6167 and wide["source.lists"] == ["mobile_carriers"], wide
assert set(private) == {"source.ip"} | {k for k in private if k.startswith("source.anonymous.")}
assert "source.geo.country_iso_code" not in private
assert "W-GEOIP" not in err, err
' -- 175.45.176.9 2001:db8:0100::1 149.101.100.3 10.1.2.3

check "an anonymizing VPN exit" 0 '
(vpn,) = out
assert vpn["source.anonymous.any"] and vpn["source.anonymous.vpn"] and vpn["source.anonymous.hosting"]
assert vpn["source.anonymous.tor"] is False
' -- 142.214.202.7

printf '# office egress\n10.0.0.0/8\n' >"$tmp/office.txt"
check "--list replaces the shipped lists; a neighbouring address is not in it" 0 '
inside, outside, kp = out
assert inside["source.lists"] == ["office"]
assert "source.lists" not in outside
assert "source.lists" not in kp  # kp_ranges is not loaded now
' -- --list "office=$tmp/office.txt" 10.200.0.1 11.0.0.1 175.45.176.9

printf 'AS21928  # T-Mobile USA, Inc.\nas64510 # lower case\n10.0.0.0/8\nAS12x\n' >"$tmp/asn.txt"
check "--list with AS lines: matched through source.as.number; a bad AS line is reported" 0 '
tmobile, vpn, comcast, private = out
assert tmobile["source.as.number"] == 21928 and tmobile["source.lists"] == ["carriers"], tmobile
assert vpn["source.as.number"] == 64510 and vpn["source.lists"] == ["carriers"], vpn
assert comcast["source.as.number"] == 7922 and "source.lists" not in comcast
assert "source.as.number" not in private and private["source.lists"] == ["carriers"]
assert "W-LIST-LINE" in err and "asn.txt:4" in err and "AS12x" in err, err
' -- --list "carriers=$tmp/asn.txt" 100.64.3.4 142.214.202.7 203.0.113.9 10.1.2.3

check "AS lines without an ASN database match nothing" 0 '
(r,) = out
assert "source.as.number" not in r and "source.lists" not in r
' -- --city geoip/test-City.mmdb --list "carriers=$tmp/asn.txt" 100.64.3.4

check "explicit databases: only City, so no AS or anonymizer fields" 0 '
(r,) = out
assert r["source.geo.city_name"] == "Austin"
assert not any(k.startswith("source.as.") or k.startswith("source.anonymous.") for k in r)
' -- --city geoip/test-City.mmdb 203.0.113.9

check "a corrupt explicit database is exit 2 with a clear message" 2 '
assert out is None
assert "E-GEOIP-OPEN" in err and "invalid metadata" in err and "corrupt-City.mmdb" in err
' -- --city geoip/testdata/corrupt-City.mmdb 203.0.113.9

check "a missing list file is exit 2" 2 '
assert out is None and "E-LIST-OPEN" in err
' -- --list "gone=$tmp/no-such-list.txt" 203.0.113.9

check "an invalid address is an error line and exit 2" 2 '
assert out is None
assert "203.0.113" in err and "not an IPv4 or IPv6 address" in err
assert "10.0.0.1:443" in err
' -- 203.0.113.9 203.0.113 10.0.0.1:443

check "a --list without NAME= is exit 2" 2 '
assert out is None and "NAME=FILE" in err
' -- --list "$tmp/office.txt" 10.0.0.1

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
