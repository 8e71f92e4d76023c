# bench/realistic/lib.sh — helpers shared by bench/sbom/run.sh and bench/scan/run.sh
# (sourced; ROOT and OUT set by the caller).

say() { printf '== %s\n' "$*" >&2; }

# build_plimsoll builds plimsoll into $OUT/bin from the working tree, or, when that
# does not build (others' work in progress), from a clean export of HEAD;
# BUILT_FROM says which. BUILD_FROM=head forces HEAD.
build_plimsoll() {
	mkdir -p "$OUT/bin"
	if [ "${BUILD_FROM:-}" != head ] && (cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/plimsoll" ./cmd/plimsoll) 2>"$OUT/build.realistic.log"; then
		BUILT_FROM="the working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- cmd internal go.mod 2>/dev/null || echo ' (with uncommitted changes)')"
		return
	fi
	[ "${BUILD_FROM:-}" = head ] || say "the working tree does not build ($(head -1 "$OUT/build.realistic.log")); building HEAD"
	local src=$OUT/src.realistic
	rm -rf "$src" && mkdir -p "$src"
	git archive HEAD | tar -x -C "$src"
	(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$OUT/bin/plimsoll" ./cmd/plimsoll)
	BUILT_FROM="HEAD $(git rev-parse --short HEAD)"
}

# wait_idle waits until the 1-minute load average is below IDLE_LOAD and no other
# benchmark script (bench/inspect, bench/vulndb) is running, or IDLE_UNTIL.
wait_idle() {
	[ -n "${IDLE_LOAD:-}" ] || return 0
	local until=${IDLE_UNTIL:+$(date -u -d "$IDLE_UNTIL" +%s)} l
	while :; do
		l=$(cut -d' ' -f1 /proc/loadavg)
		if ! pgrep -f 'bench/(inspect|vulndb)/run.sh' >/dev/null; then
			awk -v l="$l" -v m="$IDLE_LOAD" 'BEGIN {exit !(l < m)}' && { say "load $l < $IDLE_LOAD"; return; }
		fi
		if [ -n "$until" ] && [ "$(date -u +%s)" -ge "$until" ]; then
			say "still loaded ($l) at $IDLE_UNTIL; measuring anyway"; return
		fi
		say "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg); waiting for < $IDLE_LOAD"
		sleep 30
	done
}

# measure RUNS TOOL ROUND: runs the array CMD_<TOOL> under /usr/bin/time, stdout to
# RUNS/TOOL.out, and appends "wall_s peak_kb user_s sys_s" to RUNS/TOOL.txt.
measure() {
	local runs=$1 t=$2 r=$3
	local -n cmd="CMD_$t"
	if ! /usr/bin/time -f '%e %M %U %S' -o "$runs/$t.time" "${cmd[@]}" >"$runs/$t.out" 2>"$runs/$t.$r.log"; then
		say "$t failed (round $r):"; tail -5 "$runs/$t.$r.log" >&2; return 1
	fi
	tail -1 "$runs/$t.time" >>"$runs/$t.txt"
	say "round $r $t: $(tail -1 "$runs/$t.time" | awk '{printf "%s s, %.1f MB, cpu %.2f s", $1, $2/1024, $3+$4}')"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
wall() { cut -d' ' -f1 "$1/$2.txt" | median; }
cpu() { awk '{print $3+$4}' "$1/$2.txt" | median; }
peak_mb() { cut -d' ' -f2 "$1/$2.txt" | sort -n | tail -1 | awk '{printf "%.1f", $1/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

# table RUNS TOOL... prints median wall, median CPU, peak RSS and the walls of each tool.
table() {
	local runs=$1 t; shift
	printf '%-10s %12s %12s %14s   %s\n' tool "median wall" "median CPU" "peak RSS" "walls (s)"
	for t in "$@"; do
		printf '%-10s %10s s %10s s %11s MB   %s\n' "$t" "$(wall "$runs" "$t")" "$(cpu "$runs" "$t")" "$(peak_mb "$runs" "$t")" "$(cut -d' ' -f1 "$runs/$t.txt" | tr '\n' ' ')"
	done
}
