#!/usr/bin/env python3
"""Deterministic generator of vetter's sample organisation.

Writes, for one month (October 2026), an HR export (CSV), Okta System Log sign-ins (JSON Lines),
Cisco ASA AnyConnect VPN syslog and osquery inventory results (JSON Lines) for a company of
remote and office workers, with planted schemes and benign look-alikes. Addresses follow the IP
plan in geoip/README.md so the shipped test GeoIP databases enrich them. Same arguments, same
bytes.

    tools/gen_samples.py                         # the shipped samples/ (300 workers)
    tools/gen_samples.py --workers 100000 --out /tmp/corpus --plain   # a benchmark corpus

Planted schemes (the demo must flag them):
  * laptop farm: daniel.kim, ryan.cole, lucas.hart and ethan.ward declared homes in four states,
    but their sign-ins and VPN sessions come from one residential IP (192.0.2.77); their
    laptops were shipped to one address (spelled four ways); they work Pyongyang office hours
    (night in their declared zones); ryan.cole's laptop has a PiKVM attached; daniel.kim's and
    lucas.hart's have AnyDesk and TeamViewer; lucas.hart and ethan.ward connect the VPN with the
    same device id; one of ethan.ward's VPN sessions lasts 30 hours;
  * daniel.kim also signs in through an anonymizing VPN exit and twice from North Korean space;
  * a reused passport: candidate kevin.park's document number is daniel.kim's, spelled differently;
  * a VPN-hopping worker: alex.novak signs in from the US, Britain, China and a Tor exit within
    hours, on several days.
Benign look-alikes (must stay below the review threshold):
  * the New York office's egress, shared by everyone there (listed as corporate egress);
  * a couple sharing one home address and IP (203.0.113.50);
  * field workers behind one carrier CGNAT address (100.64.7.33, Cellular);
  * a business trip to London; a privacy-VPN user (the same VPN exit range on two days);
  * an IT admin with AnyDesk (one remote-access tool); a night owl; a worker whose GeoIP record
    is accurate only to 1000 km; a contractor who is in Okta but not in HR.
--plain leaves out the planted people (a benchmark corpus of ordinary traffic).

--realistic writes a realistic organisation for the quality benchmark instead (tools/realistic_org.py:
confounders at base rates, schemes at varied strength, its own GeoIP databases, a config and
truth.json); it needs --out:

    tools/gen_samples.py --realistic --workers 1500 --seed 11 --out /tmp/org
"""

import argparse
import csv
import datetime as dt
import json
import os
import random

FIRST = ["olivia", "liam", "emma", "noah", "ava", "mason", "sophia", "lucas", "mia", "ethan",
         "amelia", "logan", "harper", "james", "evelyn", "aiden", "abigail", "elijah", "emily",
         "owen", "ella", "jacob", "grace", "henry", "chloe", "wyatt", "zoe", "caleb", "nora",
         "isaac", "lily", "julian", "hannah", "levi", "aria", "nathan", "layla", "adam", "ruby",
         "hugo", "iris", "felix", "jade", "oscar", "vera", "simon", "tessa", "victor", "wendy",
         "maya", "leo", "clara", "miles", "alice", "ezra", "ivy", "jonah", "stella", "rowan"]
LAST = ["smith", "johnson", "brown", "garcia", "miller", "davis", "wilson", "moore", "taylor",
        "thomas", "white", "harris", "martin", "clark", "lewis", "walker", "young", "allen",
        "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill", "campbell",
        "mitchell", "roberts", "carter", "phillips", "evans", "turner", "torres", "parker",
        "collins", "edwards", "stewart", "morris", "murphy", "cook", "rogers", "morgan", "reed",
        "bell", "bailey", "cooper", "howard", "ward", "cox", "diaz", "richardson", "wood"]

