#!/usr/bin/env bash
# bench/scan/run.sh — plimsoll scan against osv-scanner v2.6.0 on the realistic image,
# with the same OSV records loaded into both (issue 5: "Accuracy against a peer, on
# the same data" and "Performance").
#
# Prepares, cached under bench/out/ (BENCH_OUT):
#   realistic/   the image (bench/realistic/build.sh): OCI layout + docker archive
#   debsec/      Debian 12 records derived from Debian changelogs (no Debian advisory
#                data is reachable here; see bench/scan/debian_changelogs.py): a copy of
#                the image's rootfs with bookworm-security in its apt sources, the
#                changelogs of the upgradable packages' newer .debs, the records
#   scan/pdb/    plimsoll's database: `plimsoll db import` of ../shared/testdata/osv
#                (Go, PyPI, npm, Alpine) and of debsec/osv
#   scan/osvdb/  osv-scanner's offline database: osv-scalibr/<Ecosystem>/all.zip of the
#                same records (Go, PyPI, npm, Alpine, Debian)
#   scan/fulldb/ the full-scale synthetic DB of the database issue (bench/vulndb/gen,
#                FULL_N records, default 500000), for the match timer (SKIP_FULL=1 skips)
# then
#   1. accuracy: plimsoll scan -o json (default, and --match-os-owned) vs osv-scanner
#      scan image --archive --offline --format json, compared by (package, version,
#      id or alias) with bench/scan/compare.py; every difference printed;
#   2. the match timer: bench/match (built, then run) on the image's SBOM against
#      scan/pdb (20 runs) and scan/fulldb (FULL_RUNS, default 5), then BenchmarkMatch
#      (internal/match) against scan/fulldb, FULL_RUNS iterations, 3 times;
#   3. performance: one untimed warm-up round, then N interleaved rounds of
#        plimsoll  plimsoll scan oci-dir:LAYOUT -o json --match-os-owned --db-dir scan/pdb
#        osv       osv-scanner scan image --archive image.tar --offline --format json
#      under /usr/bin/time: median wall and CPU, peak RSS, ratios against the targets
#      (plimsoll ≤ osv-scanner's wall time and ≤ its peak RSS).
#
# Environment: N (default 3), BENCH_OUT, OSV_SCANNER (default PATH, then GOPATH/bin;
# installed there when missing), IDLE_LOAD / IDLE_UNTIL, BUILD_FROM=head, FULL_N,
# SKIP_FULL=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
N=${N:-3}
OUT=${BENCH_OUT:-$ROOT/bench/out}
# Its own module, so that go build/vet/test ./... of the repository never walk
# into the generated trees and source copies kept here.
mkdir -p "$OUT" && [ -f "$OUT/go.mod" ] || printf 'module plimsoll.bench.out\n' > "$OUT/go.mod"
S=$OUT/scan
RUNS=$OUT/runs-scan
SHARED_OSV=${SHARED_OSV:-$(cd "$ROOT/.." && pwd)/shared/testdata/osv}
# shellcheck source=../realistic/lib.sh
. bench/realistic/lib.sh

find_osv_scanner() {
	local gobin
	gobin=$(go env GOPATH)/bin
	OSV_SCANNER=${OSV_SCANNER:-$(command -v osv-scanner || echo "$gobin/osv-scanner")}
	if [ ! -x "$OSV_SCANNER" ]; then
		say "installing osv-scanner v2.6.0 into $gobin"
		(cd /tmp && GOTOOLCHAIN=go1.27.3 go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.6.0)
		OSV_SCANNER=$gobin/osv-scanner
	fi
}

