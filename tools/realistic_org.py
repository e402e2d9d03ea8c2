"""A realistic organisation for vetter's quality benchmark (tools/gen_samples.py --realistic).

    tools/gen_samples.py --realistic --workers 1500 --seed 11 --out DIR

Writes, for 30 days of September 2026 (no DST change in any zone used), into DIR:

  hr.csv                 HR export: hr-csv's default columns plus job_title, department,
                         worker_type, manager (the manager's work e-mail) and bank_account
  okta.jsonl             Okta System Log sign-ins (laptops and phones)
  asa.log                Cisco ASA AnyConnect syslog (one session per remote work day)
  osquery.jsonl          osquery programs and USB devices per laptop (enrolment, later changes)
  lists/corporate_egress.txt   the company's office NAT ranges (the coworking space is not listed)
  hmac.key               the key for document and bank hashes
  geoip-plan.json        every network of the data with its City/ASN/Anonymous/Connection record
  geoip/geolite/         GeoLite2-City + GeoLite2-ASN built from the plan (tools/build-org-geoip)
  geoip/full/            GeoIP2-City, GeoLite2-ASN, GeoIP2-Anonymous-IP, GeoIP2-Connection-Type
  vetter.yaml            config using geoip/full; vetter-geolite.yaml: the same with geoip/geolite
  truth.json             workers, planted schemes (accounts, strength, cluster), look-alikes

Everything is drawn from random.Random(seed): the same seed gives the same bytes. Confounders are
drawn at base rates (each rate is written next to its constant with the reason), so their counts
vary between seeds and grow with the company; the planted schemes scale with size too.

Addresses look like the real allocations of the named ISPs and carriers (Comcast 73/8, T-Mobile
172.32/11, ...), but every GeoIP record is made up here for this data: none of it is real
geolocation, and no real database is read or written.
"""

import csv
import datetime as dt
import heapq
import ipaddress
import json
import math
import os
import random
import subprocess
import zoneinfo

START = dt.datetime(2026, 9, 1)   # a Tuesday; 30 days, no DST change in US, EU or Asian zones used
DAYS = 30
END = START + dt.timedelta(days=DAYS)
DOMAIN = "corp.example"

# --------------------------------------------------------------------------------------------
# Geography: cities with coordinates, region, time zone and a weight (share of remote workers).
# --------------------------------------------------------------------------------------------

US_CITIES = [  # name, state code, state, lat, lon, zone, weight
    ("New York", "NY", "New York", 40.71, -74.01, "America/New_York", 8),
    ("Brooklyn", "NY", "New York", 40.65, -73.95, "America/New_York", 4),
    ("Boston", "MA", "Massachusetts", 42.36, -71.06, "America/New_York", 4),
    ("Philadelphia", "PA", "Pennsylvania", 39.95, -75.17, "America/New_York", 3),
    ("Pittsburgh", "PA", "Pennsylvania", 40.44, -80.00, "America/New_York", 2),
    ("Washington", "DC", "District of Columbia", 38.90, -77.04, "America/New_York", 3),
    ("Arlington", "VA", "Virginia", 38.88, -77.10, "America/New_York", 2),
    ("Raleigh", "NC", "North Carolina", 35.78, -78.64, "America/New_York", 3),
    ("Charlotte", "NC", "North Carolina", 35.23, -80.84, "America/New_York", 2),
    ("Atlanta", "GA", "Georgia", 33.75, -84.39, "America/New_York", 4),
    ("Miami", "FL", "Florida", 25.77, -80.19, "America/New_York", 3),
    ("Tampa", "FL", "Florida", 27.95, -82.46, "America/New_York", 2),
    ("Orlando", "FL", "Florida", 28.54, -81.38, "America/New_York", 2),
    ("Columbus", "OH", "Ohio", 39.96, -83.00, "America/New_York", 2),
    ("Detroit", "MI", "Michigan", 42.33, -83.05, "America/Detroit", 2),
    ("Chicago", "IL", "Illinois", 41.88, -87.63, "America/Chicago", 6),
    ("Minneapolis", "MN", "Minnesota", 44.98, -93.27, "America/Chicago", 3),
    ("Madison", "WI", "Wisconsin", 43.07, -89.40, "America/Chicago", 1),
    ("St. Louis", "MO", "Missouri", 38.63, -90.20, "America/Chicago", 2),
    ("Kansas City", "MO", "Missouri", 39.10, -94.58, "America/Chicago", 2),
    ("Nashville", "TN", "Tennessee", 36.16, -86.78, "America/Chicago", 2),
    ("Austin", "TX", "Texas", 30.27, -97.74, "America/Chicago", 5),
    ("Dallas", "TX", "Texas", 32.78, -96.80, "America/Chicago", 4),
    ("Houston", "TX", "Texas", 29.76, -95.37, "America/Chicago", 3),
    ("Denver", "CO", "Colorado", 39.74, -104.99, "America/Denver", 4),
    ("Boulder", "CO", "Colorado", 40.01, -105.27, "America/Denver", 1),
    ("Salt Lake City", "UT", "Utah", 40.76, -111.89, "America/Denver", 2),
    ("Phoenix", "AZ", "Arizona", 33.45, -112.07, "America/Phoenix", 3),
    ("Las Vegas", "NV", "Nevada", 36.17, -115.14, "America/Los_Angeles", 1),
    ("Los Angeles", "CA", "California", 34.05, -118.24, "America/Los_Angeles", 5),
    ("San Diego", "CA", "California", 32.72, -117.16, "America/Los_Angeles", 3),
    ("San Francisco", "CA", "California", 37.77, -122.42, "America/Los_Angeles", 5),
    ("Oakland", "CA", "California", 37.80, -122.27, "America/Los_Angeles", 2),
    ("San Jose", "CA", "California", 37.34, -121.89, "America/Los_Angeles", 2),
    ("Sacramento", "CA", "California", 38.58, -121.49, "America/Los_Angeles", 1),
    ("Portland", "OR", "Oregon", 45.52, -122.68, "America/Los_Angeles", 3),
    ("Seattle", "WA", "Washington", 47.61, -122.33, "America/Los_Angeles", 5),
    ("Spokane", "WA", "Washington", 47.66, -117.43, "America/Los_Angeles", 1),
]
US = {c[0]: c for c in US_CITIES}

COUNTRIES = {  # iso: (continent, name)
    "US": ("NA", "United States"), "CA": ("NA", "Canada"), "MX": ("NA", "Mexico"),
    "BR": ("SA", "Brazil"), "GB": ("EU", "United Kingdom"), "FR": ("EU", "France"),
    "DE": ("EU", "Germany"), "NL": ("EU", "Netherlands"), "PL": ("EU", "Poland"),
    "RU": ("EU", "Russia"), "IN": ("AS", "India"), "PH": ("AS", "Philippines"),
    "CN": ("AS", "China"), "KP": ("AS", "North Korea"), "SG": ("AS", "Singapore"),
    "JP": ("AS", "Japan"), "AE": ("AS", "United Arab Emirates"),
}
CONTINENTS = {"NA": "North America", "SA": "South America", "EU": "Europe", "AS": "Asia"}

FOREIGN_CITIES = {  # name: (country, subdivision code, subdivision, lat, lon, zone)
    "London": ("GB", "ENG", "England", 51.51, -0.13, "Europe/London"),
    "Paris": ("FR", "IDF", "Ile-de-France", 48.86, 2.35, "Europe/Paris"),
    "Berlin": ("DE", "BE", "Land Berlin", 52.52, 13.40, "Europe/Berlin"),
    "Frankfurt am Main": ("DE", "HE", "Hesse", 50.11, 8.68, "Europe/Berlin"),
    "Amsterdam": ("NL", "NH", "North Holland", 52.37, 4.90, "Europe/Amsterdam"),
    "Warsaw": ("PL", "14", "Mazovia", 52.23, 21.01, "Europe/Warsaw"),
    "Krakow": ("PL", "12", "Lesser Poland", 50.06, 19.94, "Europe/Warsaw"),
    "Bengaluru": ("IN", "KA", "Karnataka", 12.97, 77.59, "Asia/Kolkata"),
    "Pune": ("IN", "MH", "Maharashtra", 18.52, 73.86, "Asia/Kolkata"),
    "Hyderabad": ("IN", "TG", "Telangana", 17.39, 78.49, "Asia/Kolkata"),
    "Manila": ("PH", "00", "Metro Manila", 14.60, 120.98, "Asia/Manila"),
    "Cebu City": ("PH", "07", "Central Visayas", 10.32, 123.89, "Asia/Manila"),
    "Mexico City": ("MX", "CMX", "Mexico City", 19.43, -99.13, "America/Mexico_City"),
    "Cancun": ("MX", "ROO", "Quintana Roo", 21.16, -86.85, "America/Cancun"),
    "Guadalajara": ("MX", "JAL", "Jalisco", 20.67, -103.35, "America/Mexico_City"),
    "Sao Paulo": ("BR", "SP", "Sao Paulo", -23.55, -46.63, "America/Sao_Paulo"),
    "Toronto": ("CA", "ON", "Ontario", 43.65, -79.38, "America/Toronto"),
    "Shanghai": ("CN", "SH", "Shanghai", 31.23, 121.47, "Asia/Shanghai"),
    "Shenyang": ("CN", "LN", "Liaoning", 41.81, 123.43, "Asia/Shanghai"),
    "Dandong": ("CN", "LN", "Liaoning", 40.12, 124.38, "Asia/Shanghai"),
    "Vladivostok": ("RU", "PRI", "Primorskiy Kray", 43.12, 131.89, "Asia/Vladivostok"),
    "Moscow": ("RU", "MOW", "Moscow", 55.76, 37.62, "Europe/Moscow"),
    "Singapore": ("SG", "01", "Central Singapore", 1.29, 103.85, "Asia/Singapore"),
    "Tokyo": ("JP", "13", "Tokyo", 35.69, 139.69, "Asia/Tokyo"),
    "Dubai": ("AE", "DU", "Dubai", 25.20, 55.27, "Asia/Dubai"),
    "Pyongyang": ("KP", None, None, 39.03, 125.75, "Asia/Pyongyang"),
}


def place(city):
    """(country, city, subdivision code, subdivision, lat, lon, zone) of a known city."""
    if city in US:
        name, code, state, lat, lon, zone, _ = US[city]
        return ("US", name, code, state, lat, lon, zone)
    cc, sub, subname, lat, lon, zone = FOREIGN_CITIES[city]
    return (cc, city, sub, subname, lat, lon, zone)


def km(a, b):
    """Great-circle distance between two places (or (lat, lon) pairs) in km."""
    la1, lo1 = a[-3:-1] if len(a) > 2 else a
    la2, lo2 = b[-3:-1] if len(b) > 2 else b
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------------------------
# Networks: who announces what. Ranges follow the real operators' allocations.
# --------------------------------------------------------------------------------------------

