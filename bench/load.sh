#!/usr/bin/env bash
# Load run: gunicorn (2 workers) on PostgreSQL and Redis, driven by wrk on 127.0.0.1.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_bench bash bench/load.sh
#
# The database should hold the generated data (python manage.py generate_load_data). Prints
# requests per second, latency percentiles, errors (must be 0) and the workers' memory before
# and after (growth must stay under 10 %). Needs Debian's wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database holding the generated data}"
DURATION="${DURATION:-60s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-8765}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk"; exit 2; }

export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/13}"
export SECRET_KEY="load-test-only-$(head -c 24 /dev/urandom | base64)"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
export SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

redis-cli -n 13 FLUSHDB >/dev/null 2>&1 || true
consultation=$(.venv/bin/python manage.py shell --no-imports -c \
  "from consultations.models import Consultation as C; print(C.objects.published().order_by('pk').values_list('pk', flat=True).first())")
[ "$consultation" != "None" ] || { echo "no published consultation: run generate_load_data"; exit 2; }

.venv/bin/gunicorn config.wsgi:application --workers 2 --bind "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile /tmp/vigie-load-gunicorn.log &
master=$!
trap 'kill $master 2>/dev/null; wait $master 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

rss() { ps -o rss= --ppid "$master" | awk '{s+=$1} END {print s}'; }
# Warm up both workers and both pages, then take the "before" figure.
for _ in $(seq 20); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/consultations/$consultation/"
done
before=$(rss)

cat > /tmp/vigie-load.lua <<LUA
local paths = {"/", "/consultations/$consultation/"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % 2) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
LUA
echo "== wrk: 2 threads, $CONNECTIONS connections, $DURATION, / and /consultations/$consultation/ =="
output=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s /tmp/vigie-load.lua "http://127.0.0.1:$PORT")
echo "$output"
after=$(rss)

errors=$(echo "$output" | awk '/^errors:/ {print $3+$5+$7+$9+$11}' | tr -d ',')
non2xx=$(echo "$output" | awk '/Non-2xx/ {print $NF}')
growth=$(awk -v b="$before" -v a="$after" 'BEGIN {printf "%.1f", (a-b)*100/b}')
echo
echo "workers' memory: before ${before} KiB, after ${after} KiB, growth ${growth} %"
status=PASS
[ "${errors:-0}" -eq 0 ] && [ -z "$non2xx" ] || status=FAIL
awk -v g="$growth" 'BEGIN {exit !(g < 10)}' || status=FAIL
echo "errors: ${errors:-0}, non-2xx: ${non2xx:-0} -> $status (0 errors and memory growth under 10 %)"
