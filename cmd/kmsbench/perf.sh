#!/bin/sh
# perf.sh reproduces the figures of docs/performance.md on one machine:
# it builds kmsd and kmsbench, starts kmsd (embedded SQLite store, software
# root key) and the ceiling as two separate processes on loopback, runs
# every benchmark REPS times, prints every run and the per-row median.
#
#   cmd/kmsbench/perf.sh                 # all rows, 8 conns x 10 s, 3 reps
#   CONNS=16 DURATION=5s REPS=1 cmd/kmsbench/perf.sh
#
# Client and servers share the machine's cores. kmsd's operational log goes
# to $OUT/kmsd.log, its audit trail (one chained record per request, fsynced
# in groups before the answer) to $OUT/data/audit.log. KMSD_* variables in
# the environment reach kmsd: KMSD_AUDIT_DURABLE=writes measures without
# the durable record of the data plane.
set -eu
cd "$(dirname "$0")/../.."

OUT=${OUT:-$(mktemp -d /tmp/kmsbench.XXXXXX)}
CONNS=${CONNS:-8}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
REPS=${REPS:-3}
KMSD_PORT=${KMSD_PORT:-18080}
CEILING_PORT=${CEILING_PORT:-18081}
KMSD_LOG=${KMSD_LOG:-$OUT/kmsd.log} # the operational log

export HUAWEICLOUD_SDK_AK=KMSDBENCHAK012345678
export HUAWEICLOUD_SDK_SK=BenchSecretKey0123456789abcdefghijklmnop
export HUAWEICLOUD_SDK_PROJECT_ID=0a1b2c3d4e5f60718293a4b5c6d7e8f9

go build -o "$OUT/kmsd" ./cmd/kmsd
go build -o "$OUT/kmsbench" ./cmd/kmsbench

KMSD_BOOTSTRAP_ACCESS_KEY=$HUAWEICLOUD_SDK_AK KMSD_BOOTSTRAP_SECRET_KEY=$HUAWEICLOUD_SDK_SK \
KMSD_BOOTSTRAP_PROJECT_ID=$HUAWEICLOUD_SDK_PROJECT_ID KMSD_BOOTSTRAP_PASSWORD='bench password 0123' \
KMSD_KEY_QUOTA=100000 KMSD_PRINT_ENV=false \
	"$OUT/kmsd" serve --data "$OUT/data" --listen 127.0.0.1:$KMSD_PORT 2>"$KMSD_LOG" &
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

# Each row is NAME PID URL kmsbench-args...; PID is the server process whose
# CPU time (utime+stime from /proc) is charged to the run's requests.
ROWS="ceiling-512 $CEILING_PID $CEILING --op encrypt-data --size 512 --key-id $ANYKEY
ceiling-4096 $CEILING_PID $CEILING --op encrypt-data --size 4096 --key-id $ANYKEY
ceiling-decrypt-512 $CEILING_PID $CEILING --op decrypt-data --size 512 --key-id $ANYKEY
ceiling-decrypt-4096 $CEILING_PID $CEILING --op decrypt-data --size 4096 --key-id $ANYKEY
encrypt-data-512 $KMSD_PID $KMSD --op encrypt-data --size 512
encrypt-data-4096 $KMSD_PID $KMSD --op encrypt-data --size 4096
decrypt-data-512 $KMSD_PID $KMSD --op decrypt-data --size 512
decrypt-data-4096 $KMSD_PID $KMSD --op decrypt-data --size 4096
create-datakey $KMSD_PID $KMSD --op create-datakey
sign-EC_P256 $KMSD_PID $KMSD --op sign --key-spec EC_P256
sign-RSA_2048 $KMSD_PID $KMSD --op sign --key-spec RSA_2048"
[ -z "${ONLY:-}" ] || ROWS=$(echo "$ROWS" | grep -E "^($ONLY) ")

cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Repetitions are interleaved (every row once, then again) so that a burst
# of other load on the machine does not hit one row's runs only.
: >"$OUT/runs.jsonl"
for rep in $(seq "$REPS"); do
	echo "$ROWS" | while read -r name pid url args; do
		c0=$(cputicks "$pid")
		# shellcheck disable=SC2086 # args is a word list
		"$OUT/kmsbench" --url "$url" --conns "$CONNS" --duration "$DURATION" --warmup "$WARMUP" --json $args >"$OUT/last.txt" || true
		c1=$(cputicks "$pid")
		head -n -1 "$OUT/last.txt" >&2
		tail -n 1 "$OUT/last.txt" | grep '^{' | python3 -c '
import json, sys
r = json.loads(sys.stdin.read()); r["row"] = sys.argv[1]; r["server_cpu_ticks"] = int(sys.argv[2])
print(json.dumps(r))' "$name" $((c1 - c0)) >>"$OUT/runs.jsonl" || true
	done
done

python3 - "$OUT/runs.jsonl" "$(getconf CLK_TCK)" <<'PY'
import collections, json, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["row"], []).append(r)
tck = int(sys.argv[2])
ceil = {}
print(f"{'row':<22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'cpu us/req':>12}{'% ceiling':>11}  errors  runs")
for name, runs in rows.items():
    med = lambda f: statistics.median(f(r) for r in runs)
    rps = med(lambda r: r["rps"])
    # warm-up requests are not in r["requests"]: charge CPU per request sent in total
    cpu = med(lambda r: r["server_cpu_ticks"] / tck * 1e6 / max(r["sent"], 1))
    size = runs[0].get("size", 0)
    kind = "decrypt" if "decrypt" in name else "encrypt"
    if name.startswith("ceiling"):
        ceil[kind, size] = rps
    pct = f"{100 * rps / ceil[kind, size]:.0f} %" if name.split("-")[0] == kind and (kind, size) in ceil else ""
    errs = sum(r["errors"] for r in runs)
    print(f"{name:<22}{rps:>10.0f}{med(lambda r: r['p50_ms']):>9.3f}{med(lambda r: r['p99_ms']):>9.3f}{cpu:>12.0f}{pct:>11}  {errs:>6}  {len(runs)}")
PY
echo "results in $OUT"
