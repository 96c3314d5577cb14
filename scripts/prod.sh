#!/usr/bin/env bash
# The production profile on loopback (make prod-up / prod-down / prod-smoke):
# gunicorn (3 processes) serving the app and its static files (whitenoise), PostgreSQL, two Celery workers and
# Celery beat on Redis, uploaded files on S3-compatible storage (moto's S3 server stands in for MinIO/Ceph).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=var/prod
mkdir -p "$DIR"
BIN=.venv/bin
PORT=${PROD_PORT:-8100}
S3_PORT=${PROD_S3_PORT:-9100}

[ -f "$DIR/secret" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$DIR/secret"
export DJANGO_SETTINGS_MODULE=sangtao.settings_production
export DJANGO_SECRET_KEY="prod-loopback-$(cat "$DIR/secret")"
export DATABASE_URL=${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sangtao_prod}
export REDIS_URL=redis://127.0.0.1:6379/8 CELERY_BROKER_URL=redis://127.0.0.1:6379/9
export SANGTAO_S3_BUCKET=sangtao-media SANGTAO_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export SANGTAO_S3_ACCESS_KEY=loopback SANGTAO_S3_SECRET_KEY=loopback SANGTAO_S3_REGION=us-east-1
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on loopback only: behind a TLS proxy these stay at their secure defaults.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export PROMETHEUS_MULTIPROC_DIR="$PWD/$DIR/metrics" LOG_FORMAT=json

services() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no || true
  fi
  dbname=${DATABASE_URL##*/}
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $dbname"
}

start() {  # name, command...
  local name=$1; shift
  nohup "$@" > "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
}

wait_http() {
  for _ in $(seq 1 60); do
    "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "Không chờ được $1" >&2; return 1
}

up() {
  down quiet
  services
  rm -rf "$DIR/metrics"; mkdir -p "$DIR/metrics"
  start s3 "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT"
  wait_http "http://127.0.0.1:$S3_PORT/moto-api/"
  "$BIN/python" - <<'PY'
import os, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["SANGTAO_S3_ENDPOINT_URL"], aws_access_key_id="loopback",
                  aws_secret_access_key="loopback", region_name="us-east-1")
if os.environ["SANGTAO_S3_BUCKET"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket=os.environ["SANGTAO_S3_BUCKET"])
PY
  "$BIN/python" manage.py migrate --noinput -v0
  "$BIN/python" manage.py collectstatic --noinput -v0
  "$BIN/python" manage.py load_demo > "$DIR/demo.log" 2>&1
  env -u SECURE_SSL_REDIRECT -u SESSION_COOKIE_SECURE -u CSRF_COOKIE_SECURE "$BIN/python" manage.py check --deploy --fail-level WARNING
  start web "$BIN/gunicorn" sangtao.wsgi:application -w 3 -b "127.0.0.1:$PORT" --access-logfile - --timeout 120
  start worker1 "$BIN/celery" -A sangtao worker -n w1@%h -c 1 --loglevel INFO
  start worker2 "$BIN/celery" -A sangtao worker -n w2@%h -c 1 --loglevel INFO
  start beat "$BIN/celery" -A sangtao beat --loglevel INFO -s "$DIR/celerybeat-schedule"
  wait_http "http://127.0.0.1:$PORT/readyz"
  echo "Sáng tạo (production profile) ở http://127.0.0.1:$PORT — 3 tiến trình gunicorn, 2 Celery worker, beat, S3 ở cổng $S3_PORT"
}

down() {
  for name in web worker1 worker2 beat s3; do
    if [ -f "$DIR/$name.pid" ]; then
      kill "$(cat "$DIR/$name.pid")" 2>/dev/null || true
      rm -f "$DIR/$name.pid"
    fi
  done
  sleep 1
  [ "${1:-}" = quiet ] || echo "Đã dừng."
}

smoke() {
  "$BIN/python" scripts/smoke.py "http://127.0.0.1:$PORT"
}

load() {
  LOAD_BASE="http://127.0.0.1:$PORT" "$BIN/python" scripts/load.py "$@"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  smoke) smoke ;;
  load) shift; load "$@" ;;
  *) echo "scripts/prod.sh up|down|smoke|load"; exit 2 ;;
esac
