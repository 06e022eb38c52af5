#!/usr/bin/env bash
# The entrypoint of the chibo-docs image: its first argument names the role.
#
#   web      bring the database to the newest migration (chibo db upgrade), then serve the
#            app with gunicorn on WEB_BIND (the image: 0.0.0.0:8000)
#   worker   the Celery worker: WORKER_CONCURRENCY processes, each with its own LibreOffice
#   flower   Celery's monitoring web UI on FLOWER_PORT (5555)
#   beat     the scheduler of periodic tasks (run exactly one per deployment)
#   migrate  only chibo db upgrade, then exit
#   anything else is run as given: `docker run IMAGE chibo render …`, `docker run -it IMAGE bash`
#
# The roles' command lines live in service/roles.py, which `chibo up` and the tests run too.
# Options after the role go to it: `worker --concurrency 4`, `web --bind 0.0.0.0:9000`.
set -euo pipefail
# what any role (or command) writes — the database, the secret key, logs, documents — is the
# service user's only (service/config.py's PRIVATE_UMASK; service/roles.py sets it too)
umask 077
cd "$(dirname "$(readlink -f "$0")")/.."

role="${1:-web}"
case "$role" in
  web|worker|flower|beat)
    shift || true
    # the image's HEALTHCHECK (python -m service.roles health) reads the role here
    echo "$role" > "${CHIBO_ROLE_FILE:-/tmp/chibo-role}" || echo "warning: role not recorded" >&2
    if [ "$role" = web ]; then
      chibo db upgrade
    fi
    exec python -m service.roles "$role" "$@"
    ;;
  migrate)
    exec chibo db upgrade
    ;;
  *)
    exec "$@"
    ;;
esac
