"""compare.py PLIMSOLL.json SYFT.json — the package sets of plimsoll's native JSON
and syft's JSON, by (type, name, version), for the dpkg, npm, Python and Go types.
Type names are mapped to one vocabulary; Python names are normalised per PEP 503 on
both sides (syft keeps the declared name); a Go main module without a version
("(devel)" in plimsoll, UNKNOWN in syft) counts as the same version. Prints the counts per type and every
difference in either direction, with the locations each side gives; exit 0."""
import json
import re
import sys
from collections import defaultdict

TYPES = {"deb": "deb", "npm": "npm", "python": "python", "go-module": "go"}


# A Go main module built without VCS information has the version "(devel)" in its
# build info; plimsoll keeps it, syft drops it (empty, written as UNKNOWN).
GO_NO_VERSION = {"(devel)", "", "UNKNOWN"}
normalised = []


def key(typ, name, version):
    t = TYPES.get(typ)
    if t == "python":
        name = re.sub(r"[-_.]+", "-", name).lower()
    if t == "go" and version in GO_NO_VERSION:
        normalised.append("go %s %r -> (devel)" % (name, version))
        version = "(devel)"
    return (t, name, version)


def plimsoll(path):
    out = defaultdict(set)
    for p in json.load(open(path))["packages"]:
        if p["type"] in TYPES:
            out[key(p["type"], p["name"], p["version"])] |= {l.get("path", "") for l in p.get("locations") or []}
    return out


def syft(path):
    out = defaultdict(set)
    for a in json.load(open(path))["artifacts"]:
        if a["type"] in TYPES:
            out[key(a["type"], a["name"], a["version"])] |= {l.get("path", "") for l in a.get("locations") or []}
    return out


def main():
    p, s = plimsoll(sys.argv[1]), syft(sys.argv[2])
    for n in sorted(set(normalised)):
        print("normalised: " + n)
    print("%-8s %9s %6s %6s %9s" % ("type", "plimsoll", "syft", "both", "only-one"))
    for t in sorted(set(TYPES.values())):
        pk = {k for k in p if k[0] == t}
        sk = {k for k in s if k[0] == t}
        print("%-8s %9d %6d %6d %9d" % (t, len(pk), len(sk), len(pk & sk), len(pk ^ sk)))
    for label, a, b in (("only plimsoll", p, s), ("only syft", s, p)):
        diff = sorted(set(a) - set(b))
        print("%s: %d" % (label, len(diff)))
        for k in diff:
            print("  %-7s %-40s %-28s %s" % (k[0], k[1], k[2], " ".join(sorted(a[k]))[:150]))


main()
