#!/bin/sh
# perf.sh reproduces the figures of docs/performance.md on one machine:
# it builds kmsd and kmsbench, starts kmsd (embedded SQLite store, software
# root key) and the ceiling as two separate processes on loopback, runs
# every benchmark REPS times, prints every run and the per-row median.
#
#   cmd/kmsbench/perf.sh                 # all rows, 8 conns x 10 s, 3 reps
#   CONNS=16 DURATION=5s REPS=1 cmd/kmsbench/perf.sh
#
# Client and servers share the machine's cores. kmsd's audit log (one JSON
# line per request on stderr) goes to $OUT/kmsd.log.
set -eu
cd "$(dirname "$0")/../.."

OUT=${OUT:-$(mktemp -d /tmp/kmsbench.XXXXXX)}
CONNS=${CONNS:-8}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
REPS=${REPS:-3}
KMSD_PORT=${KMSD_PORT:-18080}
CEILING_PORT=${CEILING_PORT:-18081}

export HUAWEICLOUD_SDK_AK=KMSDBENCHAK012345678
export HUAWEICLOUD_SDK_SK=BenchSecretKey0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0a1b2c3d4e5f60718293a4b5c6d7e8f9

go build -o "$OUT/kmsd" ./cmd/kmsd
go build -o "$OUT/kmsbench" ./cmd/kmsbench

KMSD_BOOTSTRAP_ACCESS_KEY=$HUAWEICLOUD_SDK_AK KMSD_BOOTSTRAP_SECRET_KEY=$HUAWEICLOUD_SDK_SK \
KMSD_BOOTSTRAP_PROJECT_ID=$HUAWEICLOUD_SDK_PROJECT_ID KMSD_BOOTSTRAP_PASSWORD='bench password 0123' \
KMSD_KEY_QUOTA=100000 KMSD_PRINT_ENV=false \
	"$OUT/kmsd" serve --data "$OUT/data" --listen 127.0.0.1:$KMSD_PORT 2>"$OUT/kmsd.log" &
KMSD_PID=$!
"$OUT/kmsbench" ceiling --listen 127.0.0.1:$CEILING_PORT >"$OUT/ceiling.log" 2>&1 &
CEILING_PID=$!
trap 'kill $KMSD_PID $CEILING_PID 2>/dev/null || true' EXIT INT TERM

for port in $KMSD_PORT $CEILING_PORT; do
	i=0
	until curl -s -o /dev/null http://127.0.0.1:$port/; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "server on $port did not start" >&2; exit 1; }
		sleep 0.1
	done
done

KMSD=http://127.0.0.1:$KMSD_PORT
CEILING=http://127.0.0.1:$CEILING_PORT
ANYKEY=0d0466b0-e727-4d9c-b35d-f84bb474a37f # the ceiling accepts any key id

# row NAME URL kmsbench-args...: REPS runs, one JSON line each, then the median.
row() {
	name=$1 url=$2; shift 2
	: >"$OUT/$name.jsonl"
	for r in $(seq "$REPS"); do
		"$OUT/kmsbench" --url "$url" --conns "$CONNS" --duration "$DURATION" --warmup "$WARMUP" --json "$@" |
			tee /dev/stderr | grep '^{' >>"$OUT/$name.jsonl" || true
	done
	python3 - "$name" "$OUT/$name.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[2])]
if not runs:
    print(f"MEDIAN {sys.argv[1]:<24} no successful run"); sys.exit()
med = lambda k: statistics.median(r[k] for r in runs)
errs = sum(r["errors"] for r in runs)
print(f"MEDIAN {sys.argv[1]:<24} rps={med('rps'):9.1f} p50={med('p50_ms'):.3f}ms p99={med('p99_ms'):.3f}ms errors={errs} runs={len(runs)}")
PY
}

row ceiling-512 "$CEILING" --op encrypt-data --size 512 --key-id $ANYKEY
row ceiling-4096 "$CEILING" --op encrypt-data --size 4096 --key-id $ANYKEY
row encrypt-data-512 "$KMSD" --op encrypt-data --size 512
row encrypt-data-4096 "$KMSD" --op encrypt-data --size 4096
row decrypt-data-512 "$KMSD" --op decrypt-data --size 512
row decrypt-data-4096 "$KMSD" --op decrypt-data --size 4096
row create-datakey "$KMSD" --op create-datakey
row sign-EC_P256 "$KMSD" --op sign --key-spec EC_P256
row sign-RSA_2048 "$KMSD" --op sign --key-spec RSA_2048
echo "results in $OUT"
