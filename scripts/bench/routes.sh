# Sourced by scripts/benchmark and scripts/benchmark-compare: the one way both measure the release server.
# The server is pinned to CPU 0 and wrk to CPU 1 (taskset), the access log is off (--log-level warning) so that the
# figures measure the service, not the terminal.

BENCH_CONNECTIONS=${EKSNET_BENCH_CONNECTIONS:-32}
SERVER_PID=

# start_server BINARY PORT: starts the server in the background, sets SERVER_PID, returns once /readyz answers 200.
# Revisions from before the probe listener have no --probe-port: it is passed only when the binary knows it.
start_server() {
  local extra=()
  if "$1" --help 2>/dev/null | grep -q -- '--probe-port'; then extra=(--probe-port off); fi
  taskset -c 0 "$1" --hostname 127.0.0.1 --port "$2" "${extra[@]}" --log-level warning --drain-delay 0 >/dev/null &
  SERVER_PID=$!
  until curl -sf "http://127.0.0.1:$2/readyz" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server $1 did not start" >&2; return 1; }
    sleep 0.001
  done
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# wrk_rps SECONDS URL [wrk arguments…]: requests per second of one wrk run.
wrk_rps() {
  local seconds=$1 url=$2
  shift 2
  taskset -c 1 wrk -t1 -c"$BENCH_CONNECTIONS" -d"${seconds}s" "$@" "$url" | awk '/Requests\/sec/ {print $2}'
}

# measure_routes PORT SECONDS: warms both routes, then sets HEALTH_RPS and CAPACITY_RPS (GET /healthz, then
# POST /v1/capacity with three node groups) and CAPACITY_STATUS (the capacity route must really answer 200).
measure_routes() {
  local base="http://127.0.0.1:$1"
  wrk_rps 2 "$base/healthz" >/dev/null
  BODY_FILE=scripts/bench/capacity-3-groups.json wrk_rps 2 "$base/v1/capacity" -s scripts/bench/post-body.lua >/dev/null
  HEALTH_RPS=$(wrk_rps "$2" "$base/healthz")
  CAPACITY_RPS=$(BODY_FILE=scripts/bench/capacity-3-groups.json wrk_rps "$2" "$base/v1/capacity" -s scripts/bench/post-body.lua)
  CAPACITY_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @scripts/bench/capacity-3-groups.json "$base/v1/capacity")
}

install_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)"
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
  fi
}
