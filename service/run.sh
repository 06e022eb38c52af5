#!/usr/bin/env bash
# Install what chibo-docs needs on a Debian machine, then run it or its tests.
#
#   bash service/run.sh          install (if needed), start Redis/worker/web, submit the sample
#   bash service/run.sh --port 8811   the same (options without a command are options of up)
#   bash service/run.sh test     install (if needed), run the whole test suite
#   bash service/run.sh install  install only
#   bash service/run.sh install-system   only the Debian packages (a layer of the Docker image)
#   bash service/run.sh packages         print the Debian packages it would install, pinned
#   bash service/run.sh lock     refresh the Python locks from pyproject.toml's ranges, install
#                                them and run the whole suite (the way to upgrade dependencies)
#
# Installs: Debian packages (LibreOffice Writer, python3-uno, Liberation fonts, poppler,
# redis-server and postgresql when absent), uv (pinned) in .tools, a venv at .venv with exactly
# uv.lock and the project, .sysvenv (Debian's python3 with python3-uno) with exactly
# service/requirements/sysvenv.txt for unoserver, and, as root, the system user chibo-office that
# LibreOffice runs as (OFFICE_USER). Safe to run again: it skips what is there.
# docker/Dockerfile runs this same script; these variables make the difference:
#   CHIBO_INSTALL=dev     (default) everything, with the test tools: chromium, Calc, redis-server,
#                         the project's [test] extras (and [monitoring]: flower)
#   CHIBO_INSTALL=image   what the running service needs and flower, no test tools (the image)
#   LIBREOFFICE_VERSION, FONTS_LIBERATION2_VERSION   install exactly these Debian versions
#                         (the image pins them; empty: whatever Debian has)
set -euo pipefail
cd "$(dirname "$0")/.."

USAGE="usage: bash service/run.sh [up|test|install|install-system|packages|lock] [options…]"
UV_VERSION=0.13.9  # the uv of service/requirements/uv.txt
export UV_PYTHON_DOWNLOADS=never  # uv uses the machine's python3, never one it downloads
# options typed without a command are options of `up` (bash service/run.sh --port 8811)
case "${1:-up}" in
  -h|--help) echo "$USAGE"; echo "  up takes the options of .venv/bin/chibo up: [--port PORT] [--sample FILE] [--no-sample]"; exit 0 ;;
  -*) set -- up "$@" ;;
  up|test|install|install-system|packages|lock) ;;
  *) echo "$USAGE" >&2; exit 2 ;;  # before installing: a typo costs nothing
esac

INSTALL_KIND="${CHIBO_INSTALL:-dev}"
# the Debian packages the service runs with: the one list, for every machine and the image
APT_PACKAGES=(libreoffice-writer-nogui python3-uno python3-venv python3-pip fonts-liberation2 poppler-utils)
case "$INSTALL_KIND" in
  dev)
    APT_PACKAGES+=(chromium)  # chromium: the browser tests of the web pages
    APT_PACKAGES+=(libreoffice-calc-nogui)  # Calc: tests save workbooks as a secretary's Calc would
    command -v redis-server >/dev/null 2>&1 || APT_PACKAGES+=(redis-server)
    # the tests start a PostgreSQL of their own from Debian's binaries (initdb, postgres)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || APT_PACKAGES+=(postgresql)
    PIP_EXTRAS="test,monitoring" ;;
  image)
    PIP_EXTRAS="monitoring" ;;  # flower; no test tools in the image
  *) echo "CHIBO_INSTALL must be dev or image, not '$INSTALL_KIND'" >&2; exit 2 ;;
esac

# "name=version" when a version is pinned: apt installs exactly that, or fails
pinned() {
  local pkg="$1" version=""
  case "$pkg" in
    libreoffice-writer-nogui|python3-uno) version="${LIBREOFFICE_VERSION:-}" ;;
    fonts-liberation2) version="${FONTS_LIBERATION2_VERSION:-}" ;;
  esac
  if [ -n "$version" ]; then echo "$pkg=$version"; else echo "$pkg"; fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system() {
  local missing=() pkg spec installed
  for pkg in "${APT_PACKAGES[@]}"; do
    spec="$(pinned "$pkg")"
    installed="$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null || true)"
    case "$spec" in  # installed, and at the pinned version when there is one
      *=*) [ "$installed" = "install ok installed ${spec#*=}" ] || missing+=("$spec") ;;
      *) [[ "$installed" == "install ok installed "* ]] || missing+=("$spec") ;;
    esac
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    as_root apt-get update -q
    # policy-rc.d keeps the redis-server package from starting a system-wide daemon;
    # `chibo up` starts its own on loopback when none is listening
    as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
      apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# uv, pinned with hashes (service/requirements/uv.txt), in a venv of its own: .tools
