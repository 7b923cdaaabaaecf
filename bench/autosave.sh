#!/usr/bin/env bash
# Autosave against its floor, two versions side by side (issue 11, goal:
# a durable autosave's p50 and p99 ≤ 2× two bare fdatasyncs of the same
# pages). Not part of make test.
#
#   bench/autosave.sh [OLD_REF [NEW_REF]]
#
# Builds the store package's test binary at each git ref (a temporary
# worktree per ref; your working tree is not touched) and runs them
# alternated, old, new, old, new, … (ROUNDS rounds), each with
#   -test.run '^$' -test.bench 'Autosave|BareTwoPhase' -test.benchtime 1000x -test.benchmem
# in a scratch folder under TMPDIR (the disk measured: set TMPDIR to the
# disk the database lives on).
#
# Each run prints, per autosave benchmark (BenchmarkAutosave: a small
# file; BenchmarkAutosaveCombined: the 42-item template beside 300 other
# inspections), p50 and p99 in µs and their ratio to the floor of the same
# pages measured in the same run: BenchmarkBareTwoPhase (4 pages) for a
# save that writes up to 6 pages, BenchmarkBareTwoPhase8 above (the
# floor: N pages written at once, fdatasync, one meta page, fdatasync;
# before schema 7 the combined save wrote 8, since then 4); and the
# figures load barely changes: CPU per save (process user+sys time),
# pages and write calls per save, allocations.
# BenchmarkAutosaveNoSync is the combined save without the fdatasyncs:
# its CPU is the save's own work. BenchmarkBareTwoPhase8Apart (where the
# ref has it) is the 8-page floor with the pages apart, as bbolt places
# them: what the layout alone costs (information, not the goal's floor).
#
# BenchmarkAutosavePaired is the goal's figure: each save paired in the
# same loop with a commit of the floor (the pages it wrote, adjacent) and
# with one of the very pages it wrote ("same"), so that all three see the
# same disk at the same moments; measured apart, the floors moved by up to
# 40% between runs. A ref without it is measured with the file of NEW.
#
# Wall-clock figures are only meaningful on an otherwise idle machine:
# the script prints the load average before each run.
#
# Environment: ROUNDS (default 3), BENCHTIME (default 1000x), KEEP=1 keeps
# the two binaries in $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
# OLD default: main just before the autosave work of 2026-12-01 (c7a7a00^).
OLD=${1:-12b354f}
NEW=${2:-HEAD}
ROUNDS=${ROUNDS:-3}
BENCHTIME=${BENCHTIME:-1000x}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mingcha-autosave.XXXXXX")
cleanup() {
  for d in "$WORK"/src-*; do
    [ -d "$d" ] && git worktree remove --force "$d" >/dev/null 2>&1 || true
  done
  if [ "${KEEP:-}" = 1 ]; then
    rm -rf "$WORK"/src-* "$WORK"/run
    echo "binaries kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

build() { # name ref
  local name=$1 ref=$2 rev
  rev=$(git rev-parse --short "$ref^{commit}")
  git worktree add --detach "$WORK/src-$name" "$rev" >/dev/null 2>&1
  if [ ! -f "$WORK/src-$name/store/paired_bench_test.go" ]; then
    # NEW's paired benchmark, its programHeap renamed (the ref may have its own).
    git show "$(git rev-parse "$NEW^{commit}"):store/paired_bench_test.go" |
      sed 's/programHeap/pairedProgramHeap/g' > "$WORK/src-$name/store/paired_bench_test.go"
  fi
  (cd "$WORK/src-$name" && go test -c -o "$WORK/$name.test" ./store)
  echo "$name = $ref ($rev): $(git log -1 --format=%s "$rev" | cut -c1-100)"
}
build old "$OLD"
build new "$NEW"

# report NAME FILE: one line per autosave benchmark of a run's output.
report() {
  awk -v who="$1" '
    function metric(name,   i) { for (i = 3; i < NF; i++) if ($(i+1) == name) return $i; return "" }
    /^Benchmark/ {
      b = $1; sub(/-[0-9]+$/, "", b)
      p50[b] = metric("p50-µs"); p99[b] = metric("p99-µs"); cpu[b] = metric("cpu-µs/op")
      pages[b] = metric("pages/save"); writes[b] = metric("writes/save"); allocs[b] = metric("allocs/op")
      if (b == "BenchmarkAutosavePaired")
        printf "%-4s %-26s p50 %6d µs (floor %5d) %4.2f×   p99 %6d µs (floor %5d) %4.2f×   same pages: p50 %4.2f× p99 %4.2f×  pages %s\n",
          who, "AutosavePaired", metric("p50-µs"), metric("floor-p50-µs"), metric("p50-ratio"), metric("p99-µs"), metric("floor-p99-µs"),
          metric("p99-ratio"), metric("same-p50-ratio"), metric("same-p99-ratio"), metric("pages/save")
    }
    END {
      n = split("BenchmarkAutosave BenchmarkAutosaveCombined", list, " ")
      for (k = 1; k <= n; k++) {
        # The floor of the same pages: 8 for a save that writes more than 6, else 4.
        b = list[k]; f = (pages[b] + 0 > 6) ? "BenchmarkBareTwoPhase8" : "BenchmarkBareTwoPhase"
        if (p50[b] == "" || p50[f] == "") { printf "%-4s %-26s missing from this run\n", who, b; continue }
        printf "%-4s %-26s p50 %6d µs (floor %5d) %4.2f×   p99 %6d µs (floor %5d) %4.2f×   cpu %5.0f µs  pages %s  writes %s  allocs %s  floor %s\n",
          who, substr(b, 10), p50[b], p50[f], p50[b] / p50[f], p99[b], p99[f], p99[b] / p99[f], cpu[b], pages[b], writes[b], allocs[b], substr(f, 10)
      }
      a = "BenchmarkBareTwoPhase8Apart"
      if (p50[a] != "" && p50["BenchmarkAutosaveCombined"] != "")
        printf "%-4s %-26s p50 %6d µs  p99 %6d µs: AutosaveCombined is %4.2f× and %4.2f× of it\n", who, "BareTwoPhase8Apart", p50[a], p99[a],
          p50["BenchmarkAutosaveCombined"] / p50[a], p99["BenchmarkAutosaveCombined"] / p99[a]
      if (cpu["BenchmarkAutosaveNoSync"] != "")
        printf "%-4s %-26s cpu %5.0f µs per save without fdatasync\n", who, "AutosaveNoSync", cpu["BenchmarkAutosaveNoSync"]
    }' "$2"
}

mkdir -p "$WORK/run"
echo
echo "rounds: $ROUNDS, -test.benchtime $BENCHTIME, scratch files in ${TMPDIR:-/tmp}"
for r in $(seq "$ROUNDS"); do
  for name in old new; do
    echo "round $r $name, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$WORK/run" && "$WORK/$name.test" -test.run '^$' -test.bench 'Autosave|BareTwoPhase' \
      -test.benchtime "$BENCHTIME" -test.benchmem) > "$WORK/$name-$r.txt"
    report "$name" "$WORK/$name-$r.txt" | tee -a "$WORK/$name.lines"
  done
