"""compare.py PLIMSOLL.json OSV-SCANNER.json — the findings of `plimsoll scan -o json`
and `osv-scanner scan image --format json`, by (package, version, vulnerability id
or any alias). Ecosystems are mapped to OSV's names, Python names normalised per
PEP 503, Go versions compared without their leading "v"; a plimsoll finding carries
both the package's name and version and the ones its evidence was matched by (a
Debian source package), and matches an osv-scanner finding when any pair agrees and
the id sets intersect. Prints the counts per ecosystem and every finding present on
one side only; exit 0."""
import json
import re
import sys

ECO = {"go-module": "Go", "npm": "npm", "python": "PyPI", "deb": "Debian", "apk": "Alpine"}


def norm(eco, name, version):
    if eco == "PyPI":
        name = re.sub(r"[-_.]+", "-", name).lower()
    if eco == "Go" or (eco == "Go" and name == "stdlib"):
        version = version.removeprefix("v").removeprefix("go")
    return (name, version)


def eco_of(e):
    return e.split(":")[0] if e else e


def plimsoll(path):
    out = []
    for f in json.load(open(path))["findings"]:
        p = f["package"]
        eco = eco_of(f.get("ecosystem")) or ECO.get(p["type"], p["type"])
        pairs = {norm(eco, p["name"], p["version"])}
        for ev in f.get("evidence") or []:
            if ev.get("name") and ev.get("version"):
                pairs.add(norm(eco, ev["name"], ev["version"]))
        ids = {f["id"], *(f.get("aliases") or [])} | {ev.get("record") for ev in f.get("evidence") or [] if ev.get("record")}
        out.append({"eco": eco, "pairs": pairs, "ids": ids, "show": (p["name"], p["version"], f["id"], p.get("path", ""))})
    return out


def osv(path):
    out = []
    for r in json.load(open(path)).get("results", []):
        for p in r.get("packages", []):
            pk = p["package"]
            eco = eco_of(pk.get("ecosystem"))
            for v in p.get("vulnerabilities", []):
                out.append({"eco": eco, "pairs": {norm(eco, pk["name"], pk["version"])},
                            "ids": {v["id"], *(v.get("aliases") or [])},
                            "show": (pk["name"], pk["version"], v["id"], r["source"]["path"])})
    return out


def same(a, b):
    return a["eco"] == b["eco"] and a["pairs"] & b["pairs"] and a["ids"] & b["ids"]


def main():
    p, o = plimsoll(sys.argv[1]), osv(sys.argv[2])
    print("%-8s %9s %12s %6s" % ("ecosystem", "plimsoll", "osv-scanner", "both"))
    for e in sorted({x["eco"] for x in p + o}):
        pe, oe = [x for x in p if x["eco"] == e], [x for x in o if x["eco"] == e]
        print("%-8s %9d %12d %6d" % (e, len(pe), len(oe), sum(1 for x in oe if any(same(x, y) for y in pe))))
    for label, a, b in (("only plimsoll", p, o), ("only osv-scanner", o, p)):
        diff = [x for x in a if not any(same(x, y) for y in b)]
        print("%s: %d" % (label, len(diff)))
        for x in sorted(diff, key=lambda x: (x["eco"], x["show"])):
            print("  %-7s %-28s %-36s %-20s %s" % ((x["eco"],) + x["show"]))


main()
