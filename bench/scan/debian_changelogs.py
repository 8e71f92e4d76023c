"""debian_changelogs.py ROOTFS NEWER_DIR OUT_DIR — OSV records for Debian 12,
derived from Debian's own changelogs, for the scan benchmark. They are NOT Debian
security advisories (no DSA/DLA data is reachable here): each record says "the
Debian changelog of source package S mentions CVE-X in the entry of version V", and
takes V as the version that fixed it.

- From the changelogs installed in ROOTFS (/usr/share/doc/*/changelog.Debian.gz,
  changelog.gz): every CVE an entry mentions, fixed at the oldest entry mentioning
  it. The image holds a version at or above each, so no finding is expected: a
  finding here is a version-comparison bug of whoever reports it.
- From the changelogs of newer versions in NEWER_DIR (*.gz, extracted from the
  bookworm-security .debs of the packages apt lists as upgradable): every CVE
  mentioned only in entries above the installed source version, fixed at the oldest
  such entry. These are real fixes the image lacks: findings are expected.

Record ids are DEBCL-<source>-<CVE>, the CVE as the alias; summary and
database_specific say where each came from."""
import glob
import gzip
import json
import os
import re
import subprocess
import sys

HEADER = re.compile(r"^(\S+) \(([^)]+)\) [^;]*;")
CVE = re.compile(r"CVE-\d{4}-\d{4,}")


def entries(path):
    """Yields (source, version, text) per entry, newest first."""
    src = ver = None
    body = []
    with gzip.open(path, "rt", errors="replace") as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                if src:
                    yield src, ver, "".join(body)
                src, ver, body = m.group(1), m.group(2), []
            else:
                body.append(line)
    if src:
        yield src, ver, "".join(body)


def gt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0


def installed_sources(rootfs):
    """source name → installed source version, from the dpkg status file."""
    out = {}
    for st in open(os.path.join(rootfs, "var/lib/dpkg/status")).read().split("\n\n"):
        f = dict(re.findall(r"^(\S+): (.*)$", st, re.M))
        if "Package" not in f or "installed" not in f.get("Status", ""):
            continue
        src, ver = f["Package"], f["Version"]
        if "Source" in f:
            m = re.match(r"(\S+)(?: \((.+)\))?", f["Source"])
            src, ver = m.group(1), m.group(2) or ver
        out[src] = ver
    return out


def record(src, cve, fixed, origin):
    return {
        "schema_version": "1.6.0",
        "id": "DEBCL-%s-%s" % (src, cve),
        "modified": "2026-11-27T00:00:00Z",
        "aliases": [cve],
        "summary": "%s: %s is mentioned in the Debian changelog entry of %s %s (derived from a changelog, not a Debian advisory)" % (src, cve, src, fixed),
        "affected": [{"package": {"ecosystem": "Debian:12", "name": src},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
        "database_specific": {"source": origin},
    }


def main():
    rootfs, newer, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    installed = installed_sources(rootfs)
    fixed = {}  # (src, cve) → (version, origin)
    docs = glob.glob(os.path.join(rootfs, "usr/share/doc/*/changelog.Debian.gz")) + glob.glob(os.path.join(rootfs, "usr/share/doc/*/changelog.gz"))
    for path in sorted(docs):
        for src, ver, text in entries(path):
            if src not in installed:
                break  # an upstream changelog.gz, or a source not installed
            for cve in CVE.findall(text):
                fixed[(src, cve)] = (ver, "installed changelog " + os.path.relpath(path, rootfs))
    new = 0
    for path in sorted(glob.glob(os.path.join(newer, "*.gz"))):
        if os.path.getsize(path) == 0:
            continue
        for src, ver, text in entries(path):
            if src not in installed or not gt(ver, installed[src]):
                break
            for cve in CVE.findall(text):
                if (src, cve) not in fixed or fixed[(src, cve)][1].startswith("bookworm-security"):
                    fixed[(src, cve)] = (ver, "bookworm-security changelog of %s %s" % (src, ver))
    for (src, cve), (ver, origin) in sorted(fixed.items()):
        new += origin.startswith("bookworm-security")
        with open(os.path.join(out, "DEBCL-%s-%s.json" % (src, cve)), "w") as f:
            json.dump(record(src, cve, ver, origin), f, indent=1)
    print("%d records (%d fixed only in newer bookworm-security versions) for %d sources" % (len(fixed), new, len({s for s, _ in fixed})), file=sys.stderr)


main()
