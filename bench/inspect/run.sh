#!/usr/bin/env bash
# bench/inspect/run.sh — the performance benchmark of `plimsoll inspect` (issue 2).
#
# Prepares once, cached under bench/out/ (git-ignored):
#   rootfs/   a Debian bookworm root file system (debootstrap --variant=minbase)
#   layout/   an OCI layout with three gzip layers: that rootfs, a node_modules-like
#             tree of ~6000 small files, five large binaries (bench/inspect/mkimage)
#   bin/      plimsoll, floor, mkimage, built from this tree on every run
# then measures, side by side in one run, each N times (interleaved, after one
# untimed warm-up round that fills the page cache):
#   floor     bench/inspect/floor: inflate every layer concurrently, discard
#   plimsoll  plimsoll inspect oci-dir:LAYOUT --files --digests -o json
#   nodigests the same without --digests (what the per-file sha256 costs)
#   trivy     trivy image --input LAYOUT --format cyclonedx --scanners license
#             --cache-backend memory (plus offline flags; see docs/bench.md)
# and prints the median wall time and the peak RSS of each, and the ratios.
#
# Environment: N (rounds, default 3), BENCH_OUT (default bench/out),
# SKIP_TRIVY=1, TRIVY (path to a trivy binary; default: PATH, then GOPATH/bin,
# installed there when missing), IDLE_LOAD (e.g. 0.7: after preparing, wait,
# polling every 30 s, until the 1-minute load average is below it) and IDLE_UNTIL
# (a time `date -d` reads, e.g. 15:25: stop waiting then and measure anyway),
# BUILD_FROM=head (build a clean export of HEAD, not the working tree).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
N=${N:-3}
OUT=${BENCH_OUT:-$ROOT/bench/out}
# Its own module, so that go build/vet/test ./... of the repository never walk
# into the generated trees and source copies kept here.
mkdir -p "$OUT" && [ -f "$OUT/go.mod" ] || printf 'module plimsoll.bench.out\n' > "$OUT/go.mod"
TRIVY_VERSION=v0.74.0
mkdir -p "$OUT/bin" "$OUT/runs"

say() { printf '== %s\n' "$*" >&2; }

need_apt() { # need_apt COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] && return 0
	say "installing $2"
	apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}

prepare_rootfs() {
	[ -f "$OUT/rootfs.done" ] && return 0
	need_apt debootstrap debootstrap
	say "debootstrap --variant=minbase bookworm (once; a few minutes)"
	rm -rf "$OUT/rootfs.partial" "$OUT/rootfs"
	debootstrap --variant=minbase bookworm "$OUT/rootfs.partial" http://deb.debian.org/debian >"$OUT/debootstrap.log" 2>&1 ||
		{ tail -20 "$OUT/debootstrap.log" >&2; exit 1; }
	mv "$OUT/rootfs.partial" "$OUT/rootfs"
	touch "$OUT/rootfs.done"
}

# build builds the three programs from the working tree, or, when that does not
# build (others' work in progress), from a clean export of HEAD; BUILT_FROM says which.
build() {
	say "building plimsoll, floor, mkimage"
	if [ "${BUILD_FROM:-}" != head ] && build_in "$ROOT" 2>"$OUT/build.log"; then
		BUILT_FROM="the working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- cmd internal go.mod 2>/dev/null || echo ' (with uncommitted changes)')"
		return
	fi
	[ "${BUILD_FROM:-}" = head ] || say "the working tree does not build ($(head -1 "$OUT/build.log")); building HEAD"
	rm -rf "$OUT/src" && mkdir -p "$OUT/src"
	git archive HEAD | tar -x -C "$OUT/src"
	build_in "$OUT/src"
	BUILT_FROM="HEAD $(git rev-parse --short HEAD)"
}