# Home broadband (US). Share: rough US market shares among remote workers.
HOME_ISPS = [  # key, ASN, organisation, supernet, share, CGNAT?, connection type
    ("comcast", 7922, "Comcast Cable Communications, LLC", "73.0.0.0/8", 0.30, False, "Cable/DSL"),
    ("charter", 20115, "Charter Communications Inc", "174.96.0.0/12", 0.22, False, "Cable/DSL"),
    ("att", 7018, "AT&T Services, Inc.", "99.0.0.0/8", 0.15, False, "Cable/DSL"),
    ("verizon", 701, "Verizon Business", "108.0.0.0/12", 0.10, False, "Cable/DSL"),
    ("cox", 22773, "Cox Communications Inc.", "68.96.0.0/11", 0.07, False, "Cable/DSL"),
    ("lumen", 209, "CenturyLink Communications, LLC", "67.0.0.0/12", 0.06, False, "Cable/DSL"),
    # Fixed wireless and satellite put many homes behind few addresses (CGNAT): T-Mobile Home
    # Internet had ~6 M US subscribers in 2025 (~5% of households), Starlink ~2 M (~2%).
    ("tmobile_home", 21928, "T-Mobile USA, Inc.", "172.56.0.0/14", 0.06, True, "Cellular"),
    ("starlink", 14593, "Space Exploration Technologies Corporation", "98.97.0.0/16", 0.04, True, "Satellite"),
]
MOBILE_CARRIERS = [  # key, ASN, organisation, supernet, share of phones
    ("tmobile", 21928, "T-Mobile USA, Inc.", "172.32.0.0/12", 0.38),
    ("vzw", 6167, "CELLCO-PART", "174.192.0.0/10", 0.34),
    ("att_mobility", 20057, "AT&T Mobility LLC", "166.128.0.0/9", 0.28),
]
# Carriers egress a metro region's phones through a handful of CGNAT addresses, geolocated to
# the gateway's city with a wide radius: dozens of unrelated phones share one address.
MOBILE_HUBS = {"East": "New York", "South": "Atlanta", "Central": "Chicago", "Texas": "Dallas",
               "Mountain": "Denver", "West": "Los Angeles", "Northwest": "Seattle"}
MOBILE_ADDRESSES_PER_HUB = 3
# CGNAT home ISPs (Starlink, 5G home internet) egress a region through a pool of public
# addresses that thousands of subscribers share. The pools are not public; a /23 per region
# (512 addresses), with each router's address changing every 2-7 days, is on the small side,
# so colleagues meet on an address: pairs now and then at 1,500 workers, triples (what the
# shared-IP rule counts) regularly at 15,000, where a region holds ~50 colleagues per ISP.
CGNAT_POOL_PREFIX = 23

OFFICE_ISPS = [("zayo", 6461, "Zayo Bandwidth", "64.125.0.0/16"),
               ("lumen3356", 3356, "Level 3 Parent, LLC", "4.0.0.0/9"),
               ("cogent", 174, "Cogent Communications", "38.0.0.0/8")]
COWORKING_ISP = ("comcast_business", 7922, "Comcast Cable Communications, LLC", "50.192.0.0/10")
HOTEL_ISP = ("hotel", 20115, "Charter Communications Inc", "24.160.0.0/11")

FOREIGN_ISPS = {  # country: [(key, ASN, org, supernet, connection type)], first is fixed-line
    "GB": [("bt", 2856, "British Telecommunications PLC", "86.128.0.0/10", "Cable/DSL")],
    "FR": [("orange", 3215, "Orange", "90.0.0.0/9", "Cable/DSL")],
    "DE": [("dtag", 3320, "Deutsche Telekom AG", "79.192.0.0/10", "Cable/DSL")],
    "NL": [("kpn", 1136, "KPN B.V.", "77.160.0.0/12", "Cable/DSL")],
    "PL": [("orange_pl", 5617, "Orange Polska Spolka Akcyjna", "83.0.0.0/11", "Cable/DSL"),
           ("play", 12912, "T-Mobile Polska S.A.", "31.60.0.0/14", "Cellular")],
    "IN": [("airtel", 24560, "Bharti Airtel Ltd., Telemedia Services", "122.160.0.0/12", "Cable/DSL"),
           ("jio", 55836, "Reliance Jio Infocomm Limited", "49.32.0.0/12", "Cellular")],
    "PH": [("pldt", 9299, "Philippine Long Distance Telephone Company", "112.200.0.0/13", "Cable/DSL"),
           ("globe", 132199, "Globe Telecom Inc.", "175.176.0.0/14", "Cellular")],
    "MX": [("telmex", 8151, "UNINET", "187.128.0.0/10", "Cable/DSL"),
           ("telcel", 28403, "Radiomovil Dipsa, S.A. de C.V.", "189.128.0.0/13", "Cellular")],
    "BR": [("vivo", 27699, "TELEFONICA BRASIL S.A", "177.0.0.0/12", "Cable/DSL")],
    "CA": [("rogers", 812, "Rogers Communications Canada Inc.", "99.224.0.0/11", "Cable/DSL")],
    "CN": [("chinanet", 4134, "Chinanet", "101.80.0.0/12", "Cable/DSL"),
           ("unicom", 4837, "CHINA UNICOM China169 Backbone", "175.160.0.0/12", "Cable/DSL")],
    "RU": [("rostelecom", 12389, "PJSC Rostelecom", "95.24.0.0/13", "Cable/DSL"),
           ("mts", 8359, "MTS PJSC", "217.118.64.0/18", "Cellular")],
    "JP": [("ntt", 4713, "NTT Communications Corporation", "153.128.0.0/9", "Cable/DSL")],
    "SG": [("singtel", 7473, "Singapore Telecommunications Ltd", "116.14.0.0/15", "Cable/DSL")],
    "AE": [("etisalat", 5384, "Emirates Telecommunications Group Company", "94.56.0.0/14", "Cable/DSL")],
}
# Commercial VPN exits (is_anonymous_vpn) and plain hosting (is_hosting_provider only).
VPN_PROVIDERS = [  # key, ASN, org, supernet, cities of exits, anonymous VPN?
    ("m247", 9009, "M247 Europe SRL", "146.70.0.0/16",
     ["New York", "Chicago", "Los Angeles", "Dallas", "Miami", "London", "Amsterdam", "Frankfurt am Main"], True),
    ("datacamp", 60068, "Datacamp Limited", "156.146.32.0/19",
     ["New York", "Atlanta", "Seattle", "Denver", "Singapore", "Tokyo", "Amsterdam"], True),
    ("digitalocean", 14061, "DigitalOcean, LLC", "159.203.0.0/16",
     ["New York", "San Francisco", "Amsterdam", "Singapore", "Frankfurt am Main"], False),
    ("ovh", 16276, "OVH SAS", "51.38.0.0/16", ["Paris", "Warsaw", "Toronto"], False),
]
AWS = ("aws", 16509, "Amazon.com, Inc.", "3.80.0.0/12", ["Arlington"])
TOR = ("tor", 60729, "Stiftung Erneuerbare Freiheit", "185.220.101.0/24", ["Berlin"])
KP_NET = ("kp", 131279, "Ryugyong-dong", "175.45.176.0/22", ["Pyongyang"])


class Network:
    """One GeoIP record: a CIDR with its City, ASN, Connection-Type and Anonymous-IP data."""

    def __init__(self, cidr, asn, org, conn, geo, accuracy, anon=()):
        self.net = ipaddress.ip_network(cidr)
        self.asn, self.org, self.conn, self.anon = asn, org, conn, list(anon)
        self.geo = geo            # place() tuple, or ("US", None, ...) for a country-only record
        self.accuracy = accuracy
        self.used = set()

    def address(self, rng):
        """A fresh host address of this network, never handed out before."""
        size = self.net.num_addresses
        while True:
            off = rng.randrange(2, size - 1) if size > 4 else rng.randrange(size)
            if off not in self.used or len(self.used) >= size - 3:
                self.used.add(off)
                return str(self.net.network_address + off)

    def record(self):
        cc, city, sub, subname, lat, lon, zone = self.geo
        rec = {"net": str(self.net), "asn": [self.asn, self.org], "country": cc,
               "continent": COUNTRIES[cc][0], "country_name": COUNTRIES[cc][1],
               "continent_name": CONTINENTS[COUNTRIES[cc][0]],
               "lat": lat, "lon": lon, "accuracy": self.accuracy, "time_zone": zone}
        if city:
            rec["city"] = city
        if sub:
            rec["subdivision"] = [sub, subname]
        if self.conn:
            rec["conn"] = self.conn
        if self.anon:
            rec["anon"] = self.anon
        lite = self.lite_record(rec)
        if lite:
            rec["lite"] = lite
        return rec

    # GeoLite2 City is less accurate than GeoIP2 City (MaxMind's accuracy pages show fewer US
    # addresses resolved to the right city). For access networks (not hosting, corporate or
    # anonymizers) the GeoLite record drops the city for 10% of blocks (country and region
    # only, radius 200-500 km) and names a city 100-600 km off for 5%. Drawn from the block's
    # own seed, so the main random stream (and the GeoIP2 data) is the same as without it.
    P_LITE_NO_CITY = 0.10
    P_LITE_OTHER_CITY = 0.05

    def lite_record(self, rec):
        if self.anon or self.conn not in ("Cable/DSL", "Cellular", "Satellite") or rec["country"] != "US":
            return None
        rng = random.Random(f"geolite-{self.net}-{self.seed}")
        r = rng.random()
        if r < self.P_LITE_NO_CITY and "city" in rec:
            return {"city": None, "accuracy": rng.choice([200, 500])}
        if r < self.P_LITE_NO_CITY + self.P_LITE_OTHER_CITY:
            here = (rec["lat"], rec["lon"])
            near = [c for c in US_CITIES if 100 <= km(here, (c[3], c[4])) <= 600]
            if near:
                c = rng.choice(near)
                return {"city": c[0], "subdivision": [c[1], c[2]], "lat": c[3], "lon": c[4],
                        "time_zone": c[5], "accuracy": rng.choice([100, 200])}
        return None


class IpPlan:
    """Carves per-city blocks out of each operator's supernet and remembers every record."""

    def __init__(self, rng):
        self.rng = rng
        self.blocks = {}      # (operator key, city) -> Network
        self.cursor = {}      # operator key -> next block index
        self.networks = []
        self.by_ip = {}

    def block(self, op_key, supernet, asn, org, conn, city, prefix=20, anon=(), geo=None, accuracy=None):
        key = (op_key, city)
        if key not in self.blocks:
            sup = ipaddress.ip_network(supernet)
            prefix = max(prefix, sup.prefixlen)
            i = self.cursor.get(op_key, 0)
            self.cursor[op_key] = i + 1
            step = 1 << (32 - prefix)
            n = ipaddress.ip_network((int(sup.network_address) + (i * step) % sup.num_addresses, prefix))
            true_place = place(city)
            geo, accuracy = geo or true_place, accuracy or self.rng.choice([5, 10, 20, 50])
            self.blocks[key] = net = Network(n, asn, org, conn, geo, accuracy, anon)
            self.networks.append(net)
        return self.blocks[key]

    def lookup(self, ip):
        a = ipaddress.ip_address(ip)
        for n in self.networks:
            if a in n.net:
                return n
        return None

    def plan(self, seed):
        for n in self.networks:
            n.seed = seed
        return [n.record() for n in sorted(self.networks, key=lambda n: int(n.net.network_address))]