# debian_records: the newer bookworm-security changelogs, then the records.
debian_records() {
	local d=$OUT/debsec
	if [ ! -f "$d/changelogs.done" ]; then
		say "Debian: apt-get update with bookworm-security in a copy of the image's rootfs"
		rm -rf "$d" && mkdir -p "$d/cl"
		cp -a "$OUT/realistic/rootfs" "$d/root"
		cp /etc/resolv.conf "$d/root/etc/resolv.conf"
		printf '%s\n' 'deb http://deb.debian.org/debian-security bookworm-security main' \
			'deb http://deb.debian.org/debian bookworm-updates main' >"$d/root/etc/apt/sources.list.d/security.list"
		chroot "$d/root" apt-get update >"$d/apt.log" 2>&1
		chroot "$d/root" apt list --upgradable 2>/dev/null | tail -n +2 >"$d/upgradable.txt"
		mkdir -p "$d/root/tmp/dl"
		# shellcheck disable=SC2046
		chroot "$d/root" sh -c "cd /tmp/dl && apt-get download $(cut -d/ -f1 "$d/upgradable.txt" | tr '\n' ' ')" >>"$d/apt.log" 2>&1
		local deb p
		for deb in "$d"/root/tmp/dl/*.deb; do
			p=$(dpkg-deb -f "$deb" Package)
			dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './usr/share/doc/*/changelog.Debian.gz' >"$d/cl/$p.gz" 2>/dev/null || true
			[ -s "$d/cl/$p.gz" ] || dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './usr/share/doc/*/changelog.gz' >"$d/cl/$p.gz" 2>/dev/null || true
		done
		rm -rf "$d/root"
		touch "$d/changelogs.done"
	fi
	rm -rf "$d/osv"
	python3 bench/scan/debian_changelogs.py "$OUT/realistic/rootfs" "$d/cl" "$d/osv"
	say "Debian: $(wc -l <"$d/upgradable.txt") upgradable packages in bookworm-security: $(cut -d/ -f1 "$d/upgradable.txt" | tr '\n' ' ')"
}

