#!/usr/bin/env bash
# Starts the platform for `make run`: migrations, demo data and schedules, then the simulated upstreams,
# the django-q2 worker and the ASGI web server side by side. Ctrl-C (or any of them exiting) stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
SANDBOX_PORT=${SANDBOX_PORT:-8900}
export SANDBOX_PORT

$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py demo
$PY manage.py sync_schedules

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

$PY manage.py sandbox --port "$SANDBOX_PORT" &
pids+=($!)
$PY manage.py qcluster &
pids+=($!)
.venv/bin/daphne -b 127.0.0.1 -p "$PORT" rfeplatform.asgi:application &
pids+=($!)

echo
echo "rfeplatform is running: http://127.0.0.1:${PORT}/  (admin: /admin/, API docs: /api/v1/docs/)"
echo "Simulated upstreams (sandbox): http://127.0.0.1:${SANDBOX_PORT}/<vendor>/"
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}"
