#!/usr/bin/env bash
# Time to first token, bitnet4j against a peer's command line, on the same model file: whole processes (start, load,
# prompt, one sampled token, exit), alternating, so that both see the same state of a shared machine. Prints each
# round, the medians and their ratio (ours / the peer's; below 1 is faster), each side's peak memory and the median
# CPU time of its runs (user + system: a cold start on few cores is bound by it).
#
#   scripts/first-token.sh -m MODEL -c PEER_CLI [-t THREADS] [-r ROUNDS] [-p PROMPT]
#
# PEER_CLI: llama.cpp's llama-completion (llama-cli in builds before late 2025), or bitnet.cpp's llama-cli; it is run
# as PEER_CLI -m MODEL -p PROMPT -n 1 -t THREADS --temp 0, with -no-cnv when its --help lists that option. One untimed
# round of each comes first: it fills the page cache and writes bitnet4j's layout cache for this model and thread
# count. The default prompt is the 88-token one of docs/bench.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

model="" peer="" threads=2 rounds=5
prompt="The history of the city begins in the early years of the century, when a small group of farmers settled along the river. They built houses, planted"
usage() { echo "usage: scripts/first-token.sh -m MODEL -c PEER_CLI [-t THREADS] [-r ROUNDS] [-p PROMPT]" >&2; exit 2; }
while getopts "m:c:t:r:p:h" o; do
  case "$o" in
    m) model="$OPTARG" ;;
    c) peer="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    r) rounds="$OPTARG" ;;
    p) prompt="$OPTARG" ;;
    *) usage ;;
  esac
done
[ -n "$model" ] && [ -n "$peer" ] || usage
[ -f "$model" ] || { echo "first-token: no model file $model" >&2; exit 2; }
[ -x "$peer" ] || { echo "first-token: $peer is not an executable file" >&2; exit 2; }
[[ "$threads" =~ ^[1-9][0-9]*$ && "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "first-token: -t and -r take positive numbers" >&2; exit 2; }

peer_cmd=("$peer" -m "$model" -p "$prompt" -n 1 -t "$threads" --temp 0)
# llama.cpp's llama-cli turns to conversation mode (waiting for input) when the file has a chat template; older builds
# (bitnet.cpp's) have no -no-cnv. The help is read whole: `grep -q` would close the pipe early, and under pipefail
# the peer's SIGPIPE made the test false.
peer_help="$("$peer" --help 2>&1 || true)"
if [[ "$peer_help" == *-no-cnv* ]]; then
  peer_cmd+=(-no-cnv)
fi
ours_cmd=("$root/bitnet4j" run -m "$model" -p "$prompt" -n 1 -t "$threads" --temp 0)

# peak memory by GNU time when it is there (-o keeps it apart from the command's own output)
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  gnu_time=/usr/bin/time
fi
log="$(mktemp)"
rss="$(mktemp)"
trap 'rm -f "$log" "$rss"' EXIT

# one timed run: prints "MILLISECONDS KILOBYTES CPU_SECONDS" (both 0 without GNU time); a failure prints its output
# and stops
run() {
  local name="$1"; shift
  local start end
  start=$(date +%s%N)
  if [ -n "$gnu_time" ]; then
    "$gnu_time" -f "%M %U %S" -o "$rss" "$@" </dev/null >"$log" 2>&1 || fail "$name" "$?"
  else
    "$@" </dev/null >"$log" 2>&1 || fail "$name" "$?"
    echo "0 0 0" >"$rss"
  fi
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $(tail -n 1 "$rss" | awk '{ print $1, $2 + $3 }')"
}
fail() {
  echo "first-token: $1 exited with status $2; its last lines:" >&2
  tail -n 15 "$log" >&2
  exit 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "model $model, $threads thread(s), $rounds round(s) after one untimed round each"
echo "peer: ${peer_cmd[*]:0:1} (${#prompt}-character prompt)"
run bitnet4j "${ours_cmd[@]}" >/dev/null
run peer "${peer_cmd[@]}" >/dev/null
ours_ms=() peer_ms=() ours_kb=() peer_kb=() ours_cpu=() peer_cpu=()
for i in $(seq "$rounds"); do
  ours=$(run bitnet4j "${ours_cmd[@]}") # a failure ends the script here (set -e), not in read
  theirs=$(run peer "${peer_cmd[@]}")
  read -r a ak ac <<<"$ours"
  read -r b bk bc <<<"$theirs"
  ours_ms+=("$a") peer_ms+=("$b") ours_kb+=("$ak") peer_kb+=("$bk") ours_cpu+=("$ac") peer_cpu+=("$bc")
  awk -v i="$i" -v a="$a" -v b="$b" 'BEGIN { printf "round %d: bitnet4j %.2f s, peer %.2f s\n", i, a / 1000, b / 1000 }'
done
mo=$(printf '%s\n' "${ours_ms[@]}" | median)
mp=$(printf '%s\n' "${peer_ms[@]}" | median)
awk -v o="$mo" -v p="$mp" 'BEGIN {
  printf "median: bitnet4j %.2f s, peer %.2f s, ", o / 1000, p / 1000
  if (p > 0) printf "ratio %.2f (bitnet4j / peer)\n", o / p; else print "ratio n/a (the peer took no measurable time)"
}'
if [ -n "$gnu_time" ]; then
  ko=$(printf '%s\n' "${ours_kb[@]}" | sort -n | tail -n 1)
  kp=$(printf '%s\n' "${peer_kb[@]}" | sort -n | tail -n 1)
  awk -v o="$ko" -v p="$kp" 'BEGIN { printf "peak RSS: bitnet4j %.2f GB, peer %.2f GB\n", o / 1e6, p / 1e6 }'
  co=$(printf '%s\n' "${ours_cpu[@]}" | median)
  cp=$(printf '%s\n' "${peer_cpu[@]}" | median)
  awk -v o="$co" -v p="$cp" 'BEGIN { printf "CPU time (median, user + system): bitnet4j %.2f s, peer %.2f s\n", o, p }'
fi