# Declared homes of remote workers: city, region, timezone, residential range, Okta's own geo.
HOMES = [
    ("Austin", "TX", "America/Chicago", "203.0.113.", ("Austin", "Texas", 30.27, -97.74)),
    ("Dallas", "TX", "America/Chicago", "203.0.113.", ("Austin", "Texas", 30.27, -97.74)),
    ("Denver", "CO", "America/Denver", "192.0.2.", ("Denver", "Colorado", 39.74, -104.99)),
    ("Boulder", "CO", "America/Denver", "192.0.2.", ("Denver", "Colorado", 39.74, -104.99)),
    ("Seattle", "WA", "America/Los_Angeles", "2001:db8:100::", ("Seattle", "Washington", 47.61, -122.33)),
]
OFFICE = ("New York", "NY", "America/New_York")
OFFICE_IP = "198.51.100.10"
OFFICE_GEO = ("New York", "New York", 40.71, -74.01)
VPN_GEO = ("Los Angeles", "California", 34.05, -118.24)
STREETS = ["Oak Ave", "Maple St", "Cedar Rd", "Pine St", "Elm Ave", "Lakeview Dr", "Hillcrest Rd",
           "Willow Ln", "Birch Ct", "Sunset Blvd"]
UA = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/128.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0"]
# UTC offsets in October 2026 (DST in force in the US zones; Phoenix has none).
OFFSETS = {"America/New_York": -4, "America/Chicago": -5, "America/Denver": -6,
           "America/Los_Angeles": -7, "America/Phoenix": -7}
START = dt.datetime(2026, 10, 1)
FARM_IP = "192.0.2.77"
RESERVED = {50, 77, 90}  # the couple's, the farm's and the contractor's home addresses


class Worker:
    def __init__(self, **kw):
        self.status = "active"
        self.country = "US"
        self.office = False
        self.vpn = True
        self.document = ""
        self.hours = (8, 17)          # local working hours
        self.laptop_apps = ["Google Chrome", "Slack", "Zoom"]
        self.usb = []
        self.device_id = None
        self.long_session_day = None
        self.__dict__.update(kw)
        self.email = f"{self.first}.{self.last}@corp.example"
        self.network_id = f"{self.first}.{self.last}"
        self.name = f"{self.first.title()} {self.last.title()}"

    def offset(self):
        return OFFSETS[self.timezone]


HOST_OCTETS = [o for o in range(10, 250) if o not in RESERVED]


def home_ip(prefix, n, scale):
    if scale:  # a large corpus: public space in no test database, never shared by accident
        return f"11.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    if ":" in prefix:
        return f"{prefix}{n + 1:x}"
    return f"{prefix}{HOST_OCTETS[n % len(HOST_OCTETS)]}"


