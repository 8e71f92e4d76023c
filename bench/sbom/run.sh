#!/usr/bin/env bash
# bench/sbom/run.sh — plimsoll sbom against syft v1.57.1 and trivy v0.74.0 on the
# realistic image (issue 3: "Accuracy against a peer" and "Performance").
#
# 1. builds the realistic image (bench/realistic/build.sh; cached under
#    bench/out/realistic/) and plimsoll (working tree, else HEAD);
# 2. accuracy: runs plimsoll sbom -o json --with-cataloger go-binary and
#    syft scan -o syft-json on the same OCI layout and compares the package sets
#    by (type, name, version) for deb, npm, Python and Go (bench/sbom/compare.py),
#    printing every difference in either direction;
# 3. performance: one untimed warm-up round, then N interleaved rounds of
#      plimsoll  plimsoll sbom oci-dir:LAYOUT -o json --with-cataloger go-binary
#      trivy     trivy image --input LAYOUT --format cyclonedx --scanners license
#                --cache-backend memory (offline flags as bench/inspect/run.sh)
#      syft      syft scan oci-dir:LAYOUT -o syft-json
#    each under /usr/bin/time; prints the median wall and CPU, the peak RSS, and
#    the ratios against the targets (plimsoll ≤ trivy's wall, ≤ half its RSS).
#
# Environment: N (rounds, default 3), BENCH_OUT (default bench/out), SYFT (default
# /tmp/syftbuild/bin/syft, then PATH, then GOPATH/bin; installed there when
# missing), TRIVY (default PATH, then GOPATH/bin), IDLE_LOAD / IDLE_UNTIL (wait
# for an idle machine before measuring, as bench/inspect/run.sh), BUILD_FROM=head.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
N=${N:-3}
OUT=${BENCH_OUT:-$ROOT/bench/out}
# Its own module, so that go build/vet/test ./... of the repository never walk
# into the generated trees and source copies kept here.
mkdir -p "$OUT" && [ -f "$OUT/go.mod" ] || printf 'module plimsoll.bench.out\n' > "$OUT/go.mod"
RUNS=$OUT/runs-sbom
# shellcheck source=../realistic/lib.sh
. bench/realistic/lib.sh

find_tools() {
	local gobin
	gobin=$(go env GOPATH)/bin
	SYFT=${SYFT:-$( [ -x /tmp/syftbuild/bin/syft ] && echo /tmp/syftbuild/bin/syft || command -v syft || echo "$gobin/syft")}
	if [ ! -x "$SYFT" ]; then
		say "installing syft v1.57.1 into $gobin"
		(cd /tmp && go install github.com/anchore/syft/cmd/syft@v1.57.1)
		SYFT=$gobin/syft
	fi
	TRIVY=${TRIVY:-$(command -v trivy || echo "$gobin/trivy")}
	if [ ! -x "$TRIVY" ]; then
		say "installing trivy v0.74.0 into $gobin (a long build)"
		(cd /tmp && GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0)
		TRIVY=$gobin/trivy
	fi
}

set_commands() {
	CMD_plimsoll=("$OUT/bin/plimsoll" sbom "oci-dir:$LAYOUT" -o json --with-cataloger go-binary)
	CMD_trivy=("$TRIVY" image --input "$LAYOUT" --format cyclonedx --scanners license
		--cache-backend memory --cache-dir "$OUT/trivy-cache" --skip-db-update --skip-java-db-update
		--skip-check-update --offline-scan --skip-version-check --disable-telemetry --quiet)
	CMD_syft=(env SYFT_CHECK_FOR_APP_UPDATE=false "$SYFT" scan "oci-dir:$LAYOUT" -o syft-json -q)
}

report() {
	local pw tw pm tm
	echo "plimsoll sbom benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, plimsoll built from $BUILT_FROM"
	echo "image: $LAYOUT ($(du -sb "$LAYOUT/blobs" | cut -f1) bytes stored, gzip layers); N=$N rounds; load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "syft: $SYFT (v1.57.1 expected), trivy: $TRIVY (v0.74.0 expected)"
	table "$RUNS" plimsoll trivy syft
	pw=$(wall "$RUNS" plimsoll) tw=$(wall "$RUNS" trivy) pm=$(peak_mb "$RUNS" plimsoll) tm=$(peak_mb "$RUNS" trivy)
	echo "plimsoll / trivy wall = $(ratio "$pw" "$tw")  (target ≤ 1.00: $(awk -v r="$(ratio "$pw" "$tw")" 'BEGIN {print (r <= 1.0) ? "met" : "MISSED"}'))"
	echo "plimsoll / trivy peak RSS = $(ratio "$pm" "$tm")  (target ≤ 0.50: $(awk -v r="$(ratio "$pm" "$tm")" 'BEGIN {print (r <= 0.5) ? "met" : "MISSED"}'))"
	echo "plimsoll / trivy CPU = $(ratio "$(cpu "$RUNS" plimsoll)" "$(cpu "$RUNS" trivy)")"
	echo "plimsoll / syft wall = $(ratio "$pw" "$(wall "$RUNS" syft)"), peak RSS = $(ratio "$pm" "$(peak_mb "$RUNS" syft)")"
}

main() {
	command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null
	{ read -r LAYOUT; read -r _; } < <(bench/realistic/build.sh)
	build_plimsoll
	find_tools
	set_commands
	mkdir -p "$RUNS"
	rm -f "$RUNS"/*.txt "$RUNS"/*.out
	say "accuracy: plimsoll and syft on $LAYOUT"
	"${CMD_plimsoll[@]}" >"$RUNS/plimsoll.json"
	"${CMD_syft[@]}" >"$RUNS/syft.json"
	local stamp
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	python3 bench/sbom/compare.py "$RUNS/plimsoll.json" "$RUNS/syft.json" | tee "$OUT/sbom-diff-$stamp.txt"
	wait_idle
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
	say "load average before: $LOAD_START; warm-up round"
	local i t
	for t in plimsoll trivy syft; do measure "$RUNS" "$t" warmup; done
	rm -f "$RUNS"/*.txt
	for i in $(seq "$N"); do
		for t in plimsoll trivy syft; do measure "$RUNS" "$t" "$i"; done
	done
	report | tee "$OUT/sbom-result-$stamp.txt"
}

main "$@"