# GeoIP city errors. Residential blocks whose record names a city hundreds to 1,500 km away
# with a wide radius: 6% of blocks (MaxMind's own accuracy figures put ~15-30% of US IPs outside
# 50 km; the far-off ones with a large radius are a few percent). 2% more are country-only
# records at the US centroid with radius 1000 km, as MaxMind returns when it knows no city.
P_BLOCK_MISPLACED = 0.06
P_BLOCK_COUNTRY_ONLY = 0.02
US_CENTROID = ("US", None, None, None, 37.751, -97.822, "America/Chicago")


def home_block(plan, isp, city):
    key, asn, org, supernet, _share, _cgnat, conn = isp
    if (key, city) in plan.blocks:
        return plan.blocks[(key, city)]
    rng = plan.rng
    r = rng.random()
    geo = acc = None
    if r < P_BLOCK_MISPLACED:
        here = place(city)
        far = [c for c in US_CITIES if 200 <= km(here, place(c[0])) <= 1500]
        if far:
            geo, acc = place(rng.choice(far)[0]), rng.choice([100, 200, 500, 1000])
    elif r < P_BLOCK_MISPLACED + P_BLOCK_COUNTRY_ONLY:
        geo, acc = US_CENTROID, 1000
    if _cgnat:  # one pool per region, geolocated to the gateway (Starlink: its PoP), not the home
        hub = mobile_hub(city)
        if key == "starlink" or rng.random() < 0.5:
            geo, acc = place(hub), rng.choice([200, 500])
        return plan.block(key, supernet, asn, org, conn, hub, CGNAT_POOL_PREFIX, geo=geo, accuracy=acc)
    return plan.block(key, supernet, asn, org, conn, city, 20, geo=geo, accuracy=acc)


def mobile_hub(city):
    c = US[city]
    state, lon = c[1], c[4]
    if state == "TX":
        return MOBILE_HUBS["Texas"]
    if state in ("WA", "OR"):
        return MOBILE_HUBS["Northwest"]
    if lon < -114:
        return MOBILE_HUBS["West"]
    if lon < -100:
        return MOBILE_HUBS["Mountain"]
    if lon < -85 and c[5] != "America/New_York":
        return MOBILE_HUBS["Central"]
    if c[3] < 37:
        return MOBILE_HUBS["South"]
    return MOBILE_HUBS["East"]


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

FIRST = ("olivia liam emma noah ava mason sophia lucas mia ethan amelia logan harper james evelyn "
         "aiden abigail elijah emily owen ella jacob grace henry chloe wyatt zoe caleb nora isaac "
         "lily julian hannah levi aria nathan layla adam ruby hugo iris felix jade oscar vera simon "
         "tessa victor wendy maya leo clara miles alice ezra ivy jonah stella rowan priya arjun "
         "ananya rahul divya vikram sneha rohan maria jose carlos sofia diego lucia marco elena "
         "anna jakub zofia piotr katarzyna tomasz wei li ming hana yuki kenji min jun seo ji "
         "fatima omar amir leila david sarah michael jessica daniel laura kevin rachel brian megan "
         "andrew nicole tyler ashley justin samantha kyle brianna sean lauren").split()
LAST = ("smith johnson brown garcia miller davis wilson moore taylor thomas white harris martin "
        "clark lewis walker young allen king wright scott green baker adams nelson hill campbell "
        "mitchell roberts carter phillips evans turner torres parker collins edwards stewart morris "
        "murphy cook rogers morgan reed bell bailey cooper howard ward cox diaz richardson wood "
        "patel shah kumar singh reddy iyer nair gupta santos reyes cruz bautista ramos mendoza "
        "gonzalez hernandez lopez martinez perez nowak kowalski wisniewski wojcik kaminski lee "
        "nguyen chen wang zhang liu tanaka sato suzuki park choi kim ali khan hassan ahmed "
        "cohen levy murray hughes price bennett wood barnes ross henderson jenkins perry powell "
        "long patterson flores washington butler simmons foster gonzales bryant russell griffin").split()

DEPARTMENTS = [  # department, share, titles (last title is the manager's)
    ("Engineering", 0.38, ["Software Engineer", "Senior Software Engineer", "Staff Engineer",
                           "QA Engineer", "Engineering Manager"]),
    ("Infrastructure", 0.06, ["Site Reliability Engineer", "DevOps Engineer", "SRE Manager"]),
    ("IT", 0.04, ["IT Support Specialist", "Helpdesk Technician", "Systems Administrator", "IT Manager"]),
    ("Product", 0.06, ["Product Manager", "Product Designer", "Director of Product"]),
    ("Sales", 0.15, ["Account Executive", "Sales Development Rep", "Sales Engineer", "Sales Director"]),
    ("Customer Success", 0.10, ["Customer Success Manager", "Support Engineer", "Head of Support"]),
    ("Marketing", 0.08, ["Marketing Manager", "Content Writer", "Growth Analyst", "VP Marketing"]),
    ("Finance", 0.05, ["Accountant", "Financial Analyst", "Controller"]),
    ("People", 0.04, ["Recruiter", "HR Business Partner", "Head of People"]),
    ("Legal", 0.02, ["Counsel", "Paralegal", "General Counsel"]),
    ("Security", 0.02, ["Security Engineer", "Security Analyst", "CISO"]),
]
STREETS = ["Oak Ave", "Maple St", "Cedar Rd", "Pine St", "Elm Ave", "Lakeview Dr", "Hillcrest Rd",
           "Willow Ln", "Birch Ct", "Sunset Blvd", "Park Ave", "Main St", "Washington St", "2nd St",
           "Highland Ave", "Ridge Rd", "Meadow Ln", "Chestnut St", "Spring St", "Forest Dr"]
DESKTOP_UA = [
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/128.0.0.0 Safari/537.36", "Mac OS X", "CHROME", "Computer"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0", "Windows 10", "EDGE_CHROMIUM", "Computer"),
]
PHONE_UA = [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "iOS", "MOBILE_SAFARI", "Mobile"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/128.0.0.0 Mobile Safari/537.36", "Android", "CHROME", "Mobile"),
]
BASE_APPS = ["Google Chrome", "Slack", "Zoom", "Microsoft Teams", "1Password", "Microsoft Word",
             "Microsoft Excel", "Visual Studio Code", "Docker Desktop", "Notion", "Figma", "Postman"]
BASE_USB = [("046d", "c52b", "Logitech", "USB Receiver", ""),
            ("05ac", "024f", "Apple Inc.", "Magic Keyboard", ""),
            ("1050", "0407", "Yubico", "YubiKey OTP+FIDO+CCID", ""),
            ("0bda", "8153", "Realtek", "USB 10/100/1000 LAN", ""),
            ("2109", "2817", "VIA Labs, Inc.", "USB2.0 Hub", "")]
REMOTE_TOOLS = ["AnyDesk", "TeamViewer", "ScreenConnect", "Splashtop Streamer", "Chrome Remote Desktop",
                "RustDesk"]


class Worker:
    def __init__(self, **kw):
        self.status = "active"
        self.worker_type = "employee"
        self.country = "US"
        self.office = None            # office dict for hybrid workers
        self.office_days = 0          # days a week in the office
        self.coworking = None
        self.hours = None             # (start, end) local, float hours; end may exceed 24
        self.weekend = 0.04           # chance of some activity on a weekend day
        self.vpn = True
        self.apps = []
        self.usb = []
        self.device_id = None
        self.phone_rate = 0.0         # share of work days with a phone sign-in
        self.carrier = None
        self.first_day, self.last_day = 0, DAYS - 1
        self.trips = []               # (first day, last day, city, kind)
        self.vpn_days = {}            # day -> list of exit Networks (privacy VPN, hopping)
        self.foreign_days = {}        # day -> Network (persona abroad)
        self.home_ips = {}            # day -> address from that day on (DHCP lease changes)
        self.fixed_ip = None          # a farm's address: every sign-in comes from there
        self.long_session_day = None
        self.night_pages = []         # (day, local hour) of on-call sign-ins
        self.pto = set()
        self.extra_kp = []            # days with a sign-in from North Korean space
        self.laptop = None
        self.isp = None
        self.home_net = None
        self.__dict__.update(kw)


def weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def expected(rng, rate, n, minimum=0):
    """A count for a base rate: the expectation's integer part plus a Bernoulli draw of the rest."""
    x = rate * n
    k = int(x) + (1 if rng.random() < x - int(x) else 0)
    return max(minimum, k)


