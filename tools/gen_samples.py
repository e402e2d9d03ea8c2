#!/usr/bin/env python3
"""Deterministic generator of vetter's sample organisation.

Writes an HR export (CSV) and a month of Okta System Log sign-ins (JSON Lines) for a small
company, with planted schemes and benign look-alikes. The IP addresses follow the plan in
geoip/README.md, so the shipped test GeoIP databases enrich them. Same seed, same bytes.

    tools/gen_samples.py [--out samples] [--workers 40] [--seed 7]

Planted schemes (must be flagged):
  * a laptop farm: four workers who declared homes in four different states sign in from one
    residential IP (192.0.2.77);
  * one of them, daniel.kim, also signs in through an anonymizing VPN exit (142.214.202.0/24)
    and twice from North Korean address space (175.45.176.0/22).
Benign look-alikes (must not reach the review threshold):
  * everyone in the New York office shares the office egress 198.51.100.10 (corporate list);
  * a couple sharing one home and one IP (203.0.113.50): two accounts, not a farm;
  * three field workers on carrier CGNAT (100.64.0.0/16, Cellular);
  * a business trip to London (81.2.69.0/24);
  * a privacy-VPN user who signs in through the same VPN exit range on a few days;
  * a contractor who is in Okta but not in HR (reported as unknown, not scored).
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import uuid

FIRST = ["olivia", "liam", "emma", "noah", "ava", "mason", "sophia", "lucas", "mia", "ethan",
         "amelia", "logan", "harper", "james", "evelyn", "aiden", "abigail", "elijah", "emily",
         "owen", "ella", "jacob", "grace", "henry", "chloe", "wyatt", "zoe", "caleb", "nora",
         "isaac", "lily", "julian", "hannah", "levi", "aria", "nathan", "layla", "adam", "ruby",
         "hugo", "iris", "felix", "jade", "oscar", "vera", "simon", "tessa", "victor", "wendy"]
LAST = ["smith", "johnson", "brown", "garcia", "miller", "davis", "wilson", "moore", "taylor",
        "thomas", "white", "harris", "martin", "clark", "lewis", "walker", "young", "allen",
        "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill", "campbell",
        "mitchell", "roberts", "carter", "phillips", "evans", "turner", "torres", "parker",
        "collins", "edwards", "stewart", "morris", "murphy", "cook", "rogers", "morgan"]

# (city, region, country, timezone, residential range prefix, Okta's own geo for that range)
HOMES = [
    ("Austin", "TX", "US", "America/Chicago", "203.0.113.", ("Austin", "Texas", 30.27, -97.74)),
    ("Dallas", "TX", "US", "America/Chicago", "203.0.113.", ("Austin", "Texas", 30.27, -97.74)),
    ("Denver", "CO", "US", "America/Denver", "192.0.2.", ("Denver", "Colorado", 39.74, -104.99)),
    ("Boulder", "CO", "US", "America/Denver", "192.0.2.", ("Denver", "Colorado", 39.74, -104.99)),
]
OFFICE = ("New York", "NY", "US", "America/New_York")
OFFICE_IP = "198.51.100.10"
STREETS = ["Oak Ave", "Maple St", "Cedar Rd", "Pine St", "Elm Ave", "Lakeview Dr", "Hillcrest Rd"]
UA = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
]
OFFSETS = {"America/New_York": -4, "America/Chicago": -5, "America/Denver": -6}  # October (DST)


class Worker:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def make_org(rng, n):
    workers = []
    used = set()
    for i in range(n):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if (first, last) not in used:
                used.add((first, last))
                break
        office = i < n // 2
        home = HOMES[i % len(HOMES)]
        city, region, country, tz = (OFFICE if office else home[:4])
        workers.append(Worker(
            employee_id=f"E{1001 + i}", first=first, last=last,
            email=f"{first}.{last}@corp.example", network_id=f"{first}.{last}",
            status="active", hire_date=f"20{19 + i % 6}-0{1 + i % 9}-15",
            city=city, region=region, country=country, timezone=tz, office=office,
            home_ip=f"{home[4]}{20 + i}", okta_geo=home[5],
            address=f"{100 + 7 * i} {rng.choice(STREETS)}, {city}, {region}",
            phone=f"+1 555 01{i:02d}", personal_email=f"{first}{last[0]}{i}@mail.example",
            ips=None))
    return workers


def planted(rng, workers):
    """Adds the schemes and look-alikes; returns per-worker sign-in plans."""
    farm = [
        Worker(employee_id="E2001", first="daniel", last="kim", city="Austin", region="TX",
               timezone="America/Chicago", address="12 Sunset Blvd, Austin, TX",
               ship_to="4410 Industrial Pkwy Unit 9, Denver, CO"),
        Worker(employee_id="E2002", first="ryan", last="cole", city="Miami", region="FL",
               timezone="America/New_York", address="845 Ocean Dr Apt 3, Miami, FL",
               ship_to="4410 Industrial Parkway #9, Denver, CO"),
        Worker(employee_id="E2003", first="lucas", last="hart", city="Seattle", region="WA",
               timezone="America/Los_Angeles", address="77 Pine St, Seattle, WA",
               ship_to="4410 Industrial Pkwy, Unit 9, Denver CO"),
        Worker(employee_id="E2004", first="ethan", last="ward", city="Phoenix", region="AZ",
               timezone="America/Phoenix", address="3021 Camelback Rd, Phoenix, AZ",
               ship_to="4410 INDUSTRIAL PKWY UNIT 9 DENVER CO"),
    ]
    for i, w in enumerate(farm):
        w.email = f"{w.first}.{w.last}@corp.example"
        w.network_id = f"{w.first}.{w.last}"
        w.status, w.hire_date, w.country = "active", "2026-08-03", "US"
        w.office = False
        w.home_ip = "192.0.2.77"
        w.okta_geo = ("Denver", "Colorado", 39.74, -104.99)
        w.phone = f"+1 555 02{i:02d}"
        w.personal_email = f"{w.first}.dev{i}@mail.example"
        w.ips = None
    workers.extend(farm)
    return farm


def signin(rng, w, when, ip, geo, result="SUCCESS"):
    ok = result == "SUCCESS"
    city, state, lat, lon = geo if geo else (None, None, None, None)
    return {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "published": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
        "eventType": "user.session.start",
        "version": "0",
        "severity": "INFO" if ok else "WARN",
        "legacyEventType": "core.user_auth.login_success" if ok else "core.user_auth.login_failed",
        "displayMessage": "User login to Okta",
        "actor": {"id": "00u" + w.employee_id.lower() + "x7AbQ1d", "type": "User",
                  "alternateId": w.email, "displayName": f"{w.first.title()} {w.last.title()}"},
        "client": {
            "userAgent": {"rawUserAgent": UA[len(w.email) % 2],
                          "os": "Mac OS X" if len(w.email) % 2 == 0 else "Windows 10",
                          "browser": "CHROME"},
            "zone": "null", "device": "Computer", "id": None, "ipAddress": ip,
            "geographicalContext": None if not geo else {
                "city": city, "state": state, "country": "United States",
                "postalCode": None, "geolocation": {"lat": lat, "lon": lon}},
        },
        "outcome": {"result": result, "reason": None if ok else "INVALID_CREDENTIALS"},
        "securityContext": {"asNumber": None, "asOrg": None, "isp": None, "domain": None,
                            "isProxy": None},
        "transaction": {"type": "WEB", "id": uuid.UUID(int=rng.getrandbits(128)).hex[:27]},
        "debugContext": {"debugData": {"requestUri": "/idp/idx/identify"}},
        "authenticationContext": {"authenticationStep": 0,
                                  "externalSessionId": "102" + uuid.UUID(int=rng.getrandbits(128)).hex[:22]},
        "request": {"ipChain": [{"ip": ip, "version": "V6" if ":" in ip else "V4", "source": None}]},
        "target": [],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "samples"))
    ap.add_argument("--workers", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=int, default=31)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    workers = make_org(rng, args.workers)
    for w in workers:
        w.ship_to = w.address
    farm = planted(rng, workers)
    daniel = farm[0]

    # Look-alikes among the ordinary workers.
    remote = [w for w in workers if not w.office and w not in farm]
    couple = remote[0:2]
    for w in couple:
        w.home_ip = "203.0.113.50"
        w.address = couple[0].address
        w.ship_to = couple[0].address
    cgnat = remote[2:5]
    for k, w in enumerate(cgnat):
        w.home_ip = f"100.64.{7 + k}.{33 + k}"
        w.okta_geo = ("Chicago", "Illinois", 41.88, -87.63)
    traveller = remote[5]
    privacy_vpn = remote[6]
    contractor = Worker(employee_id="", first="mei", last="chen", email="mei.chen.contractor@corp.example",
                        timezone="America/Chicago", office=False, home_ip="203.0.113.90",
                        okta_geo=("Austin", "Texas", 30.27, -97.74))

    start = dt.datetime(2026, 10, 1)
    events = []
    for day in range(args.days):
        date = start + dt.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for w in workers + [contractor]:
            offset = OFFSETS.get(w.timezone, -7)
            for n in range(rng.choice([1, 1, 2])):
                local = date + dt.timedelta(hours=8 + 4 * n + rng.random(), minutes=rng.randrange(60))
                when = local - dt.timedelta(hours=offset) + dt.timedelta(microseconds=rng.randrange(1000) * 1000)
                ip, geo = (OFFICE_IP, ("New York", "New York", 40.71, -74.01)) if w.office else (w.home_ip, w.okta_geo)
                if w is traveller and 12 <= day <= 14:
                    ip, geo = f"81.2.69.{160 + day}", None
                if w is privacy_vpn and day in (6, 20):
                    ip, geo = f"142.214.202.{40 + day}", ("Los Angeles", "California", 34.05, -118.24)
                if w is daniel and day % 3 == 1:
                    ip, geo = f"142.214.202.{10 + day % 5}", ("Los Angeles", "California", 34.05, -118.24)
                if w is daniel and day in (9, 23) and n == 0:
                    when = date + dt.timedelta(hours=1, minutes=rng.randrange(60))  # 10:xx in Pyongyang
                    ip, geo = f"175.45.176.{60 + day}", None
                if rng.random() < 0.02:
                    events.append(signin(rng, w, when - dt.timedelta(minutes=1), ip, geo, "FAILURE"))
                events.append(signin(rng, w, when, ip, geo))
    events.sort(key=lambda e: e["published"])

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "okta.jsonl"), "w") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
        # Okta's own documentation example: its date (Sept 31) does not exist, so vetter must
        # count it as bad input and carry on.
        f.write('{"version":"0","severity":"INFO","client":{"zone":"OFF_NETWORK","device":"Unknown",'
                '"userAgent":{"os":"Unknown","browser":"UNKNOWN","rawUserAgent":"UNKNOWN-DOWNLOAD"},'
                '"ipAddress":"12.97.85.90"},"actor":{"id":"00u1qw1mqitPHM8AJ0g7","type":"User",'
                '"alternateId":"admin@example.com","displayName":"John Doe"},"outcome":{"result":"SUCCESS"},'
                '"uuid":"f790999f-fe87-467a-9880-6982a583986c","published":"2017-09-31T22:23:07.777Z",'
                '"eventType":"user.session.start","displayMessage":"User login to Okta"}\n')

    cols = ["employee_id", "full_name", "work_email", "network_id", "status", "hire_date", "country",
            "region", "city", "timezone", "home_address", "ship_to_address", "phone", "personal_email"]
    with open(os.path.join(args.out, "hr.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(cols)
        for w in workers:
            out.writerow([w.employee_id, f"{w.first.title()} {w.last.title()}", w.email, w.network_id,
                          w.status, w.hire_date, w.country, w.region, w.city, w.timezone, w.address,
                          w.ship_to, w.phone, w.personal_email])
    print(f"wrote {len(events) + 1} Okta records and {len(workers)} HR rows to {args.out}")


if __name__ == "__main__":
    main()
