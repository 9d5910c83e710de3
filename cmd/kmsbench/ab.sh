#!/bin/sh
# ab.sh compares the data plane of two revisions of kmsd on one machine, in
# one run: it builds kmsd and kmsbench at both revisions, starts both kmsd
# nodes (embedded SQLite, software root key) and both revisions' ceilings,
# and then runs ROUNDS rounds; each round measures, back to back, A's
# ceiling, A's kmsd, B's ceiling and B's kmsd. Alternating within a round
# is what makes the ratios comparable on a machine whose speed drifts from
# minute to minute. It prints every round and the medians.
#
#   cmd/kmsbench/ab.sh 09a0fb4 HEAD                  # encrypt-data 512 B, 8 rounds
#   OP=decrypt-data SIZE=4096 ROUNDS=6 cmd/kmsbench/ab.sh v0.1.0 HEAD
#
# Revisions are anything git rev-parse takes; "." is the working tree.
# Both revisions share the cores with the client: measure on an idle machine.
set -eu
cd "$(dirname "$0")/../.."

A=${1:?usage: ab.sh REV-A REV-B}
B=${2:?usage: ab.sh REV-A REV-B}
OP=${OP:-encrypt-data}
SIZE=${SIZE:-512}
ROUNDS=${ROUNDS:-8}
CONNS=${CONNS:-8}
DURATION=${DURATION:-4s}
WARMUP=${WARMUP:-1s}
OUT=${OUT:-$(mktemp -d /tmp/kmsbench-ab.XXXXXX)}

export HUAWEICLOUD_SDK_AK=KMSDBENCHAK012345678
export HUAWEICLOUD_SDK_SK=BenchSecretKey0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0a1b2c3d4e5f60718293a4b5c6d7e8f9
ANYKEY=0d0466b0-e727-4d9c-b35d-f84bb474a37f # the ceiling accepts any key id

# build REV NAME: kmsd and kmsbench of REV into $OUT/NAME/.
build() {
	mkdir -p "$OUT/$2"
	if [ "$1" = . ]; then
		src=.
	else
		src="$OUT/$2/src"
		git worktree add -q --detach "$src" "$1"
	fi
	(cd "$src" && go build -o "$OUT/$2/kmsd" ./cmd/kmsd && go build -o "$OUT/$2/kmsbench" ./cmd/kmsbench)
	[ "$src" = . ] || git worktree remove --force "$src"
}
build "$A" a
build "$B" b

pids=""
trap 'kill $pids 2>/dev/null || true' EXIT INT TERM
port=18300
for n in a b; do
	KMSD_BOOTSTRAP_ACCESS_KEY=$HUAWEICLOUD_SDK_AK KMSD_BOOTSTRAP_SECRET_KEY=$HUAWEICLOUD_SDK_SK \
	KMSD_BOOTSTRAP_PROJECT_ID=$HUAWEICLOUD_SDK_PROJECT_ID KMSD_BOOTSTRAP_PASSWORD='bench password 0123' \
	KMSD_KEY_QUOTA=100000 KMSD_PRINT_ENV=false \
		"$OUT/$n/kmsd" serve --data "$OUT/$n/data" --listen 127.0.0.1:$port 2>"$OUT/$n/kmsd.log" &
	pids="$pids $!"
	"$OUT/$n/kmsbench" ceiling --listen 127.0.0.1:$((port + 1)) >"$OUT/$n/ceiling.log" 2>&1 &
	pids="$pids $!"
	for p in $port $((port + 1)); do
		i=0
		until curl -s -o /dev/null http://127.0.0.1:$p/; do
			i=$((i + 1)); [ $i -lt 100 ] || { echo "server on $p did not start" >&2; exit 1; }
			sleep 0.1
		done
	done
	port=$((port + 10))
done

# rps NAME URL ARGS...: one run's req/s.
rps() {
	n=$1 url=$2; shift 2
	"$OUT/$n/kmsbench" --url "$url" --conns "$CONNS" --duration "$DURATION" --warmup "$WARMUP" \
		--json --op "$OP" --size "$SIZE" "$@" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["rps"])'
}

: >"$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
	ca=$(rps a http://127.0.0.1:18301 --key-id $ANYKEY); ka=$(rps a http://127.0.0.1:18300)
	cb=$(rps b http://127.0.0.1:18311 --key-id $ANYKEY); kb=$(rps b http://127.0.0.1:18310)
	echo "$ca $ka $cb $kb" >>"$OUT/rounds.txt"
	echo "round $r: A ceiling $ca kmsd $ka | B ceiling $cb kmsd $kb" | python3 -c 'import re,sys; print(re.sub(r"(\d+)\.\d+", r"\1", sys.stdin.read()), end="")'
done

python3 - "$OUT/rounds.txt" "$A" "$B" "$OP" "$SIZE" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
med = lambda xs: statistics.median(xs)
ca, ka, cb, kb = ([r[i] for r in rows] for i in range(4))
print(f"\n{sys.argv[4]} {sys.argv[5]} B, {len(rows)} rounds, medians:")
print(f"{'':24}{'A ' + sys.argv[2]:>16}{'B ' + sys.argv[3]:>16}")
print(f"{'ceiling req/s':24}{med(ca):>16.0f}{med(cb):>16.0f}")
print(f"{'kmsd req/s':24}{med(ka):>16.0f}{med(kb):>16.0f}")
print(f"{'kmsd / own ceiling':24}{med([k / c for k, c in zip(ka, ca)]):>16.1%}{med([k / c for k, c in zip(kb, cb)]):>16.1%}")
print(f"{'kmsd / ceiling A':24}{med([k / c for k, c in zip(ka, ca)]):>16.1%}{med([k / c for k, c in zip(kb, ca)]):>16.1%}")
print(f"{'kmsd / ceiling B':24}{med([k / c for k, c in zip(ka, cb)]):>16.1%}{med([k / c for k, c in zip(kb, cb)]):>16.1%}")
PY
echo "results in $OUT"
