#!/usr/bin/env bash
# Benchmarks the vulnerability database at full scale:
#   1. import of every shared real OSV record (../shared/testdata/osv), if present;
#   2. import of a synthetic corpus of N records (default 500,000): time, peak RSS, DB size;
#   3. an incremental import of 1,000 modified records into that DB;
#   4. the hot query (affected entries for one ecosystem/name): p50/p90/p99.
# Targets (2 cores): full import < 3 min, < 500 MB RSS, DB < 1.5 GB; incremental < 5 s;
# hot query p99 < 1 ms.
#
#   bench/vulndb/run.sh [N]        # WORK=/some/dir to keep the corpus and DB
# No peer tool is run: grype's and trivy's databases are prebuilt downloads, not
# an import we can time on the same input.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-500000}"
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
SHARED="${SHARED_OSV:-../shared/testdata/osv}"
go build -o "$WORK/plimsoll" ./cmd/plimsoll
go build -o "$WORK/gen" ./bench/vulndb/gen
go build -o "$WORK/hotquery" ./bench/vulndb/hotquery

measure() { # label, command...: prints wall time, CPU, peak RSS
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || { cat "$WORK/err.txt"; exit 1; }
  read -r wall user sys rss <"$WORK/time.txt"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v o="$(tail -1 "$WORK/out.txt")" \
    'BEGIN { printf "%-28s wall %7.1fs  cpu %7.1fs  peak RSS %6.0f MB   %s\n", l, w, u + s, r / 1024, o }'
}
dbsize() { du -b "$1"/vulndb.sqlite* | awk '{s += $1} END {printf "%.1f MB", s / 1e6}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -d "$SHARED" ]; then
  rm -rf "$WORK/shared-db"
  measure "import shared OSV corpus" "$WORK/plimsoll" db import --db-dir "$WORK/shared-db" "$SHARED"
  echo "  db size $(dbsize "$WORK/shared-db")"
fi

if [ ! -f "$WORK/corpus-$N.zip" ]; then
  "$WORK/gen" -n "$N" -out "$WORK/corpus-$N.zip"
  "$WORK/gen" -n "$N" -update 1000 -out "$WORK/update-$N.zip"
fi
echo "corpus: $N records, zip $(du -m "$WORK/corpus-$N.zip" | cut -f1) MB"
rm -rf "$WORK/db"
measure "import $N records" "$WORK/plimsoll" db import --db-dir "$WORK/db" "$WORK/corpus-$N.zip"
echo "  db size $(dbsize "$WORK/db")"
measure "incremental 1000 records" "$WORK/plimsoll" db import --db-dir "$WORK/db" "$WORK/update-$N.zip"
echo "  db size $(dbsize "$WORK/db")"
"$WORK/hotquery" -db "$WORK/db/vulndb.sqlite" -packages 5000 -rounds 4
echo "work dir: $WORK"