databases() {
	rm -rf "$S/pdb" "$S/osvdb"
	mkdir -p "$S"
	"$OUT/bin/plimsoll" db import --db-dir "$S/pdb" "$SHARED_OSV" 2>"$S/import.log" >&2
	"$OUT/bin/plimsoll" db import --db-dir "$S/pdb" "$OUT/debsec/osv" 2>>"$S/import.log" >&2
	grep -v 'level=WARN' "$S/import.log" >&2 || true
	local e
	for e in go:Go npm:npm pypi:PyPI alpine:Alpine "$OUT/debsec/osv:Debian"; do
		local src=${e%:*} eco=${e##*:}
		[ "${src#/}" = "$src" ] && src=$SHARED_OSV/$src
		mkdir -p "$S/osvdb/osv-scalibr/$eco"
		(cd "$src" && zip -q -r "$S/osvdb/osv-scalibr/$eco/all.zip" . -i '*.json')
	done
	say "osv-scanner DB: $(cd "$S/osvdb/osv-scalibr" && for z in */all.zip; do printf '%s %s; ' "${z%/all.zip}" "$(unzip -Z1 "$z" | wc -l)"; done)"
}

full_db() {
	[ "${SKIP_FULL:-}" = 1 ] && return 0
	local n=${FULL_N:-500000}
	[ -f "$S/fulldb.$n.done" ] && return 0
	say "full-scale synthetic DB: $n records (bench/vulndb/gen; once, a few minutes)"
	go build -o "$OUT/bin/vulndb-gen" ./bench/vulndb/gen
	"$OUT/bin/vulndb-gen" -n "$n" -out "$S/corpus-$n.zip"
	rm -rf "$S/fulldb"
	"$OUT/bin/plimsoll" db import --db-dir "$S/fulldb" "$S/corpus-$n.zip" >&2
	rm -f "$S/corpus-$n.zip" "$S"/fulldb.*.done
	touch "$S/fulldb.$n.done"
}

set_commands() {
	CMD_plimsoll=("$OUT/bin/plimsoll" scan "oci-dir:$LAYOUT" -o json --match-os-owned --db-dir "$S/pdb")
	# osv-scanner exits 1 when it finds something: mapped to 0 here.
	CMD_osv=(bash -c 'OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="$1" "$2" scan image --archive "$3" --offline --format json; [ $? -le 1 ]'
		osv "$S/osvdb" "$OSV_SCANNER" "$ARCHIVE")
}

accuracy() {
	local stamp=$1
	"$OUT/bin/plimsoll" scan "oci-dir:$LAYOUT" -o json --db-dir "$S/pdb" >"$RUNS/plimsoll-default.json" 2>"$RUNS/plimsoll-default.log"
	"${CMD_plimsoll[@]}" >"$RUNS/plimsoll.json" 2>"$RUNS/plimsoll.log"
	"${CMD_osv[@]}" >"$RUNS/osv.json" 2>"$RUNS/osv.log"
	{
		echo "## plimsoll scan --match-os-owned vs osv-scanner (osv-scanner matches Debian's python3-* dist-info in PyPI too)"
		python3 bench/scan/compare.py "$RUNS/plimsoll.json" "$RUNS/osv.json"
		echo "## plimsoll scan (default: language packages owned by a dpkg package judged by Debian records only) vs osv-scanner"
		python3 bench/scan/compare.py "$RUNS/plimsoll-default.json" "$RUNS/osv.json"
	} | tee "$OUT/scan-diff-$stamp.txt"
}

match_timer() {
	"$OUT/bin/plimsoll" sbom "oci-dir:$LAYOUT" -o json >"$S/realistic.sbom.json"
	go build -o "$OUT/bin/match" ./bench/match
	printf 'match timer, %s: ' "$S/pdb"
	"$OUT/bin/match" -db "$S/pdb/vulndb.sqlite" -sbom "$S/realistic.sbom.json" -n 20
	[ -f "$S/fulldb/vulndb.sqlite" ] || return 0
	printf 'match timer, %s: ' "$S/fulldb"
	"$OUT/bin/match" -db "$S/fulldb/vulndb.sqlite" -sbom "$S/realistic.sbom.json" -n "${FULL_RUNS:-5}"
	# The same, as the Go benchmark the issue names.
	PLIMSOLL_BENCH_DB="$S/fulldb/vulndb.sqlite" PLIMSOLL_BENCH_SBOM="$S/realistic.sbom.json" \
		go test ./internal/match -run '^$' -bench '^BenchmarkMatch$' -benchtime "${FULL_RUNS:-5}x" -count 3 | grep '^Benchmark'
}

report() {
	local pw ow pm om
	echo "plimsoll scan benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, plimsoll built from $BUILT_FROM"
	echo "plimsoll: oci-dir:$LAYOUT ($(du -sb "$LAYOUT/blobs" | cut -f1) bytes stored, gzip); osv-scanner v2.6.0: $ARCHIVE ($(stat -c %s "$ARCHIVE") bytes, uncompressed)"
	echo "N=$N rounds; load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	table "$RUNS" plimsoll osv
	pw=$(wall "$RUNS" plimsoll) ow=$(wall "$RUNS" osv) pm=$(peak_mb "$RUNS" plimsoll) om=$(peak_mb "$RUNS" osv)
	echo "plimsoll / osv-scanner wall = $(ratio "$pw" "$ow")  (target ≤ 1.00: $(awk -v r="$(ratio "$pw" "$ow")" 'BEGIN {print (r <= 1.0) ? "met" : "MISSED"}'))"
	echo "plimsoll / osv-scanner peak RSS = $(ratio "$pm" "$om")  (target ≤ 1.00: $(awk -v r="$(ratio "$pm" "$om")" 'BEGIN {print (r <= 1.0) ? "met" : "MISSED"}'))"
	echo "plimsoll / osv-scanner CPU = $(ratio "$(cpu "$RUNS" plimsoll)" "$(cpu "$RUNS" osv)")"
}

main() {
	command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null
	{ read -r LAYOUT; read -r ARCHIVE; } < <(bench/realistic/build.sh)
	build_plimsoll
	find_osv_scanner
	debian_records
	databases
	full_db
	set_commands
	mkdir -p "$RUNS"
	rm -f "$RUNS"/*.txt
	local stamp i t
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	accuracy "$stamp"
	match_timer | tee "$OUT/scan-match-$stamp.txt"
	wait_idle
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
	say "load average before: $LOAD_START; warm-up round"
	for t in plimsoll osv; do measure "$RUNS" "$t" warmup; done
	rm -f "$RUNS"/*.txt
	for i in $(seq "$N"); do
		for t in plimsoll osv; do measure "$RUNS" "$t" "$i"; done
	done
	report | tee "$OUT/scan-result-$stamp.txt"
}

main "$@"