class Org:
    def __init__(self, rng, n):
        self.rng = rng
        self.n = n
        self.plan = IpPlan(rng)
        self.workers = []             # every HR row (workers, candidates, terminated)
        self.extra_accounts = []      # accounts in Okta but not in HR (service accounts)
        self.names = set()
        self.next_id = 1001
        self.offices = []
        self.coworkings = []
        self.schemes = []
        self.lookalikes = []
        self.rates = {}

    # ---------------- identities ----------------
    def new_identity(self, first=None, last=None, prefix="E"):
        rng = self.rng
        first = first or rng.choice(FIRST)
        last = last or rng.choice(LAST)
        base, k = f"{first}.{last}", 1
        handle = base
        while handle in self.names:
            k += 1
            handle = f"{base}{k}"
        self.names.add(handle)
        eid = f"{prefix}{self.next_id}"
        self.next_id += 1
        return dict(first=first, last=last, handle=handle, employee_id=eid,
                    email=f"{handle}@{DOMAIN}", network_id=handle,
                    name=f"{first.title()} {last.title()}",
                    phone=f"+1 {rng.randrange(201, 990)} {rng.randrange(200, 999)} {rng.randrange(10000):04d}",
                    personal_email=f"{first}{last[0]}{rng.randrange(10, 9999)}@{rng.choice(['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com'])}",
                    document=f"{rng.choice('ACEFGHJKLMNPRSTXZ')}{rng.randrange(10**7, 10**8)}",
                    bank_account=f"{rng.choice(['021000021', '026009593', '121000358', '111000025', '322271627'])}-{rng.randrange(10**9, 10**10)}",
                    hire_date=self.hire_date())

    def hire_date(self):
        rng = self.rng
        d = START - dt.timedelta(days=int(rng.expovariate(1 / 900)) + 31)
        return d.strftime("%Y-%m-%d")

    def address(self, city, state, number=None):
        rng = self.rng
        unit = f" Apt {rng.randrange(1, 40)}" if rng.random() < 0.3 else ""
        return f"{number or rng.randrange(10, 9900)} {rng.choice(STREETS)}{unit}, {city}, {state}"

    def home_isp(self):
        return weighted(self.rng, HOME_ISPS, [i[4] for i in HOME_ISPS])

    def carrier(self):
        return weighted(self.rng, MOBILE_CARRIERS, [c[4] for c in MOBILE_CARRIERS])

    def us_worker(self, city=None, **kw):
        rng = self.rng
        city = city or weighted(rng, [c[0] for c in US_CITIES], [c[6] for c in US_CITIES])
        c = US[city]
        ident = self.new_identity()
        addr = self.address(city, c[1])
        isp = self.home_isp()
        w = Worker(**ident, city=city, region=c[1], timezone=c[5], home_address=addr, ship_to=addr,
                   isp=isp, **kw)
        w.home_net = home_block(self.plan, isp, city)
        start = rng.gauss(8.6, 0.9)
        w.hours = (min(max(start, 6.0), 11.0), min(max(start, 6.0), 11.0) + rng.uniform(7.5, 9.5))
        w.carrier = self.carrier()
        # Phones: ~60% of workers sign in from a phone at all (Okta Verify / mobile apps), on
        # 5-40% of their work days.
        w.phone_rate = rng.uniform(0.05, 0.4) if rng.random() < 0.6 else 0.0
        return w

    # ---------------- the ordinary company ----------------
    def build_offices(self):
        rng = self.rng
        # 2-4 offices (one more per ~5,000 workers), each with its own NAT egress (a /28).
        count = min(4, 2 + self.n // 5000 + (1 if rng.random() < 0.5 else 0))
        cities = rng.sample(["New York", "San Francisco", "Chicago", "Austin", "Seattle", "Boston", "Denver"], count)
        for i, city in enumerate(cities):
            op = OFFICE_ISPS[i % len(OFFICE_ISPS)]
            net = self.plan.block(op[0], op[3], op[1], op[2], "Corporate", city, prefix=28, accuracy=20)
            c = US[city]
            self.offices.append({"city": city, "net": net, "ip": net.address(rng),
                                 "address": f"{rng.randrange(100, 999)} {rng.choice(['Market St', 'Broadway', 'Congress Ave', 'Wacker Dr', '5th Ave'])} Floor {rng.randrange(2, 30)}, {city}, {c[1]}"})
        # A coworking space (~1 per 1,500 workers) on business cable, missing from the
        # corporate egress list, as small sites usually are.
        for k in range(expected(rng, 1 / 1500, self.n, 1)):
            city = weighted(rng, [c[0] for c in US_CITIES], [c[6] for c in US_CITIES])
            op = COWORKING_ISP
            # One operator key for every space, so the block cursor moves on: per-space keys
            # each started at the supernet's first /29 and gave every space one address.
            net = self.plan.block(op[0], op[3], op[1], op[2], "Cable/DSL", city, prefix=29, accuracy=10)
            self.coworkings.append({"city": city, "net": net, "ip": net.address(rng)})

    def build_workforce(self):
        rng = self.rng
        depts = [d for d in DEPARTMENTS]
        for i in range(self.n):
            dept = weighted(rng, depts, [d[1] for d in depts])
            r = rng.random()
            if r < 0.05:
                w = self.contractor_abroad()
            else:
                # 35% of US staff are hybrid at an office (3 office days a week); the rest remote.
                if rng.random() < 0.35:
                    office = rng.choice(self.offices)
                    w = self.us_worker(office["city"])
                    w.office, w.office_days = office, 3
                else:
                    w = self.us_worker()
                if rng.random() < 0.03:   # US contractors through an agency
                    w.worker_type = "contractor"
            w.department = dept[0]
            w.job_title = rng.choice(dept[2][:-1])
            self.finish(w)
            self.workers.append(w)
        self.assign_managers()

    def contractor_abroad(self):
        """Contractors abroad (5%): HR says so, and they sign in from there."""
        rng = self.rng
        cc = weighted(rng, ["IN", "PH", "PL", "MX", "BR"], [40, 25, 20, 10, 5])
        city = rng.choice([k for k, v in FOREIGN_CITIES.items() if v[0] == cc])
        cc, _, sub, subname, lat, lon, zone = place(city)
        ident = self.new_identity()
        isps = FOREIGN_ISPS[cc]
        fixed = isps[0]
        w = Worker(**ident, city=city, region=sub, country=cc, timezone=zone, worker_type="contractor",
                   home_address=f"{rng.randrange(1, 400)} {rng.choice(['Residency Road', 'Ulica Dluga', 'Calle Hidalgo', 'Rua Augusta', 'Rizal Avenue'])}, {city}",
                   isp=None)
        w.ship_to = w.home_address
        w.phone = f"+{rng.choice(['91', '63', '48', '52', '55'])} {rng.randrange(10**9, 10**10)}"
        w.home_net = self.plan.block(fixed[0], fixed[3], fixed[1], fixed[2], fixed[4], city)
        start = rng.gauss(9.5, 1.0)
        w.hours = (start, start + rng.uniform(8, 9.5))
        mobile = isps[1] if len(isps) > 1 else None
        w.foreign_mobile = mobile
        w.phone_rate = rng.uniform(0.05, 0.3) if mobile and rng.random() < 0.5 else 0.0
        self.lookalikes.append((w, "contractor_abroad"))
        return w

    def finish(self, w):
        """Laptop, apps, schedule details every worker has."""
        rng = self.rng
        w.laptop = self.new_laptop(w)
        w.apps = rng.sample(BASE_APPS, rng.randrange(4, 8))
        w.usb = rng.sample(BASE_USB, rng.randrange(1, 3))
        w.pto = {d for d in range(DAYS) if rng.random() < 0.04}
        w.home_ips = {0: w.home_net.address(rng) if not w.isp or not w.isp[5] else None}
        w.cgnat_schedule = []
        if w.isp and w.isp[5]:
            d, net = 0, w.home_net
            while d < DAYS:
                w.cgnat_schedule.append((d, str(net.net.network_address + rng.randrange(1, net.net.num_addresses - 1))))
                d += rng.randrange(2, 8)
        if not hasattr(w, "department"):
            w.department, w.job_title = "Engineering", "Software Engineer"
        if not hasattr(w, "foreign_mobile"):
            w.foreign_mobile = None

    def new_laptop(self, w):
        rng = self.rng
        uuid = "%08X-%04X-%04X-%04X-%012X" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                              rng.getrandbits(16), rng.getrandbits(48))
        return {"uuid": uuid, "serial": "C02" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9)),
                "host": f"LT-{w.employee_id}", "device_id": "%032X" % rng.getrandbits(128)}

    def assign_managers(self):
        rng = self.rng
        by_dept = {}
        for w in self.workers:
            by_dept.setdefault(w.department, []).append(w)
        for dept, people in by_dept.items():
            titles = next(d[2] for d in DEPARTMENTS if d[0] == dept)
            managers = people[:max(1, len(people) // 8)]
            for m in managers:
                m.job_title = titles[-1]
            for w in people:
                w.manager = "" if w is managers[0] else rng.choice(managers).email

    def staff(self):
        return [w for w in self.workers if w.status in ("active", "terminated") and w.email]

    def pick(self, pred=lambda w: True, exclude_roles=True):
        """A random ordinary worker (no role yet) matching pred."""
        pool = [w for w in self.workers if w.status == "active" and w.email and pred(w)
                and not (exclude_roles and getattr(w, "role", None))]
        if not pool:
            return None
        w = self.rng.choice(pool)
        return w


def add_lookalike(org, w, kind):
    w.role = kind
    org.lookalikes.append((w, kind))


# --------------------------------------------------------------------------------------------
# Confounders: benign behaviour that looks like an indicator, at base rates.
# --------------------------------------------------------------------------------------------

def add_confounders(org):
    rng, n = org.rng, org.n
    rates = org.rates
    ordinary = lambda w: w.country == "US" and w.worker_type == "employee"

    # Households: ~1% of staff live with a colleague (couples who met at work; industry surveys
    # put office couples at a few percent, both remote at one company is rarer). Same address,
    # same connection; half of them have a joint bank account (on both HR records).
    rates["household_pairs"] = 0.005
    for _ in range(expected(rng, 0.005, n)):
        a = org.pick(lambda w: ordinary(w) and not w.office)
        b = org.pick(lambda w: ordinary(w) and not w.office and a is not None and w is not a)
        if not a or not b:
            break
        b.city, b.region, b.timezone, b.home_address = a.city, a.region, a.timezone, a.home_address
        b.ship_to, b.home_net, b.isp, b.home_ips = a.home_address, a.home_net, a.isp, a.home_ips
        b.cgnat_schedule = a.cgnat_schedule
        b.shared_home_with = a
        if rng.random() < 0.5:
            b.bank_account = a.bank_account
        add_lookalike(org, a, "household")
        add_lookalike(org, b, "household")

    # Coworking: 8-20 remote workers of the coworking space's city spend 1-3 days a week there.
    for cw in org.coworkings:
        people = [w for w in org.workers if w.city == cw["city"] and not w.office and w.status == "active"
                  and w.email and not getattr(w, "role", None)]
        for w in rng.sample(people, min(len(people), rng.randrange(8, 21))):
            w.coworking, w.coworking_days = cw, rng.randrange(1, 4)
            add_lookalike(org, w, "coworking")

    # CGNAT home internet (T-Mobile Home Internet, Starlink: ~10% of remote staff by the ISP
    # shares above) is drawn with the ISP; they are look-alikes of the shared-IP rule.
    for w in org.workers:
        if w.isp and w.isp[5] and not getattr(w, "role", None) and w.email:
            add_lookalike(org, w, f"cgnat_home_{w.isp[0]}")

    # GeoIP city errors: workers whose home block is misplaced (P_BLOCK_MISPLACED above).
    for w in org.workers:
        if (w.email and w.country == "US" and w.home_net and not getattr(w, "role", None)
                and w.home_net.geo[1] != w.city
                and not w.office):
            add_lookalike(org, w, "geoip_error")

    # Travellers. Red-eye US->Europe: ~0.4% of staff in a month (international business travel
    # is rare outside sales); a conference in China: ~1 per 1,000; a week in Mexico: ~1 per 500;
    # domestic trips with hotel Wi-Fi: 4%.
    rates.update(redeye=0.004, china_conference=0.001, mexico_week=0.002, domestic_trip=0.04)
    for _ in range(expected(rng, 0.004, n, 1)):
        w = org.pick(ordinary)
        if w:
            d = rng.randrange(3, 20)
            w.trips.append((d, d + rng.randrange(3, 7), rng.choice(["London", "Paris", "Berlin", "Amsterdam"]), "redeye"))
            add_lookalike(org, w, "traveller_redeye")
    for _ in range(expected(rng, 0.001, n, 1)):
        w = org.pick(ordinary)
        if w:
            d = rng.randrange(3, 22)
            w.trips.append((d, d + 3, "Shanghai", "conference"))
            add_lookalike(org, w, "traveller_china")
    for _ in range(expected(rng, 0.002, n, 1)):
        w = org.pick(ordinary)
        if w:
            d = rng.randrange(2, 20)
            w.trips.append((d, d + 6, "Cancun", "holiday"))   # works a little from the resort
            add_lookalike(org, w, "traveller_mexico")
    for w in org.workers:
        if w.email and w.country == "US" and not w.trips and rng.random() < 0.04:
            d = rng.randrange(1, 26)
            dest = rng.choice([c[0] for c in US_CITIES if c[0] != w.city])
            w.trips.append((d, d + rng.randrange(1, 4), dest, "domestic"))

    # Privacy VPN: ~3% of staff use a consumer VPN on a day or two (one exit each day);
    # one always-on user per ~1,500 lets the client pick a new exit every day.
    rates.update(privacy_vpn=0.03, always_on_vpn=1 / 1500)
    for _ in range(expected(rng, 0.03, n)):
        w = org.pick(ordinary)
        if w:
            prov = rng.choice([p for p in VPN_PROVIDERS if p[5]])
            for d in rng.sample(range(DAYS), rng.randrange(1, 3)):
                w.vpn_days[d] = [vpn_exit(org, prov, rng.choice(prov[4][:5]))]
            add_lookalike(org, w, "privacy_vpn")
    for _ in range(expected(rng, 1 / 1500, n, 1)):
        w = org.pick(ordinary)
        if w:
            prov = rng.choice([p for p in VPN_PROVIDERS if p[5]])
            near = [c for c in prov[4] if c in US]
            for d in range(DAYS):
                w.vpn_days[d] = [vpn_exit(org, prov, rng.choice(near))]
            add_lookalike(org, w, "always_on_vpn")

    # IT and helpdesk staff with remote-support tools: most IT staff have one; ~20% two.
    for w in org.workers:
        if w.email and w.department == "IT" and not getattr(w, "role", None):
            r = rng.random()
            if r < 0.2:
                w.apps += rng.sample(REMOTE_TOOLS[:4], 2)
                add_lookalike(org, w, "it_two_remote_tools")
            elif r < 0.8:
                w.apps.append(rng.choice(REMOTE_TOOLS[:4]))
                add_lookalike(org, w, "it_one_remote_tool")
    # Outside IT, ~1% of staff have one remote tool (helping family, a vendor's support session).
    for w in org.workers:
        if w.email and w.department != "IT" and rng.random() < 0.01:
            w.apps.append(rng.choice(REMOTE_TOOLS))

    # Night owls (~4%: shifted days ending 01:00-02:00) and on-call engineers (Infrastructure:
    # one week in four on call, paged on some nights).
    rates.update(night_owl=0.04)
    for _ in range(expected(rng, 0.04, n)):
        w = org.pick(lambda w: w.country == "US")
        if w:
            start = rng.uniform(12.5, 15.0)
            w.hours = (start, start + rng.uniform(9.5, 11))
            add_lookalike(org, w, "night_owl")
    for w in org.workers:
        if w.email and w.department == "Infrastructure" and not getattr(w, "role", None) and rng.random() < 0.25:
            week = rng.randrange(4)
            w.night_pages = [(d, rng.uniform(0.5, 5.0)) for d in range(week * 7, week * 7 + 7)
                             if rng.random() < 0.7]
            add_lookalike(org, w, "on_call")

    # New hires this month (~3%/month at 35% yearly growth+churn); a third have the laptop sent
    # to a temporary address (moving, a relative); ~0.4% of all staff have it sent to an office
    # for pickup, which makes several workers share one non-home ship-to.
    rates.update(new_hire=0.03, ship_elsewhere=1 / 3, office_pickup=0.004)
    for _ in range(expected(rng, 0.03, n)):
        w = org.pick(lambda w: w.country == "US")
        if w:
            d = rng.randrange(1, 25)
            w.first_day = d
            w.hire_date = (START + dt.timedelta(days=d)).strftime("%Y-%m-%d")
            if rng.random() < 1 / 3:
                c = US[rng.choice(list(US))]
                w.ship_to = org.address(c[0], c[1])
                add_lookalike(org, w, "new_hire_ship_elsewhere")
            else:
                w.role = "new_hire"
    for _ in range(expected(rng, 0.004, n)):
        w = org.pick(lambda w: w.country == "US")
        if w:
            w.ship_to = rng.choice(org.offices)["address"]
            add_lookalike(org, w, "office_pickup")

    # Leavers (~1%/month) and laptops reissued to a new hire within the month (~0.3%: most
    # refurbishing takes longer): one hardware UUID, serial and VPN device id, two accounts.
    rates.update(leaver=0.01, laptop_reissue=0.003)
    for _ in range(expected(rng, 0.01, n)):
        w = org.pick(ordinary)
        if w:
            w.last_day = rng.randrange(3, 20)
            w.status = "terminated"
            w.role = "leaver"
    for _ in range(expected(rng, 0.003, n)):
        old = org.pick(ordinary)
        new = org.pick(lambda w: ordinary(w) and w is not old)
        if not old or not new:
            break
        old.last_day = rng.randrange(2, 12)
        old.status = "terminated"
        new.first_day = old.last_day + rng.randrange(5, 12)
        new.hire_date = (START + dt.timedelta(days=new.first_day)).strftime("%Y-%m-%d")
        new.laptop = dict(old.laptop, host=new.laptop["host"])
        add_lookalike(org, old, "laptop_reissue")
        add_lookalike(org, new, "laptop_reissue")

    # Rehires (~0.1%): an old, terminated HR record (no account) with the same passport.
    rates["rehire"] = 0.001
    for _ in range(expected(rng, 0.001, n)):
        w = org.pick(ordinary)
        if w:
            old = Worker(**{k: getattr(w, k) for k in ("first", "last", "name", "phone", "personal_email",
                                                       "bank_account", "city", "region", "timezone",
                                                       "home_address", "ship_to")},
                         employee_id=f"E{org.next_id}", email="", network_id="", status="terminated",
                         hire_date="2019-03-04", document=w.document.lower(), department=w.department,
                         job_title=w.job_title, manager="", handle="")
            org.next_id += 1
            org.workers.append(old)
            add_lookalike(org, w, "rehire")
            org.lookalikes.append((old, "rehire_old_record"))

    # Developers with a Linux board in USB gadget mode (generic 1d6b:0104, no KVM strings): 0.3%.
    for w in org.workers:
        if w.email and w.department == "Engineering" and rng.random() < 0.005:
            w.usb.append(("1d6b", "0104", "Linux Foundation", "Multifunction Composite Gadget", "fedcba9876543210"))
            if not getattr(w, "role", None):
                add_lookalike(org, w, "usb_gadget_developer")

    # Applicants in the ATS export (~2% of headcount), with their own documents.
    for _ in range(expected(rng, 0.02, n)):
        ident = org.new_identity(prefix="C")
        c = US[rng.choice(list(US))]
        org.workers.append(Worker(**dict(ident, email="", network_id="", hire_date=""),
                                  status=rng.choice(["candidate", "applicant"]), city=c[0], region=c[1],
                                  timezone=c[5], home_address=org.address(c[0], c[1]), ship_to="",
                                  department="", job_title="", manager=""))

    # Service accounts in Okta but not in HR (~1 per 1,000): CI jobs from a cloud region, day and night.
    for k in range(expected(rng, 0.001, n, 1)):
        net = org.plan.block("aws", AWS[3], AWS[1], AWS[2], None, "Arlington", prefix=24,
                             anon=["is_anonymous", "is_hosting_provider"], accuracy=1000)
        svc = Worker(first="svc", last=f"ci{k}", handle=f"svc-ci{k}", employee_id="", email=f"svc-ci{k}@{DOMAIN}",
                     network_id=f"svc-ci{k}", name=f"CI Service {k}", city="Arlington", region="VA",
                     timezone="America/New_York", service_ip=net.address(rng), vpn=False)
        org.extra_accounts.append(svc)
        org.lookalikes.append((svc, "service_account_cloud"))


def vpn_exit(org, prov, city):
    key, asn, name, supernet, _cities, anonymous = prov
    anon = ["is_anonymous", "is_anonymous_vpn", "is_hosting_provider"] if anonymous else ["is_anonymous", "is_hosting_provider"]
    return org.plan.block(key, supernet, asn, name, None, city, prefix=24, anon=anon,
                          accuracy=org.rng.choice([20, 50, 100]))


# --------------------------------------------------------------------------------------------
# Planted schemes
# --------------------------------------------------------------------------------------------

FACILITATOR_STREETS = ["Industrial Pkwy", "Commerce Dr", "Gateway Blvd", "Enterprise Way", "Harbor Rd"]


def ship_to_spellings(rng, number, street, unit, city, state):
    long_street = street.replace("Pkwy", "Parkway").replace("Dr", "Drive").replace("Blvd", "Boulevard").replace("Rd", "Road")
    return [f"{number} {street} Unit {unit}, {city}, {state}",
            f"{number} {long_street} #{unit}, {city}, {state}",
            f"{number} {street}, Unit {unit}, {city} {state}",
            f"{number} {street.upper()} UNIT {unit} {city.upper()} {state}",
            f"{number} {long_street} Unit {unit}, {city}, {state}"]


def new_scheme(org, kind, strength, members, cluster):
    org.schemes.append({"id": f"{kind}-{len(org.schemes) + 1}", "kind": kind, "strength": strength,
                        "members": members, "cluster": cluster})
    for w in members:
        w.role = kind


def plant_farm(org, strong):
    """A laptop farm: workers who declared homes far apart, all on one residential address."""
    rng = org.rng
    size = rng.randrange(3, 6) if strong else rng.randrange(2, 4)
    host_city = weighted(rng, [c[0] for c in US_CITIES], [c[6] for c in US_CITIES])
    hc = US[host_city]
    isp = weighted(rng, HOME_ISPS[:6], [i[4] for i in HOME_ISPS[:6]])
    farm_ip = home_block(org.plan, isp, host_city).address(rng)
    spellings = ship_to_spellings(rng, rng.randrange(100, 9000), rng.choice(FACILITATOR_STREETS),
                                  rng.randrange(1, 30), host_city, hc[1])
    homes = rng.sample([c[0] for c in US_CITIES if US[c[0]][1] != hc[1]], size)
    hired = START - dt.timedelta(days=rng.randrange(20, 150))
    members = []
    for i, city in enumerate(homes):
        w = org.us_worker(city)
        w.department = "Engineering"
        w.job_title = rng.choice(["Software Engineer", "Senior Software Engineer", "QA Engineer"])
        w.manager = rng.choice([m.email for m in org.workers if m.department == "Engineering"
                                and m.job_title == "Engineering Manager"] or [""])
        w.hire_date = (hired + dt.timedelta(days=rng.randrange(0, 21))).strftime("%Y-%m-%d")
        w.ship_to = spellings[i % len(spellings)]
        w.fixed_ip = farm_ip
        w.phone_rate = 0.0
        org.finish(w)
        members.append(w)
    if strong:
        # Operators abroad work their own day (Pyongyang/Shenyang office hours) on 80% of farms.
        if rng.random() < 0.8:
            for w in members:
                w.hours, w.abroad_zone = (9 + rng.random() * 0.8, 18 + rng.random()), "Asia/Pyongyang"
        if rng.random() < 0.7:
            rng.choice(members).usb.append(("1d6b", "0104", "PiKVM", "Composite KVM Device", "CAFEBABE"))
        if rng.random() < 0.7:
            for w in rng.sample(members, rng.randrange(1, 3)):
                w.apps += rng.sample(["AnyDesk", "TeamViewer", "Chrome Remote Desktop", "RustDesk"], 2)
        if rng.random() < 0.6:
            a, b = rng.sample(members, 2)
            b.shared_device_id = a.laptop["device_id"]
        if rng.random() < 0.3:
            rng.choice(members).extra_kp = rng.sample(range(DAYS), 2)
        if rng.random() < 0.4:
            rng.choice(members).long_session_day = rng.randrange(3, 25)
    org.workers.extend(members)
    new_scheme(org, "laptop_farm" if strong else "weak_farm", "strong" if strong else "weak", members, True)


def plant_document_reuse(org):
    """A worker whose passport number is also on an applicant's record, spelled differently."""
    rng = org.rng
    w = org.pick(lambda w: w.country == "US")
    if not w:
        return
    w.hire_date = (START - dt.timedelta(days=rng.randrange(30, 120))).strftime("%Y-%m-%d")
    doc = w.document
    spelled = f"{doc[0].lower()} {doc[1:5]}-{doc[5:]}"
    ident = org.new_identity(prefix="C")
    c = US[rng.choice(list(US))]
    cand = Worker(**dict(ident, email="", network_id="", document=spelled, hire_date=""),
                  status=rng.choice(["candidate", "applicant"]), city=c[0], region=c[1], timezone=c[5],
                  home_address=org.address(c[0], c[1]), ship_to="", department="", job_title="", manager="")
    org.workers.append(cand)
    new_scheme(org, "document_reuse", "strong", [w], False)
    org.schemes[-1]["related"] = [cand.employee_id]   # the applicant's row: no account, named by id


def plant_vpn_hopper(org):
    """Systematic anonymizer use: several exits a day in several countries, most work days."""
    rng = org.rng
    w = org.pick(lambda w: w.country == "US" and not w.office)
    if not w:
        return
    providers = VPN_PROVIDERS
    for d in range(DAYS):
        if rng.random() < 0.75:
            exits = []
            for _ in range(rng.randrange(2, 5)):
                prov = rng.choice(providers)
                exits.append(vpn_exit(org, prov, rng.choice(prov[4])))
            w.vpn_days[d] = exits
    if rng.random() < 0.5:
        tor = org.plan.block(TOR[0], TOR[3], TOR[1], TOR[2], None, "Berlin", prefix=24,
                             anon=["is_anonymous", "is_tor_exit_node", "is_hosting_provider"], accuracy=20)
        w.vpn_days.setdefault(rng.randrange(DAYS), []).append(tor)
    w.hours = (rng.uniform(18, 20), rng.uniform(26, 28)) if rng.random() < 0.5 else w.hours
    w.phone_rate = 0.0
    new_scheme(org, "vpn_hopper", "strong", [w], False)


def plant_persona_abroad(org):
    """A US persona whose sign-ins come from China or Russia on most days."""
    rng = org.rng
    w = org.pick(lambda w: w.country == "US" and not w.office)
    if not w:
        return
    city = rng.choice(["Shenyang", "Dandong", "Vladivostok", "Shanghai"])
    cc = place(city)[0]
    isp = FOREIGN_ISPS[cc][0]
    net = org.plan.block(isp[0], isp[3], isp[1], isp[2], isp[4], city)
    ip = net.address(rng)
    for d in range(DAYS):
        if rng.random() < 0.8:
            w.foreign_days[d] = (net, ip)
    w.abroad_zone = place(city)[6]
    w.hours = (9 + rng.random(), 18 + rng.random())
    w.phone_rate = 0.0
    new_scheme(org, "persona_abroad", "strong", [w], False)


WEAK_TRACES = ["vpn_occasional", "night", "ship_elsewhere", "one_remote_tool", "long_session", "named_country_once"]


def plant_weak(org):
    """A scheme that leaves only two weak traces."""
    rng = org.rng
    w = org.pick(lambda w: w.country == "US" and not w.office)
    if not w:
        return
    traces = rng.sample(WEAK_TRACES, 2)
    for t in traces:
        if t == "vpn_occasional":
            prov = rng.choice([p for p in VPN_PROVIDERS if p[5]])
            for d in rng.sample(range(DAYS), 2):
                w.vpn_days[d] = [vpn_exit(org, prov, rng.choice(prov[4]))]
        elif t == "night":
            w.hours, w.abroad_zone = (9 + rng.random(), 18 + rng.random()), "Asia/Shanghai"
        elif t == "ship_elsewhere":
            c = US[rng.choice([x for x in US if US[x][1] != w.region])]
            w.ship_to = org.address(c[0], c[1])
        elif t == "one_remote_tool":
            w.apps.append(rng.choice(["AnyDesk", "Chrome Remote Desktop", "RustDesk"]))
        elif t == "long_session":
            w.long_session_day = rng.randrange(3, 25)
        elif t == "named_country_once":
            city = rng.choice(["Shenyang", "Vladivostok"])
            cc = place(city)[0]
            isp = FOREIGN_ISPS[cc][0]
            net = org.plan.block(isp[0], isp[3], isp[1], isp[2], isp[4], city)
            w.foreign_days[rng.randrange(DAYS)] = (net, net.address(rng))
    w.phone_rate = 0.0
    new_scheme(org, "weak_" + "+".join(sorted(traces)), "weak", [w], False)
    org.schemes[-1]["traces"] = traces


def plant_schemes(org):
    rng, n = org.rng, org.n
    # Farms: one per ~500 workers, two strong for one weak; the other kinds one per 1,500
    # (at least one each), weak two-trace schemes one per 750 (at least two).
    farms = max(2, round(n / 500))
    weak_farms = max(1, farms // 3)
    for i in range(farms - weak_farms):
        plant_farm(org, True)
    for i in range(weak_farms):
        plant_farm(org, False)
    for _ in range(max(1, round(n / 1500))):
        plant_document_reuse(org)
        plant_vpn_hopper(org)
        plant_persona_abroad(org)
    for _ in range(max(2, round(n / 750))):
        plant_weak(org)


# --------------------------------------------------------------------------------------------
# Activity: one local work day at a time, written in time order.
# --------------------------------------------------------------------------------------------

def utc(day, hour, zone):
    """UTC (naive) of local hour `hour` (float, may exceed 24) on day `day` in `zone`."""
    local = dt.datetime.combine((START + dt.timedelta(days=day)).date(), dt.time()) + dt.timedelta(hours=hour)
    z = zoneinfo.ZoneInfo(zone)
    return (local.replace(tzinfo=z)).astimezone(dt.timezone.utc).replace(tzinfo=None)


class Writer:
    """Keeps events in a heap and writes them in time order once no earlier event can come."""

    def __init__(self, out):
        self.files = {k: open(os.path.join(out, name), "w") for k, name in
                      (("okta", "okta.jsonl"), ("asa", "asa.log"))}
        self.heap = []
        self.seq = 0
        self.counts = {"okta": 0, "asa": 0}

    def add(self, when, kind, line):
        if not START <= when < END:   # the export covers the 30 days exactly
            return
        self.seq += 1
        heapq.heappush(self.heap, (when, self.seq, kind, line))

    def flush(self, before=None):
        while self.heap and (before is None or self.heap[0][0] < before):
            _, _, kind, line = heapq.heappop(self.heap)
            f = self.files[kind]
            f.write(line)
            f.write("\n")
            self.counts[kind] += 1

    def close(self):
        self.flush()
        for f in self.files.values():
            f.close()


def okta_line(rng, w, when, ip, net, ua, result="SUCCESS"):
    ok = result == "SUCCESS"
    rid = rng.getrandbits(128)
    geo = None
    if net:
        cc, city, sub, subname, lat, lon, _zone = net.geo
        geo = {"city": city, "state": subname, "country": COUNTRIES[cc][1], "postalCode": None,
               "geolocation": {"lat": lat, "lon": lon}}
    raw, os_name, browser, device = ua
    e = {
        "uuid": "%08x-%04x-4%03x-%04x-%012x" % (rid >> 96, (rid >> 80) & 0xffff, (rid >> 68) & 0xfff,
                                                 0x8000 | ((rid >> 52) & 0x3fff), rid & 0xffffffffffff),
        "published": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
        "eventType": "user.session.start", "version": "0",
        "severity": "INFO" if ok else "WARN",
        "legacyEventType": "core.user_auth.login_success" if ok else "core.user_auth.login_failed",
        "displayMessage": "User login to Okta",
        "actor": {"id": "00u" + (w.employee_id or w.handle).lower() + "x7AbQ1d", "type": "User",
                  "alternateId": w.email, "displayName": w.name},
        "client": {"userAgent": {"rawUserAgent": raw, "os": os_name, "browser": browser},
                   "zone": "null", "device": device, "id": None, "ipAddress": ip,
                   "geographicalContext": geo},
        "outcome": {"result": result, "reason": None if ok else "INVALID_CREDENTIALS"},
        "securityContext": {"asNumber": net.asn if net else None, "asOrg": net.org if net else None,
                            "isp": net.org if net else None, "domain": None, "isProxy": None},
        "transaction": {"type": "WEB", "id": "%027x" % (rid >> 20)},
        "request": {"ipChain": [{"ip": ip, "version": "V4", "source": None}]},
        "target": [],
    }
    return json.dumps(e, separators=(",", ":"))


def asa_lines(w, start, end, ip, tunnel, device_id, client):
    user = w.network_id if len(w.email) % 3 else f"CORP\\{w.network_id}"
    host = w.laptop["host"]
    t = lambda x: x.strftime("%b %d %Y %H:%M:%S")
    hdr = lambda x, sev, mid: f"<166>{t(x)} asa-vpn-01 : %ASA-{sev}-{mid}: "
    s = dt.timedelta(seconds=1)
    secs = int((end - start).total_seconds())
    h, rem = divmod(secs, 3600)
    return [
        (start, hdr(start, 6, 113039) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> AnyConnect parent session started."),
        (start + s, hdr(start + s, 6, 722051) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> IPv4 Address <{tunnel}> IPv6 address <::> assigned to session"),
        (start + s, hdr(start + s, 6, 722055) + f"Group <GP-Corp-Users> User <{user}> IP <{ip}> Client Type: {client}"),
        (start + 2 * s, hdr(start + 2 * s, 7, 734003) + f"DAP: User {user}, Addr {ip}: Session Attribute endpoint.anyconnect.hostname = \"{host}\""),
        (start + 2 * s, hdr(start + 2 * s, 7, 734003) + f"DAP: User {user}, Addr {ip}: Session Attribute endpoint.anyconnect.deviceuniqueid = \"{device_id}\""),
        (end, hdr(end, 4, 113019) + f"Group = GP-Corp-Users, Username = {user}, IP = {ip}, Session disconnected. "
              f"Session Type: AnyConnect-Parent, Duration: {h}h:{rem // 60:02d}m:{rem % 60:02d}s, "
              f"Bytes xmt: {secs * 2113 % 10**9}, Bytes rcv: {secs * 9173 % 10**10}, Reason: User Requested"),
    ]


ANYCONNECT = ["Cisco AnyConnect VPN Agent for Windows 4.10.07061", "Cisco AnyConnect VPN Agent for Mac OS X 4.10.07061"]


def home_ip_on(org, w, day):
    """The worker's home address on a day: DHCP leases change now and then, CGNAT per session."""
    if w.isp and w.isp[5]:
        # CGNAT: the router's public address is one of the region's pool, shared with thousands
        # of subscribers, and changes every few days (cgnat_schedule).
        for first, ip in reversed(w.cgnat_schedule):
            if first <= day:
                return ip
    ip = None
    for d in sorted(w.home_ips):
        if d <= day:
            ip = w.home_ips[d]
    return ip


P_DHCP_REUSE = 0.1


def plan_dhcp(org):
    """Lease changes: ~30% of cable/DSL homes get a new address during the month (modem
    reboots, outages, lease expiry); P_DHCP_REUSE of the new leases is an address a colleague
    in the same city and ISP released within the week (pools reassign freed addresses quickly),
    which shows as two accounts on one residential IP within days."""
    rng = org.rng
    released = {}   # home block -> [(day, ip)]
    events = []
    for w in org.workers:
        if not w.email or (w.isp and w.isp[5]) or getattr(w, "shared_home_with", None) or w.fixed_ip or not w.isp:
            continue
        if rng.random() < 0.3:
            events.append((rng.randrange(1, DAYS), w))
    events.sort(key=lambda e: (e[0], e[1].employee_id))
    for day, w in events:
        old = home_ip_on(org, w, day)
        freed = released.get(w.home_net, [])
        pool = [x for x in freed if day - 7 <= x[0] <= day and x[2] is not w]
        if pool and rng.random() < P_DHCP_REUSE:
            taken = rng.choice(pool)
            freed.remove(taken)
            _, ip, prev = taken
            if not getattr(w, "role", None):
                add_lookalike(org, w, "dhcp_reuse")
            if not getattr(prev, "role", None):
                add_lookalike(org, prev, "dhcp_reuse")
        else:
            ip = w.home_net.address(rng)
        w.home_ips[day] = ip
        for h in org.workers:
            if getattr(h, "shared_home_with", None) is w:
                h.home_ips = w.home_ips
        released.setdefault(w.home_net, []).append((day, old, w))


def location_on(org, w, day):
    """(address, Network, zone of the place, kind) of the worker's laptop on a day."""
    rng = org.rng
    for first, last, city, kind in w.trips:
        if first <= day <= last:
            p = place(city)
            cc = p[0]
            if cc == "US":
                net = org.plan.block(HOTEL_ISP[0], HOTEL_ISP[3], HOTEL_ISP[1], HOTEL_ISP[2], "Cable/DSL", city, prefix=24)
            else:
                isp = FOREIGN_ISPS[cc][0]
                net = org.plan.block(isp[0], isp[3], isp[1], isp[2], isp[4], city)
            key = (w.employee_id, city)
            ip = org.trip_ips.get(key) or org.trip_ips.setdefault(key, net.address(rng))
            return ip, net, p[6], "trip"
    if day in w.foreign_days:
        net, ip = w.foreign_days[day]
        return ip, net, net.geo[6], "abroad"
    if w.fixed_ip:
        return w.fixed_ip, org.plan.lookup(w.fixed_ip), w.timezone, "farm"
    weekday = (START + dt.timedelta(days=day)).weekday()
    if w.office and weekday < w.office_days:
        return w.office["ip"], w.office["net"], w.timezone, "office"
    if w.coworking and (weekday + int(w.employee_id[1:]) % 5) % 5 < w.coworking_days:
        return w.coworking["ip"], w.coworking["net"], w.timezone, "coworking"
    ip = home_ip_on(org, w, day)
    return ip, w.home_net, w.timezone, "home"


def phone_ip(org, w, day):
    rng = org.rng
    if w.country != "US":
        m = w.foreign_mobile
        net = org.plan.block(m[0], m[3], m[1], m[2], "Cellular", w.city, prefix=24, accuracy=rng.choice([100, 500]))
    else:
        hub = mobile_hub(w.city)
        c = w.carrier
        net = org.plan.block(c[0], c[3], c[1], c[2], "Cellular", hub, prefix=24,
                             accuracy=rng.choice([500, 1000]))
    pool = getattr(net, "pool", None)
    if pool is None:
        net.pool = pool = [net.address(rng) for _ in range(MOBILE_ADDRESSES_PER_HUB)]
    return rng.choice(pool), net


def worker_day(org, out, w, day):
    """Emit one worker's sign-ins and VPN sessions for one local day."""
    rng = org.rng
    if day < w.first_day or day > w.last_day:
        return
    date = START + dt.timedelta(days=day)
    weekend = date.weekday() >= 5
    ip, net, zone, where = location_on(org, w, day)
    work_zone = getattr(w, "abroad_zone", None) or (zone if where in ("trip", "abroad") else w.timezone)
    on_holiday = where == "trip" and any(k == "holiday" for a, b, c, k in w.trips if a <= day <= b)
    works = not weekend and day not in w.pto and not (on_holiday and rng.random() < 0.6)
    if weekend and rng.random() < w.weekend:
        works = True
    if not works:
        # A planted trace set for a day off moves to the next work day, so it is not lost.
        if w.long_session_day == day:
            w.long_session_day = day + 1
        for days in (w.vpn_days, w.foreign_days):
            if day in days and (getattr(w, "role", None) or "").startswith("weak_") and day + 1 not in days:
                days[day + 1] = days.pop(day)
    if works:
        begin_h, end_h = w.hours
        if weekend or on_holiday:
            end_h = begin_h + rng.uniform(0.5, 2)
        begin = utc(day, begin_h + rng.uniform(-0.3, 0.3), work_zone)
        end = utc(day, end_h + rng.uniform(-0.3, 0.3), work_zone)
        arrival = getattr(w, "arrival", None)
        if arrival and where == "trip" and begin < arrival + dt.timedelta(hours=1):
            # The first day after a long flight starts after landing (and the hotel check-in).
            begin = arrival + dt.timedelta(hours=rng.uniform(1, 2.5))
            end = max(end, begin + dt.timedelta(hours=rng.uniform(2, 5)))
        ua = DESKTOP_UA[len(w.email) % 2]
        sessions = [(begin, ip, net)]
        if rng.random() < 0.5:
            sessions.append((begin + (end - begin) * rng.uniform(0.3, 0.7), ip, net))
        exits = w.vpn_days.get(day)
        if exits:
            # A VPN client on: the laptop's traffic leaves through the exits, hopping between them.
            sessions = []
            span = (end - begin) / len(exits)
            for k, ex in enumerate(exits):
                key = (w.employee_id, str(ex.net))
                eip = org.trip_ips.get(key) or org.trip_ips.setdefault(key, ex.address(rng))
                sessions.append((begin + span * k + dt.timedelta(minutes=rng.randrange(1, 20)), eip, ex))
        for day_kp in w.extra_kp:
            if day_kp == day:
                kp = org.plan.block(KP_NET[0], KP_NET[3], KP_NET[1], KP_NET[2], None, "Pyongyang", prefix=22, accuracy=100)
                sessions.append((begin + dt.timedelta(minutes=rng.randrange(30, 240)), kp.address(rng), kp))
        for t, sip, snet in sessions:
            t = t + dt.timedelta(milliseconds=rng.randrange(1000))
            if rng.random() < 0.02:
                out.add(t - dt.timedelta(seconds=40), "okta", okta_line(rng, w, t - dt.timedelta(seconds=40), sip, snet, ua, "FAILURE"))
            out.add(t, "okta", okta_line(rng, w, t, sip, snet, ua))
        vpn_needed = w.vpn and where not in ("office",)
        if vpn_needed:
            s_ip = sessions[0][1]
            s_end = end if w.long_session_day != day else begin + dt.timedelta(hours=rng.uniform(25, 31))
            device = getattr(w, "shared_device_id", None) or w.laptop["device_id"]
            tunnel = f"10.250.{rng.randrange(256)}.{rng.randrange(2, 254)}"
            s_begin = begin + dt.timedelta(minutes=rng.randrange(1, 6))
            s_end = max(s_end, s_begin + dt.timedelta(minutes=rng.randrange(15, 60)))
            for t, line in asa_lines(w, s_begin, s_end, s_ip, tunnel, device, ANYCONNECT[len(w.email) % 2]):
                out.add(t, "asa", line)
        if w.phone_rate and rng.random() < w.phone_rate:
            pip, pnet = phone_ip(org, w, day)
            t = begin + (end - begin) * rng.random()
            out.add(t, "okta", okta_line(rng, w, t, pip, pnet, PHONE_UA[len(w.email) % 2]))
    for d, hour in w.night_pages:
        if d == day:
            t = utc(day, 24 + hour, w.timezone)
            ip2 = home_ip_on(org, w, day) if where not in ("trip",) else ip
            out.add(t, "okta", okta_line(rng, w, t, ip2, w.home_net, DESKTOP_UA[len(w.email) % 2]))
            if w.vpn:
                for tt, line in asa_lines(w, t + dt.timedelta(minutes=2), t + dt.timedelta(minutes=rng.randrange(20, 90)),
                                          ip2, f"10.250.{rng.randrange(256)}.{rng.randrange(2, 254)}",
                                          w.laptop["device_id"], ANYCONNECT[len(w.email) % 2]):
                    out.add(tt, "asa", line)


def travel_days(org, out, w, day):
    """The day a red-eye or long-haul trip starts: a sign-in at the departure airport, with the
    flight's real duration before the first sign-in at the destination."""
    rng = org.rng
    for first, last, city, kind in w.trips:
        if kind in ("redeye", "conference") and day == first - 1:
            home = place(w.city)
            dest = place(city)
            hours = km(home, dest) / 820 + 1.5
            dep_local = rng.uniform(17.5, 21.5)
            t = utc(day, dep_local - 1.5, w.timezone)
            ip = home_ip_on(org, w, day) or w.home_net.address(rng)
            out.add(t, "okta", okta_line(rng, w, t, ip, w.home_net, DESKTOP_UA[len(w.email) % 2]))
            arrive = utc(day, dep_local, w.timezone) + dt.timedelta(hours=hours)
            w.arrival = arrive


def emit_service_accounts(org, out, day):
    rng = org.rng
    for svc in org.extra_accounts:
        net = org.plan.lookup(svc.service_ip)
        for h in sorted(rng.sample(range(24), 6)):
            t = START + dt.timedelta(days=day, hours=h, minutes=rng.randrange(60))
            out.add(t, "okta", okta_line(rng, svc, t, svc.service_ip, net,
                                         ("okta-sdk-python/2.9.2 python/3.11.4 Linux/6.1.0", "Linux", "UNKNOWN", "Unknown")))


def write_activity(org, outdir):
    out = Writer(outdir)
    org.trip_ips = {}
    people = [w for w in org.staff()]
    for day in range(DAYS):
        for w in people:
            travel_days(org, out, w, day)
            worker_day(org, out, w, day)
        emit_service_accounts(org, out, day)
        # Local day `day` spans UTC day-14h .. day+1d+14h (zones -7..+10, nights, 30 h
        # sessions sit in the heap): everything before day+1d-14h can be written now.
        out.flush(START + dt.timedelta(days=day + 1) - dt.timedelta(hours=14))
    out.close()
    return out.counts


def write_osquery(org, outdir):
    rng = org.rng
    rows = []

    def row(when, w, laptop, name, columns):
        return (when, json.dumps({
            "name": name, "hostIdentifier": laptop["host"],
            "calendarTime": when.strftime("%a %b %e %H:%M:%S %Y UTC"),
            "unixTime": int((when - dt.datetime(1970, 1, 1)).total_seconds()), "epoch": 0, "counter": 0,
            "numerics": False,
            "decorations": {"host_uuid": laptop["uuid"], "hostname": laptop["host"],
                            "hardware_serial": laptop["serial"], "username": w.network_id},
            "columns": columns, "action": "added"}, separators=(",", ":")))

    for w in org.staff():
        when = START + dt.timedelta(days=w.first_day, hours=rng.uniform(12, 20))
        for app in w.apps:
            late = app in REMOTE_TOOLS and rng.random() < 0.3
            t = when + dt.timedelta(days=rng.randrange(1, 10) if late else 0)
            if (t - START).days < DAYS:
                rows.append(row(t, w, w.laptop, "pack_inventory_programs",
                                {"name": app, "version": f"{rng.randrange(1, 20)}.{rng.randrange(10)}",
                                 "publisher": "", "install_date": t.strftime("%Y%m%d")}))
        for vid, pid, vendor, model, serial in w.usb:
            t = when + dt.timedelta(days=rng.randrange(0, 6))
            if (t - START).days < DAYS:
                rows.append(row(t, w, w.laptop, "pack_inventory_usb_devices",
                                {"vendor": vendor, "vendor_id": vid, "model": model, "model_id": pid,
                                 "serial": serial, "removable": "1"}))
    rows.sort(key=lambda r: r[0])
    with open(os.path.join(outdir, "osquery.jsonl"), "w") as f:
        for _, line in rows:
            f.write(line + "\n")
    return len(rows)


HR_COLUMNS = ["employee_id", "full_name", "work_email", "network_id", "status", "hire_date", "country",
              "region", "city", "timezone", "home_address", "ship_to_address", "phone", "personal_email",
              "document_number", "bank_account", "job_title", "department", "worker_type", "manager"]


def write_hr(org, outdir):
    rows = list(org.workers)
    org.rng.shuffle(rows)
    rows.sort(key=lambda w: w.employee_id)
    with open(os.path.join(outdir, "hr.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(HR_COLUMNS)
        for w in rows:
            out.writerow([w.employee_id, w.name, w.email, w.network_id, w.status, w.hire_date, w.country,
                          w.region, w.city, w.timezone, w.home_address, w.ship_to, w.phone, w.personal_email,
                          w.document, w.bank_account, w.job_title, w.department, w.worker_type,
                          getattr(w, "manager", "")])
    return len(rows)


# --------------------------------------------------------------------------------------------
# GeoIP databases, lists, config, truth
# --------------------------------------------------------------------------------------------

def write_geoip(org, outdir):
    plan_path = os.path.join(outdir, "geoip-plan.json")
    with open(plan_path, "w") as f:
        json.dump({"networks": org.plan.plan(org.seed)}, f, indent=0, sort_keys=True)
    builder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build-org-geoip")
    subprocess.run([builder, plan_path, os.path.join(outdir, "geoip")], check=True, stdout=subprocess.DEVNULL)


def repo_lists(repo):
    """The lists the demo's config names (samples/vetter.yaml: lists.ip, lists.values, any other
    kind), with paths made absolute, so a list another engineer adds there is scanned here too.
    Without PyYAML, every rules/lists/*.txt by its stem (IP lists told apart by their content).
    The demo's own corporate egress is left out: this company has its own."""
    kinds = {}
    try:
        import yaml
        cfg = yaml.safe_load(open(os.path.join(repo, "samples", "vetter.yaml")))
        for kind, entries in (cfg.get("lists") or {}).items():
            for name, path in (entries or {}).items():
                kinds.setdefault(kind, {})[name] = os.path.normpath(os.path.join(repo, "samples", path))
    except ImportError:
        d = os.path.join(repo, "rules", "lists")
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(d, name)
            lines = [l.split("#")[0].strip() for l in open(path)]
            lines = [l for l in lines if l]
            def is_ip(s):
                if s[:2].upper() == "AS" and s[2:].isdigit():  # an autonomous system line
                    return True
                try:
                    ipaddress.ip_network(s, strict=False)
                    return True
                except ValueError:
                    return False
            kind = "ip" if lines and all(is_ip(l) for l in lines) else "values"
            kinds.setdefault(kind, {})[name[:-4]] = path
    kinds.setdefault("ip", {}).pop("corporate_egress", None)
    kinds.setdefault("values", {})
    return kinds


def write_config(org, outdir, repo, rules):
    os.makedirs(os.path.join(outdir, "lists"), exist_ok=True)
    with open(os.path.join(outdir, "lists", "corporate_egress.txt"), "w") as f:
        f.write("# Office NAT egress of the generated company (the coworking space is not listed).\n")
        for o in org.offices:
            f.write(f"{o['net'].net}\n")
    with open(os.path.join(outdir, "hmac.key"), "w") as f:
        f.write("quality-benchmark-key-%016x\n" % org.rng.getrandbits(64))
    kinds = repo_lists(repo)
    kinds["ip"]["corporate_egress"] = "lists/corporate_egress.txt"
    for mode, geodir in (("vetter.yaml", "geoip/full"), ("vetter-geolite.yaml", "geoip/geolite")):
        lines = ["# Generated by tools/gen_samples.py --realistic (do not edit; regenerate).",
                 "sources:", f"  - {os.path.join(repo, 'rules', 'sources')}",
                 "inputs:", "  - {source: hr-csv, path: hr.csv}", "  - {source: okta, path: okta.jsonl}",
                 "  - {source: asa, path: asa.log}", "  - {source: osquery, path: osquery.jsonl}",
                 "hmac_key_file: hmac.key", "geoip:", f"  dir: {geodir}", "lists:"]
        for kind, entries in kinds.items():
            lines.append(f"  {kind}:")
            lines += [f"    {k}: {v}" for k, v in entries.items()]
        lines += ["rules:"] + [f"  - {r}" for r in rules]
        lines += ["review_threshold: 50", "limits:", "  max_errors: 1000", "  max_error_rate: 0.05", ""]
        with open(os.path.join(outdir, mode), "w") as f:
            f.write("\n".join(lines))


def generator_digest():
    """SHA-256 over the generator's files: tests/quality reuses a kept company only when equal."""
    import hashlib
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("gen_samples.py", "realistic_org.py", "build-org-geoip"):
        h.update(open(os.path.join(here, name), "rb").read())
    return h.hexdigest()


def write_truth(org, outdir, seed):
    schemes = []
    for s in org.schemes:
        entry = {"id": s["id"], "kind": s["kind"], "strength": s["strength"],
                 "accounts": [w.email for w in s["members"]], "cluster": s["cluster"]}
        if "traces" in s:
            entry["traces"] = s["traces"]
        if "related" in s:
            entry["related"] = s["related"]
        schemes.append(entry)
    in_scheme = {a for s in schemes for a in s["accounts"]}
    seen, lookalikes = set(), []
    for w, kind in org.lookalikes:
        account = w.email or w.employee_id   # a row without a work account is named by its id
        if account not in in_scheme and (account, kind) not in seen:
            seen.add((account, kind))
            lookalikes.append({"account": account, "kind": kind})
    truth = {"workers": org.n, "seed": seed, "days": DAYS, "start": START.strftime("%Y-%m-%d"),
             "generator": generator_digest(),
             "schemes": schemes, "lookalikes": lookalikes,
             "accounts": len(org.staff()) + len(org.extra_accounts),
             "unknown_accounts": [w.email for w in org.extra_accounts],
             "offices": [{"city": o["city"], "egress": str(o["net"].net)} for o in org.offices],
             "coworking": [{"city": c["city"], "ip": c["ip"], "listed": False} for c in org.coworkings],
             "base_rates": org.rates}
    with open(os.path.join(outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)
    return truth


def generate(workers, seed, outdir, repo, rules=None):
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    org = Org(rng, workers)
    org.seed = seed
    org.build_offices()
    org.build_workforce()
    plant_schemes(org)
    add_confounders(org)
    plan_dhcp(org)
    counts = write_activity(org, outdir)
    counts["osquery"] = write_osquery(org, outdir)
    counts["hr"] = write_hr(org, outdir)
    write_geoip(org, outdir)
    write_config(org, outdir, repo, rules or [os.path.join(repo, "rules", "dprk")])
    truth = write_truth(org, outdir, seed)
    print(f"wrote {counts['hr']} HR rows, {counts['okta']} Okta records, {counts['asa']} ASA lines, "
          f"{counts['osquery']} osquery results, {len(org.plan.networks)} GeoIP networks, "
          f"{len(truth['schemes'])} schemes, {len(truth['lookalikes'])} look-alikes to {outdir}")
    return truth
