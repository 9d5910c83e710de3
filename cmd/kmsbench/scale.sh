#!/bin/sh
# scale.sh measures how create-key and list-keys behave as the number of keys
# in one project grows (docs/performance.md, "Scale"). For each level of
# LEVELS it stops kmsd, fills the bootstrap project up to that many keys with
# "kmsbench prefill", starts kmsd again (timing how long until it answers),
# and runs create-key, a first list-keys page and a page 90 % deep, each
# for DURATION with CONNS connections. Results go to $OUT/scale-$STORE.jsonl
# (one kmsbench JSON line each, plus one {"op":"startup",...} line per start
# and one {"op":"rss",...} line with kmsd's resident memory after each level),
# which cmd/scalechart turns into a chart.
#
#   cmd/kmsbench/scale.sh                                # SQLite, 1k 100k 1M
#   STORE=postgres DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=scale' \
#     LEVELS="1000 100000" cmd/kmsbench/scale.sh
#
# The PostgreSQL schema in DSN must exist and be empty.
set -eu
cd "$(dirname "$0")/../.."

OUT=${OUT:-$(mktemp -d /tmp/kmsscale.XXXXXX)}
STORE=${STORE:-sqlite}
LEVELS=${LEVELS:-1000 100000 1000000}
CONNS=${CONNS:-8}
DURATION=${DURATION:-5s}
PORT=${PORT:-18090}

export HUAWEICLOUD_SDK_AK=KMSDSCALEAK012345678
export HUAWEICLOUD_SDK_SK=ScaleSecretKey0123456789abcdefghijklmno
export HUAWEICLOUD_SDK_PROJECT_ID=0a1b2c3d4e5f60718293a4b5c6d7e8f9
export KMSD_BOOTSTRAP_ACCESS_KEY=$HUAWEICLOUD_SDK_AK KMSD_BOOTSTRAP_SECRET_KEY=$HUAWEICLOUD_SDK_SK \
	KMSD_BOOTSTRAP_PROJECT_ID=$HUAWEICLOUD_SDK_PROJECT_ID KMSD_BOOTSTRAP_PASSWORD='scale password 0123' \
	KMSD_KEY_QUOTA=100000000 KMSD_PRINT_ENV=false KMSD_DATA=$OUT/data KMSD_STORE=$STORE
if [ "$STORE" = postgres ]; then export KMSD_POSTGRES_DSN=$DSN; fi

go build -o "$OUT/kmsd" ./cmd/kmsd
go build -o "$OUT/kmsbench" ./cmd/kmsbench
RESULTS=$OUT/scale-$STORE.jsonl
KMSD_PID=
trap '[ -z "$KMSD_PID" ] || kill $KMSD_PID 2>/dev/null || true' EXIT INT TERM

start() {
	t0=$(date +%s.%N)
	"$OUT/kmsd" serve --listen 127.0.0.1:$PORT 2>"$OUT/kmsd.log" &
	KMSD_PID=$!
	i=0
	until curl -s -o /dev/null http://127.0.0.1:$PORT/; do
		i=$((i + 1)); [ $i -lt 600 ] || { echo "kmsd did not start" >&2; exit 1; }
		sleep 0.05
	done
	echo "{\"op\":\"startup\",\"store\":\"$STORE\",\"project_keys\":$1,\"seconds\":$(printf '%.3f' "$(echo "$(date +%s.%N) - $t0" | bc)")}" | tee -a "$RESULTS"
}

stop() { kill $KMSD_PID; wait $KMSD_PID 2>/dev/null || true; KMSD_PID=; }

bench() { "$OUT/kmsbench" --url http://127.0.0.1:$PORT --conns $CONNS --duration $DURATION --warmup 1s --json "$@" | tail -1 | tee -a "$RESULTS"; }

have=0
start 0
for level in $LEVELS; do
	stop
	if [ $level -gt $have ]; then "$OUT/kmsbench" prefill --keys $((level - have)); fi
	start $level
	bench --op create-key
	have=$("$OUT/kmsbench" --url http://127.0.0.1:$PORT --op list-keys --limit 1 --duration 1ms --warmup 0 --json | tail -1 |
		sed 's/.*"project_keys":\([0-9]*\).*/\1/')
	bench --op list-keys --limit 10
	bench --op list-keys --limit 10 --depth $((have * 9 / 10))
	echo "{\"op\":\"rss\",\"store\":\"$STORE\",\"project_keys\":$have,\"rss_kib\":$(ps -o rss= -p $KMSD_PID | tr -d ' ')}" | tee -a "$RESULTS"
done
echo "results: $RESULTS"