build_in() {
	(cd "$1" &&
		CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/plimsoll" ./cmd/plimsoll &&
		CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/floor" ./bench/inspect/floor &&
		CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/mkimage" ./bench/inspect/mkimage)
}

# prepare_layout rebuilds the layout when mkimage's sources change.
prepare_layout() {
	local stamp
	stamp=$(ls bench/inspect/mkimage/*.go bench/internal/benchimage/*.go | grep -v '_test\.go$' | xargs cat | sha256sum | cut -d' ' -f1)
	[ -f "$OUT/layout.done" ] && [ "$(cat "$OUT/layout.done")" = "$stamp" ] && return 0
	say "writing the OCI layout (once; about a minute)"
	"$OUT/bin/mkimage" -rootfs "$OUT/rootfs" -out "$OUT/layout"
	echo "$stamp" >"$OUT/layout.done"
}

# The three commands, as arrays named CMD_<tool>. trivy runs offline: no DB
# download (the license scanner needs none), no Java DB, no checks bundle, no
# version check, no telemetry.
set_commands() {
	CMD_floor=("$OUT/bin/floor" "$OUT/layout")
	CMD_plimsoll=("$OUT/bin/plimsoll" inspect "oci-dir:$OUT/layout" --files --digests -o json)
	CMD_nodigests=("$OUT/bin/plimsoll" inspect "oci-dir:$OUT/layout" --files -o json)
	CMD_trivy=("${TRIVY:-trivy}" image --input "$OUT/layout" --format cyclonedx --scanners license
		--cache-backend memory --cache-dir "$OUT/trivy-cache" --skip-db-update --skip-java-db-update
		--skip-check-update --offline-scan --skip-version-check --disable-telemetry --quiet)
}

# find_trivy sets TRIVY to a working binary or TRIVY_SKIP to the reason there is none.
find_trivy() {
	TRIVY_SKIP=""
	if [ "${SKIP_TRIVY:-}" = 1 ]; then TRIVY_SKIP="SKIP_TRIVY=1"; return; fi
	TRIVY=${TRIVY:-$(command -v trivy || echo "$(go env GOPATH)/bin/trivy")}
	if [ ! -x "$TRIVY" ]; then
		say "installing trivy $TRIVY_VERSION into $(go env GOPATH)/bin (a long build)"
		(cd /tmp && GOEXPERIMENT=jsonv2 go install "github.com/aquasecurity/trivy/cmd/trivy@$TRIVY_VERSION") ||
			{ TRIVY_SKIP="go install of trivy $TRIVY_VERSION failed"; return; }
		TRIVY="$(go env GOPATH)/bin/trivy"
	fi
}

# warm_up runs each tool once, untimed, to fill the page cache; it keeps the
# outputs in runs/ for inspection and drops trivy when it cannot run.
warm_up() {
	local t
	for t in "${tools[@]}"; do
		local -n cmd="CMD_$t"
		if ! "${cmd[@]}" >"$OUT/runs/$t.out" 2>"$OUT/runs/$t.warmup.log"; then
			if [ "$t" = trivy ]; then
				TRIVY_SKIP="trivy failed: $(tail -3 "$OUT/runs/trivy.warmup.log" | tr '\n' ' ')"
				continue
			fi
			say "$t failed:"; tail -5 "$OUT/runs/$t.warmup.log" >&2; exit 1
		fi
	done
	[ -n "$TRIVY_SKIP" ] && tools=(floor plimsoll nodigests)
	return 0
}

# measure TOOL ROUND appends "wall_s peak_kb user_s sys_s" to runs/TOOL.txt.
measure() {
	local -n cmd="CMD_$1"
	local f="$OUT/runs/$1.time"
	if ! /usr/bin/time -f '%e %M %U %S' -o "$f" "${cmd[@]}" >/dev/null 2>"$OUT/runs/$1.$2.log"; then
		say "$1 failed (round $2):"; tail -5 "$OUT/runs/$1.$2.log" >&2; exit 1
	fi
	tail -1 "$f" >>"$OUT/runs/$1.txt"
	say "round $2 $1: $(tail -1 "$f" | awk '{printf "%s s, %.1f MB, cpu %.2f s", $1, $2/1024, $3+$4}')"
}

# wait_idle waits until the 1-minute load average is below IDLE_LOAD, or IDLE_UNTIL.
wait_idle() {
	[ -n "${IDLE_LOAD:-}" ] || return 0
	local until=${IDLE_UNTIL:+$(date -u -d "$IDLE_UNTIL" +%s)} l
	while :; do
		l=$(cut -d' ' -f1 /proc/loadavg)
		awk -v l="$l" -v m="$IDLE_LOAD" 'BEGIN {exit !(l < m)}' && { say "load $l < $IDLE_LOAD"; return; }
		if [ -n "$until" ] && [ "$(date -u +%s)" -ge "$until" ]; then
			say "still loaded ($l) at $IDLE_UNTIL; measuring anyway"; return
		fi
		say "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg); waiting for < $IDLE_LOAD"
		sleep 30
	done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
wall() { cut -d' ' -f1 "$OUT/runs/$1.txt" | median; }
cpu() { awk '{print $3+$4}' "$OUT/runs/$1.txt" | median; }
peak_mb() { cut -d' ' -f2 "$OUT/runs/$1.txt" | sort -n | tail -1 | awk '{printf "%.1f", $1/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

report() {
	local t fw pw pm
	echo "plimsoll inspect benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), plimsoll built from $BUILT_FROM"
	echo "image: $(du -sb "$OUT/layout/blobs" | cut -f1) bytes stored; N=$N rounds; load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-10s %12s %12s %14s   %s\n' tool "median wall" "median CPU" "peak RSS" "walls (s)"
	for t in floor plimsoll nodigests trivy; do
		if [ "$t" = trivy ] && [ -n "$TRIVY_SKIP" ]; then
			printf '%-10s skipped: %s\n' trivy "$TRIVY_SKIP"; continue
		fi
		printf '%-10s %10s s %10s s %11s MB   %s\n' "$t" "$(wall "$t")" "$(cpu "$t")" "$(peak_mb "$t")" "$(cut -d' ' -f1 "$OUT/runs/$t.txt" | tr '\n' ' ')"
	done
	fw=$(wall floor) pw=$(wall plimsoll) pm=$(peak_mb plimsoll)
	echo "plimsoll / floor  = $(ratio "$pw" "$fw")  (target ≤ 1.30: $(awk -v r="$(ratio "$pw" "$fw")" 'BEGIN {print (r <= 1.30) ? "met" : "MISSED"}'))"
	echo "(nodigests is plimsoll inspect --files without --digests: the same walk, digest and diffID verified, no per-file sha256;"
	echo " nodigests / floor = $(ratio "$(wall nodigests)" "$fw") wall, $(ratio "$(cpu nodigests)" "$(cpu floor)") CPU)"
	echo "plimsoll / floor CPU (user+sys) = $(ratio "$(cpu plimsoll)" "$(cpu floor)")  (the work ratio, less sensitive to load than wall time)"
	echo "plimsoll peak RSS = $pm MB  (target < 150 MB: $(awk -v m="$pm" 'BEGIN {print (m < 150) ? "met" : "MISSED"}'))"
	[ -z "$TRIVY_SKIP" ] && echo "trivy / plimsoll  = $(ratio "$(wall trivy)" "$pw")"
	outputs
	return 0
}

# outputs says what each tool produced in the warm-up round, as a sanity check.
outputs() {
	command -v python3 >/dev/null || return 0
	python3 - "$OUT/runs" <<-'PY'
		import json, sys
		d = sys.argv[1]
		p = json.load(open(d + "/plimsoll.out"))
		files = p.get("files", [])
		print("output: plimsoll %d files (%d with sha256), %d layers, distro %s" % (len(files),
		      sum(1 for f in files if f.get("digest")), len(p["layers"]), (p.get("distro") or {}).get("prettyName")))
		try:
		    t = json.load(open(d + "/trivy.out"))
		    print("output: trivy %d CycloneDX components" % len(t.get("components", [])))
		except (OSError, ValueError):
		    pass
	PY
}

main() {
	need_apt /usr/bin/time time
	prepare_rootfs
	build
	prepare_layout
	find_trivy
	set_commands
	tools=(floor plimsoll nodigests)
	[ -z "$TRIVY_SKIP" ] && tools+=(trivy)
	rm -f "$OUT"/runs/*.txt "$OUT"/runs/*.out
	wait_idle
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
	say "load average before: $LOAD_START"
	warm_up
	local i t
	for i in $(seq "$N"); do
		for t in "${tools[@]}"; do measure "$t" "$i"; done
	done
	report | tee "$OUT/result-$(date -u +%Y%m%dT%H%M%SZ).txt"
}

main "$@"
