#!/bin/sh
# Migrates once PostgreSQL answers (it may start after this pod), then serves on :8000.
set -e
cd /app
tries=0
until python3 manage.py migrate --noinput; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "PostgreSQL at $POSTGRES_HOST did not answer" >&2; exit 1; }
  sleep 2
done
exec python3 manage.py runserver 0.0.0.0:8000 --noreload