def make_org(rng, n, scale):
    workers, used = [], set()
    counters = {}
    for i in range(n):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            key = (first, last)
            if key not in used or scale:
                break
        if key in used:
            last = f"{last}{i}"
        used.add((first, last))
        office = i % 5 < 2
        home = HOMES[i % len(HOMES)]
        city, region, tz = OFFICE if office else home[:3]
        k = counters.get(home[3], 0)
        counters[home[3]] = k + 1
        address = f"{100 + 7 * i} {rng.choice(STREETS)}, {city}, {region}"
        w = Worker(employee_id=f"E{1001 + i}", first=first, last=last, city=city, region=region,
                   timezone=tz, office=office, vpn=not office,
                   home_ip=home_ip(home[3], i if scale else k, scale), okta_geo=home[4] if not scale else None,
                   address=address, ship_to=address, phone=f"+1 555 {1000000 + i:07d}",
                   personal_email=f"{first}{last[0]}{i}@mail.example",
                   hire_date=f"20{18 + i % 8}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                   document=f"P{(i * 7919) % 100000000:08d}")
        workers.append(w)
    return workers


def plant(rng, workers):
    farm = [
        Worker(employee_id="E9001", first="daniel", last="kim", city="Austin", region="TX",
               timezone="America/Chicago", address="12 Sunset Blvd, Austin, TX",
               ship_to="4410 Industrial Pkwy Unit 9, Denver, CO", document="M1234-5678",
               laptop_apps=["Google Chrome", "Slack", "Zoom", "AnyDesk", "TeamViewer"]),
        Worker(employee_id="E9002", first="ryan", last="cole", city="Miami", region="FL",
               timezone="America/New_York", address="845 Ocean Dr Apt 3, Miami, FL",
               ship_to="4410 Industrial Parkway #9, Denver, CO", document="K55501234",
               usb=[("1d6b", "0104", "PiKVM", "Composite KVM Device", "CAFEBABE")]),
        Worker(employee_id="E9003", first="lucas", last="hart", city="Seattle", region="WA",
               timezone="America/Los_Angeles", address="77 Pine St, Seattle, WA",
               ship_to="4410 Industrial Pkwy, Unit 9, Denver CO", document="X90871234",
               laptop_apps=["Google Chrome", "Slack", "Zoom", "AnyDesk", "TeamViewer"],
               device_id="7F3A9C21D4E8B6A0F1C2D3E4B5A69788"),
        Worker(employee_id="E9004", first="ethan", last="ward", city="Phoenix", region="AZ",
               timezone="America/Phoenix", address="3021 Camelback Rd, Phoenix, AZ",
               ship_to="4410 INDUSTRIAL PKWY UNIT 9 DENVER CO", document="T33329876",
               device_id="7F3A9C21D4E8B6A0F1C2D3E4B5A69788", long_session_day=14),
    ]
    for i, w in enumerate(farm):
        w.hire_date = "2026-08-03"
        w.home_ip = FARM_IP
        w.okta_geo = ("Denver", "Colorado", 39.74, -104.99)
        w.phone = f"+1 555 0900{i:03d}"
        w.personal_email = f"{w.first}.dev{i}@mail.example"
        w.hours = "kst"  # 09:00-18:00 in Pyongyang
    workers.extend(farm)
    candidate = Worker(employee_id="C7001", first="kevin", last="park", city="Houston", region="TX",
                       timezone="America/Chicago", status="candidate", address="5 Elm St, Houston, TX",
                       document="m 1234 5678", hire_date="", home_ip=None, okta_geo=None)
    candidate.ship_to, candidate.phone, candidate.personal_email = "", "+1 555 0777000", "kpark.dev@mail.example"
    candidate.email = ""  # a candidate has no work account yet
    workers.append(candidate)
    hopper = Worker(employee_id="E9005", first="alex", last="novak", city="Denver", region="CO",
                    timezone="America/Denver", address="19 Larimer St, Denver, CO", home_ip="192.0.2.88",
                    okta_geo=("Denver", "Colorado", 39.74, -104.99), document="N44412345",
                    hire_date="2026-06-01")
    hopper.ship_to, hopper.phone, hopper.personal_email = hopper.address, "+1 555 0301000", "alexn.dev@mail.example"
    workers.append(hopper)
    return farm, candidate, hopper


def okta(rng, w, when, ip, geo, result="SUCCESS"):
    ok = result == "SUCCESS"
    city, state, lat, lon = geo if geo else (None, None, None, None)
    rid = rng.getrandbits(128)
    return {
        "uuid": "%08x-%04x-4%03x-%04x-%012x" % (rid >> 96, (rid >> 80) & 0xffff, (rid >> 68) & 0xfff,
                                                 0x8000 | ((rid >> 52) & 0x3fff), rid & 0xffffffffffff),
        "published": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
        "eventType": "user.session.start",
        "version": "0",
        "severity": "INFO" if ok else "WARN",
        "legacyEventType": "core.user_auth.login_success" if ok else "core.user_auth.login_failed",
        "displayMessage": "User login to Okta",
        "actor": {"id": "00u" + w.employee_id.lower() + "x7AbQ1d", "type": "User",
                  "alternateId": w.email, "displayName": w.name},
        "client": {
            "userAgent": {"rawUserAgent": UA[len(w.email) % 2],
                          "os": "Mac OS X" if len(w.email) % 2 == 0 else "Windows 10", "browser": "CHROME"},
            "zone": "null", "device": "Computer", "id": None, "ipAddress": ip,
            "geographicalContext": None if not geo else {
                "city": city, "state": state, "country": "United States", "postalCode": None,
                "geolocation": {"lat": lat, "lon": lon}},
        },
        "outcome": {"result": result, "reason": None if ok else "INVALID_CREDENTIALS"},
        "securityContext": {"asNumber": None, "asOrg": None, "isp": None, "domain": None, "isProxy": None},
        "transaction": {"type": "WEB", "id": "%027x" % (rid >> 20)},
        "debugContext": {"debugData": {"requestUri": "/idp/idx/identify"}},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": "102%022x" % (rid & ((1 << 88) - 1))},
        "request": {"ipChain": [{"ip": ip, "version": "V6" if ":" in ip else "V4", "source": None}]},
        "target": [],
    }


def asa_time(t):
    return t.strftime("%b %d %Y %H:%M:%S")


def asa_session(w, start, end, ip, tunnel, host, device_id):
    """The AnyConnect messages of one VPN session, as (time, line) pairs."""
    user = w.network_id if len(w.email) % 3 else f"CORP\\{w.network_id}"
    hdr = lambda t, sev, mid: f"<166>{asa_time(t)} asa-vpn-01 : %ASA-{sev}-{mid}: "
    s = dt.timedelta(seconds=1)
    dur = end - start
    h, rem = divmod(int(dur.total_seconds()), 3600)
    return [
        (start, hdr(start, 6, 113039) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> AnyConnect parent session started."),
        (start + s, hdr(start + s, 6, 722051) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> IPv4 Address <{tunnel}> IPv6 address <::> assigned to session"),
        (start + s, hdr(start + s, 6, 722055) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> Client Type: Cisco AnyConnect VPN Agent for Windows 4.10.07061"),
        (start + 2 * s, hdr(start + 2 * s, 7, 734003) + f"DAP: User {user}, Addr {ip}: Session Attribute endpoint.anyconnect.hostname = \"{host}\""),
        (start + 2 * s, hdr(start + 2 * s, 7, 734003) + f"DAP: User {user}, Addr {ip}: Session Attribute endpoint.anyconnect.deviceuniqueid = \"{device_id}\""),
        (end, hdr(end, 4, 113019) + f"Group = GP-Corp-Users, Username = {user}, IP = {ip}, Session disconnected. "
              f"Session Type: AnyConnect-Parent, Duration: {h}h:{rem // 60:02d}m:{rem % 60:02d}s, Bytes xmt: {1000 + len(host) * 7919}, "
              f"Bytes rcv: {2000 + len(host) * 104729}, Reason: User Requested"),
    ]


def osquery(when, host, w, name, columns, action="added"):
    return {"name": name, "hostIdentifier": host, "calendarTime": when.strftime("%a %b %e %H:%M:%S %Y UTC"),
            "unixTime": int((when - dt.datetime(1970, 1, 1)).total_seconds()), "epoch": 0, "counter": 0,
            "numerics": False,
            "decorations": {"host_uuid": w.host_uuid, "hostname": host, "hardware_serial": w.serial,
                            "username": w.network_id},
            "columns": columns, "action": action}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output directory (default: the repository's samples/)")
    ap.add_argument("--workers", type=int, default=300)
    ap.add_argument("--days", type=int, default=31)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--plain", action="store_true", help="no planted schemes or look-alikes")
    ap.add_argument("--realistic", action="store_true",
                    help="a realistic organisation for tests/quality (tools/realistic_org.py); needs --out")
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
                    help="with --realistic: the vetter checkout whose rules/ and rules/lists/ the config names")
    ap.add_argument("--rules", action="append",
                    help="with --realistic: rule file or directory for the config (repeatable; default REPO/rules/dprk)")
    args = ap.parse_args()
    if args.realistic:
        if not args.out:
            ap.error("--realistic needs --out DIR (the default is the demo's samples/)")
        import sys
        sys.dont_write_bytecode = True   # no __pycache__ in tools/
        import realistic_org
        repo = os.path.abspath(args.repo)
        realistic_org.generate(args.workers, args.seed, os.path.abspath(args.out), repo,
                               [os.path.abspath(r) for r in args.rules] if args.rules else None)
        return
    if not args.out:
        args.out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    rng = random.Random(args.seed)
    scale = args.workers > 1000

    workers = make_org(rng, args.workers, scale)
    remote = [w for w in workers if not w.office]
    farm, candidate, hopper = ([], None, None) if args.plain else plant(rng, workers)
    daniel = farm[0] if farm else None
    roles = {}
    if not args.plain:
        couple = remote[0:2]
        for w in couple:
            w.home_ip, w.address, w.ship_to = "203.0.113.50", couple[0].address, couple[0].address
        for w in remote[2:5]:  # field staff behind one carrier NAT address
            w.home_ip, w.okta_geo = "100.64.7.33", ("Chicago", "Illinois", 41.88, -87.63)
        roles = {"traveller": remote[5], "privacy_vpn": remote[6], "night_owl": remote[7],
                 "coarse": remote[8], "it_admin": remote[9]}
        roles["night_owl"].hours = (21, 2)
        roles["coarse"].home_ip, roles["coarse"].okta_geo = "149.101.100.5", None
        roles["it_admin"].laptop_apps = ["Google Chrome", "Slack", "Zoom", "AnyDesk"]
    contractor = None if args.plain else Worker(
        employee_id="", first="mei", last="chen", city="Austin", region="TX", timezone="America/Chicago",
        home_ip="203.0.113.90", okta_geo=("Austin", "Texas", 30.27, -97.74), vpn=False)
    if contractor:
        contractor.email = "mei.chen.contractor@corp.example"

    staff = [w for w in workers if w.status == "active"]
    for i, w in enumerate(staff):
        w.host = f"LT-{w.employee_id}"
        w.host_uuid = "4C4C4544-%04X-%04X-8052-B4C04F4B%04X" % (i % 65536, (i * 31) % 65536, (i * 17) % 65536)
        w.serial = "C02%09d" % (i * 104729 % 1000000000)
        if not w.device_id:
            w.device_id = "%032X" % ((i + 1) * 0x9E3779B97F4A7C15 % (1 << 128))
        w.tunnel = f"10.250.{i // 250 % 250}.{i % 250 + 2}"

    os.makedirs(args.out, exist_ok=True)
    okta_file = open(os.path.join(args.out, "okta.jsonl"), "w")
    asa_file = open(os.path.join(args.out, "asa.log"), "w")
    counts = {"okta": 0, "asa": 0, "osquery": 0}
    people = staff + ([contractor] if contractor else [])

    pending_asa, pending_okta = [], []

    def local_to_utc(w, date, hour):
        return date + dt.timedelta(hours=hour - w.offset())

    for day in range(args.days):
        date = START + dt.timedelta(days=day)
        weekday = date.weekday() < 5
        okta_events, asa_lines = [], []
        for w in people:
            if w.hours == "kst":
                # Pyongyang office hours, 09:00-18:00 UTC+9, every weekday there.
                begin = date + dt.timedelta(hours=0, minutes=rng.randrange(50))
                end = date + dt.timedelta(hours=9, minutes=rng.randrange(50))
                if not weekday and date.weekday() != 5:
                    continue
            else:
                if not weekday:
                    continue
                first_hour, last_hour = w.hours
                if last_hour < first_hour:
                    last_hour += 24
                begin = local_to_utc(w, date, first_hour + rng.random())
                end = local_to_utc(w, date, last_hour + rng.random())
            ip, geo = (OFFICE_IP, OFFICE_GEO) if w.office else (w.home_ip, w.okta_geo)
            if w is roles.get("traveller") and 12 <= day <= 14:
                ip, geo = f"81.2.69.{160 + day}", None
            if w is roles.get("privacy_vpn") and day in (6, 20):
                ip, geo = f"142.214.202.{40 + day}", VPN_GEO
            logins = [(begin, ip, geo)]
            if rng.random() < 0.35:
                mid = begin + (end - begin) / 2
                logins.append((mid, ip, geo))
            if w is daniel and day % 3 == 1:
                logins = [(t, f"142.214.202.{10 + day % 5}", VPN_GEO) for t, _, _ in logins]
            if w is daniel and day in (9, 23):
                logins.append((begin + dt.timedelta(hours=1, minutes=7), f"175.45.176.{60 + day}", None))
            if w is hopper and day in (5, 12, 19, 26):
                base = begin
                logins += [(base + dt.timedelta(minutes=20), f"81.2.69.{200 + day % 10}", None),
                           (base + dt.timedelta(minutes=45), f"175.16.199.{20 + day}", None),
                           (base + dt.timedelta(minutes=58), f"185.220.101.{day}", None)]
            for t, lip, lgeo in logins:
                t = t + dt.timedelta(microseconds=rng.randrange(1000) * 1000)
                if rng.random() < 0.02:
                    okta_events.append(okta(rng, w, t - dt.timedelta(minutes=1), lip, lgeo, "FAILURE"))
                okta_events.append(okta(rng, w, t, lip, lgeo))
            if w.vpn and w is not contractor:
                session_end = end
                if w.long_session_day == day:
                    session_end = begin + dt.timedelta(hours=30, minutes=12)
                asa_lines += asa_session(w, begin + dt.timedelta(minutes=3), session_end, ip, w.tunnel, w.host,
                                         w.device_id)
        pending_okta += okta_events
        pending_okta.sort(key=lambda e: e["published"])
        cut_text = (date + dt.timedelta(days=1)).strftime("%Y-%m-%dT")
        ready_okta = [e for e in pending_okta if e["published"] < cut_text] if day < args.days - 1 else pending_okta
        pending_okta = pending_okta[len(ready_okta):]
        for e in ready_okta:
            okta_file.write(json.dumps(e, separators=(",", ":")) + "\n")
        # A session that ends after midnight is logged then: hold lines until their day comes.
        pending_asa += asa_lines
        pending_asa.sort(key=lambda x: x[0])
        cut = date + dt.timedelta(days=1)
        ready = [x for x in pending_asa if x[0] < cut] if day < args.days - 1 else pending_asa
        pending_asa = pending_asa[len(ready):]
        for _, line in ready:
            asa_file.write(line + "\n")
        counts["okta"] += len(ready_okta)
        counts["asa"] += len(ready)
    if not args.plain:
        # Okta's own documentation example: its date (Sept 31) does not exist, so vetter must count
        # it as bad input and carry on.
        okta_file.write('{"version":"0","severity":"INFO","client":{"zone":"OFF_NETWORK","device":"Unknown",'
                        '"userAgent":{"os":"Unknown","browser":"UNKNOWN","rawUserAgent":"UNKNOWN-DOWNLOAD"},'
                        '"ipAddress":"12.97.85.90"},"actor":{"id":"00u1qw1mqitPHM8AJ0g7","type":"User",'
                        '"alternateId":"admin@example.com","displayName":"John Doe"},"outcome":{"result":"SUCCESS"},'
                        '"uuid":"f790999f-fe87-467a-9880-6982a583986c","published":"2017-09-31T22:23:07.777Z",'
                        '"eventType":"user.session.start","displayMessage":"User login to Okta"}\n')
        counts["okta"] += 1
    okta_file.close()
    asa_file.close()

    # osquery: what each laptop reported when it was enrolled (day 1) and later changes.
    inventory = []
    for i, w in enumerate(staff):
        when = START + dt.timedelta(hours=14, minutes=i % 60, seconds=i % 59)
        for app in w.laptop_apps:
            inventory.append(osquery(when, w.host, w, "pack_inventory_programs",
                                     {"name": app, "version": "1.0", "publisher": "", "install_date": "20261001"}))
        usb = [("046d", "c52b", "Logitech", "USB Receiver", "")] + w.usb
        for vid, pid, vendor, model, serial in usb:
            inventory.append(osquery(when + dt.timedelta(days=3 if w.usb and vid == "1d6b" else 0), w.host, w,
                                     "pack_inventory_usb_devices",
                                     {"vendor": vendor, "vendor_id": vid, "model": model, "model_id": pid,
                                      "serial": serial, "removable": "1"}))
    inventory.sort(key=lambda e: e["unixTime"])
    with open(os.path.join(args.out, "osquery.jsonl"), "w") as f:
        for e in inventory:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    counts["osquery"] = len(inventory)

    cols = ["employee_id", "full_name", "work_email", "network_id", "status", "hire_date", "country",
            "region", "city", "timezone", "home_address", "ship_to_address", "phone", "personal_email",
            "document_number"]
    with open(os.path.join(args.out, "hr.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(cols)
        for w in workers:
            out.writerow([w.employee_id, w.name, w.email, w.network_id if w.email else "", w.status, w.hire_date,
                          w.country, w.region, w.city, w.timezone, w.address, w.ship_to, w.phone,
                          w.personal_email, w.document])
    print(f"wrote {len(workers)} HR rows, {counts['okta']} Okta records, {counts['asa']} ASA lines, "
          f"{counts['osquery']} osquery results to {args.out}")


if __name__ == "__main__":
    main()