done

# The median of each ratio over the rounds.
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
echo
echo "median over $ROUNDS rounds (goal: p50 and p99 ≤ 2.00× the floor; AutosavePaired is the goal's figure):"
for name in old new; do
  for b in Autosave AutosaveCombined; do
    m50=$(awk -v b="$b" '$2 == b { sub(/×/, "", $8); print $8 }' "$WORK/$name.lines" | median)
    m99=$(awk -v b="$b" '$2 == b { sub(/×/, "", $14); print $14 }' "$WORK/$name.lines" | median)
    printf '%-4s %-18s p50 %s×  p99 %s×\n' "$name" "$b" "${m50:-?}" "${m99:-?}"
  done
  m50=$(awk '$2 == "AutosavePaired" { sub(/×/, "", $8); print $8 }' "$WORK/$name.lines" | median)
  m99=$(awk '$2 == "AutosavePaired" { sub(/×/, "", $14); print $14 }' "$WORK/$name.lines" | median)
  s50=$(awk '$2 == "AutosavePaired" { sub(/×/, "", $18); print $18 }' "$WORK/$name.lines" | median)
  s99=$(awk '$2 == "AutosavePaired" { sub(/×/, "", $20); print $20 }' "$WORK/$name.lines" | median)
  printf '%-4s %-18s p50 %s×  p99 %s×   (same pages: p50 %s×  p99 %s×)\n' "$name" AutosavePaired "${m50:-?}" "${m99:-?}" "${s50:-?}" "${s99:-?}"
done
