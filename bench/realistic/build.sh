#!/usr/bin/env bash
# bench/realistic/build.sh — builds the realistic image of the SBOM and scan
# benchmarks (issues 3 and 5), cached under bench/out/realistic/:
#   rootfs/         a copy of bench/out/rootfs (the debootstrap bookworm minbase
#                   rootfs of bench/inspect, prepared here the same way when missing)
#                   with, installed inside it:
#                     Debian python3 packages (apt-get in the chroot, bookworm main),
#                     /app: the npm application of npmapp/ (pinned old express,
#                     lodash, minimist; npm ci --ignore-scripts),
#                     /usr/local/bin/benchapp: goapp/ (pinned old gin, x/text),
#                     CGO_ENABLED=0, so its build info lists the modules
#   layout/         the OCI layout: two gzip layers, the base rootfs and the
#                   difference (bench/realistic/mkrealistic)
#   image.tar       the same image as a docker archive, uncompressed layers
# Prints the two paths. REBUILD=1 starts over.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${BENCH_OUT:-$ROOT/bench/out}
# Its own module, so that go build/vet/test ./... of the repository never walk
# into the generated trees and source copies kept here.
mkdir -p "$OUT" && [ -f "$OUT/go.mod" ] || printf 'module plimsoll.bench.out\n' > "$OUT/go.mod"
R=$OUT/realistic
PY_PACKAGES="python3-django python3-requests python3-urllib3 python3-yaml python3-jinja2"
say() { printf '== %s\n' "$*" >&2; }

base_rootfs() { # the same preparation as bench/inspect/run.sh, shared cache
	[ -f "$OUT/rootfs.done" ] && return 0
	command -v debootstrap >/dev/null || apt-get install -y debootstrap >/dev/null
	say "debootstrap --variant=minbase bookworm (once; a few minutes)"
	rm -rf "$OUT/rootfs.partial" "$OUT/rootfs"
	debootstrap --variant=minbase bookworm "$OUT/rootfs.partial" http://deb.debian.org/debian >"$OUT/debootstrap.log" 2>&1 ||
		{ tail -20 "$OUT/debootstrap.log" >&2; exit 1; }
	mv "$OUT/rootfs.partial" "$OUT/rootfs"
	touch "$OUT/rootfs.done"
}

app_rootfs() {
	[ -f "$R/rootfs.done" ] && return 0
	local t=$R/rootfs
	rm -rf "$t" && mkdir -p "$R"
	cp -a "$OUT/rootfs" "$t"
	say "apt-get install $PY_PACKAGES (in the chroot)"
	cp /etc/resolv.conf "$t/etc/resolv.conf"
	printf '#!/bin/sh\nexit 101\n' >"$t/usr/sbin/policy-rc.d" && chmod +x "$t/usr/sbin/policy-rc.d"
	# shellcheck disable=SC2086
	chroot "$t" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PY_PACKAGES >"$R/apt.log" 2>&1 ||
		{ tail -20 "$R/apt.log" >&2; exit 1; }
	chroot "$t" apt-get clean
	rm -f "$t/usr/sbin/policy-rc.d"
	cp -a "$OUT/rootfs/etc/resolv.conf" "$t/etc/resolv.conf"
	say "npm ci --ignore-scripts (bench/realistic/npmapp)"
	mkdir -p "$t/app"
	cp bench/realistic/npmapp/package.json bench/realistic/npmapp/package-lock.json "$t/app/"
	(cd "$t/app" && npm ci --ignore-scripts --no-audit --no-fund >"$R/npm.log" 2>&1) || { tail -20 "$R/npm.log" >&2; exit 1; }
	say "go build bench/realistic/goapp"
	(cd bench/realistic/goapp && CGO_ENABLED=0 go build -o "$t/usr/local/bin/benchapp" .)
	touch "$R/rootfs.done"
}

image() {
	local stamp
	stamp=$(cat $(ls bench/realistic/mkrealistic/*.go bench/internal/benchimage/*.go | grep -v _test.go) "$R/rootfs.done" | sha256sum | cut -d' ' -f1)
	[ -f "$R/image.done" ] && [ "$(cat "$R/image.done")" = "$stamp" ] && return 0
	mkdir -p "$OUT/bin"
	CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/mkrealistic" ./bench/realistic/mkrealistic
	say "writing the OCI layout and the docker archive"
	"$OUT/bin/mkrealistic" -base "$OUT/rootfs" -top "$R/rootfs" -out "$R/layout" -archive "$R/image.tar"
	echo "$stamp" >"$R/image.done"
}

[ "${REBUILD:-}" = 1 ] && rm -f "$R/rootfs.done" "$R/image.done"
base_rootfs
app_rootfs
image
echo "$R/layout"
echo "$R/image.tar"
