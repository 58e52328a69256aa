#!/usr/bin/env bash
# Serve the portal with its Celery worker and beat scheduler; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
BIN=.venv/bin
mkdir -p var

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping web server, worker and scheduler…"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A portal worker --loglevel=INFO --concurrency=2 --hostname="worker@%h" &
pids+=($!)
$BIN/celery -A portal beat --loglevel=INFO &
pids+=($!)
$BIN/python manage.py runserver "$HOST:$PORT" &
pids+=($!)

echo "Alliance Portal: http://$HOST:$PORT/  (API docs: http://$HOST:$PORT/api/docs/) — Ctrl-C stops everything."
# Whichever of the three ends first ends the others too.
wait -n