install_uv() {
  local python="${PYTHON:-python3}"
  if [ -x .tools/bin/uv ] && [ "$(.tools/bin/uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    return 0
  fi
  echo "==> installing uv $UV_VERSION into .tools"
  rm -rf .tools
  "$python" -m venv .tools
  .tools/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
    -r service/requirements/uv.txt
}

# .venv: exactly uv.lock (every package, direct and transitive, by version and hash) and the
# project itself, editable; `uv sync --frozen` never re-resolves and removes what the lock lacks
install_python() {
  local python="${PYTHON:-python3}" extras=() extra
  for extra in ${PIP_EXTRAS//,/ }; do extras+=(--extra "$extra"); done
  install_uv
  # a stamp: skip the sync when neither the lock nor the extras changed since the last one
  local stamp
  stamp="$PIP_EXTRAS $(sha256sum uv.lock pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -x .venv/bin/python ] || [ ! -f .venv/.installed ] || [ "$(cat .venv/.installed)" != "$stamp" ]; then
    echo "==> installing the project and uv.lock into .venv (extras: $PIP_EXTRAS)"
    UV_PROJECT_ENVIRONMENT=.venv .tools/bin/uv sync --quiet --frozen --no-dev --python "$python" "${extras[@]}"
    echo "$stamp" > .venv/.installed
  fi
  # .sysvenv: Debian's python3 (it has python3-uno) and exactly service/requirements/sysvenv.txt
  if ! .sysvenv/bin/python -c "import uno, unoserver" >/dev/null 2>&1 \
     || [ ! -f .sysvenv/.installed ] || ! cmp -s .sysvenv/.installed service/requirements/sysvenv.txt; then
    echo "==> creating .sysvenv (Debian python3 + python3-uno) for unoserver"
    rm -rf .sysvenv
    /usr/bin/python3 -m venv --system-site-packages .sysvenv
    .sysvenv/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
      -r service/requirements/sysvenv.txt
    .sysvenv/bin/python -c "import uno, unoserver"
    cp service/requirements/sysvenv.txt .sysvenv/.installed
  fi
}

# refresh the locks (uv.lock from pyproject.toml's ranges, the uv and .sysvenv requirements),
# install them and run the whole suite: the one way to upgrade (README, "Upgrading dependencies")
refresh_locks() {
  install_uv
  echo "==> uv lock --upgrade"
  .tools/bin/uv lock --upgrade --python "${PYTHON:-python3}"
  local name input
  for name in uv sysvenv; do
    case "$name" in uv) input="uv==$UV_VERSION" ;; sysvenv) input="unoserver" ;; esac
    echo "==> service/requirements/$name.txt"
    { echo "# Locked: generated by 'bash service/run.sh lock' (do not edit by hand)"
      echo "$input" | .tools/bin/uv pip compile --quiet --generate-hashes --no-header \
        --python-version 3.11 - | grep -v '^    # via'
    } > "service/requirements/$name.txt.new"
    mv "service/requirements/$name.txt.new" "service/requirements/$name.txt"
  done
}

# LibreOffice runs as this system user when the worker is root (OFFICE_USER, service/conversion/
# sandbox.py): no home, no shell, no groups, so it cannot read the service's DATA_DIR
OFFICE_USER="${OFFICE_USER-chibo-office}"
office_user() {
  if [ "$(id -u)" -ne 0 ] || [ -z "$OFFICE_USER" ] || id -u "$OFFICE_USER" >/dev/null 2>&1; then
    return 0
  fi
  echo "==> creating the system user $OFFICE_USER (LibreOffice runs as it when the worker is root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
          --shell /usr/sbin/nologin "$OFFICE_USER"
}

check_fonts() {
  if ! fc-match "Times New Roman" | grep -q "Liberation Serif"; then
    echo "error: 'Times New Roman' does not map to Liberation Serif (is fonts-liberation2 installed?)" >&2
    exit 1
  fi
}

if [ "${1:-up}" = packages ]; then  # the Debian packages this install would ensure, pinned
  for pkg in "${APT_PACKAGES[@]}"; do pinned "$pkg"; done
  exit 0
fi
install_system
office_user
check_fonts
if [ "${1:-up}" = install-system ]; then
  echo "==> Debian packages installed"
  exit 0
fi
if [ "${1:-up}" = lock ]; then
  refresh_locks
fi
install_python

case "${1:-up}" in
  install) echo "==> installed" ;;
  # two processes (this machine's 2 cores): the tests sharing a stack or LibreOffice stay
  # together (tests/support/scheduling.py); `-n 0` after the command runs them in one
  test|lock) shift; exec .venv/bin/python -m pytest -n 2 --dist loadscope "$@" ;;
  up) shift || true; exec .venv/bin/chibo up "$@" ;;
esac
