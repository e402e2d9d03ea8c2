#!/usr/bin/env python3
"""Writes samples/workday/workers.csv: the demo's HR export (samples/hr.csv) as a Workday-style
export would hold it, for the test that a config of `columns:` alone maps a company's own export.

Workday column names, the home address in three columns (line 1, city, state), the ship-to
address as one string, Home_Country as a country name and Time_Zone as Workday's labels.

    tests/golden/make_workday.py          # rewrite samples/workday/workers.csv
"""

import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

COLUMNS = ["Employee_ID", "Work_Email", "Network_ID", "Personal_Email", "Mobile_Phone",
           "Home_Address_Line_1", "Home_City", "Home_State", "Home_Country", "Time_Zone",
           "Hire_Date", "Worker_Type", "Worker_Status", "Job_Title", "ID_Document_Number",
           "Equipment_Ship_To", "Bank_Account_Number", "Asset_Serial"]
COUNTRIES = {"US": "United States of America"}
ZONES = {
    "America/New_York": "GMT-05:00 Eastern Time (New York)",
    "America/Chicago": "GMT-06:00 Central Time (Chicago)",
    "America/Denver": "GMT-07:00 Mountain Time (Denver)",
    "America/Phoenix": "GMT-07:00 Mountain Time (Phoenix)",
    "America/Los_Angeles": "GMT-08:00 Pacific Time (Los Angeles)",
}


def main():
    with open(os.path.join(ROOT, "samples", "hr.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    out_path = os.path.join(ROOT, "samples", "workday", "workers.csv")
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i, r in enumerate(rows):
            line1, city, state = [p.strip() for p in r["home_address"].split(",")]
            # The template '{Home_Address_Line_1}, {Home_City}, {Home_State}' gives the demo's
            # home_address back, so the scan must give the demo's results.
            assert f"{line1}, {city}, {state}" == r["home_address"], r["home_address"]
            w.writerow([
                r["employee_id"], r["work_email"], r["network_id"], r["personal_email"], r["phone"],
                line1, city, state, COUNTRIES[r["country"]], ZONES[r["timezone"]], r["hire_date"],
                "Employee" if r["status"] != "candidate" else "Candidate",
                r["status"].capitalize(), "Software Engineer", r["document_number"],
                r["ship_to_address"], "", f"SN{100000 + i}",
            ])
    print("wrote " + out_path)


if __name__ == "__main__":
    main()
