#!/usr/bin/env bash
# Second opinion on BenchmarkTopPage/BenchmarkHelloWorld: wrk against `bin/portal serve` and
# a hello-world server, one after the other, on loopback. Run from the checkout's root:
#
#   internal/web/testdata/wrk.sh [seconds] [connections]
#
# Needs wrk (apt-get install wrk) and curl. The portal uses DATABASE_URL, or the checkout's
# private cluster under .dev/ when it is unset. wrk keeps no cookies, so the script fetches
# the visitor's CSRF cookie first and sends it with every request: a returning visitor, like
# the Go benchmark (visitors have no session row).
set -euo pipefail
secs=${1:-10}
conns=${2:-16}
threads=2
portal_port=${PORTAL_PORT:-18181}
hello_port=${HELLO_PORT:-18182}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

go build -o bin/portal ./cmd/portal
go build -o bin/hello ./internal/web/testdata/hello
PORT=$portal_port LOG_LEVEL=warn ./bin/portal serve &
pids+=($!)
PORT=$hello_port ./bin/hello &
pids+=($!)
for url in "http://127.0.0.1:$portal_port/readyz" "http://127.0.0.1:$hello_port/"; do
  for _ in $(seq 200); do curl -sf "$url" >/dev/null && break; sleep 0.1; done
done

cookie=$(curl -s -D - -o /dev/null "http://127.0.0.1:$portal_port/" | sed -n 's/^[Ss]et-[Cc]ookie: \(portal_csrf=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "no cookie from the portal" >&2; exit 1; }

# rps runs wrk and prints its requests per second, refusing a run with any error response.
rps() {
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" "$@")
  echo "$out" >&2
  if grep -q 'Non-2xx' <<<"$out"; then echo "error responses: not a valid run" >&2; exit 1; fi
  awk '/^Requests\/sec/ {print $2}' <<<"$out"
}
echo "== top page (bin/portal serve, GET / as a returning visitor)" >&2
top=$(rps -H "Cookie: $cookie" "http://127.0.0.1:$portal_port/")
echo "== hello world" >&2
hello=$(rps "http://127.0.0.1:$hello_port/")
echo "top page: $top req/s; hello world: $hello req/s; ratio $(echo "scale=3; $top / $hello" | bc)"
