#!/usr/bin/env bash
# Install what chibo-docs needs on a Debian machine, then run it or its tests.
#
#   bash service/run.sh          install (if needed), start Redis/worker/web, submit the sample
#   bash service/run.sh --port 8811   the same (options without a command are options of up)
#   bash service/run.sh test     install (if needed), run the whole test suite
#   bash service/run.sh install  install only
#   bash service/run.sh install-system   only the Debian packages (a layer of the Docker image)
#   bash service/run.sh packages         print the Debian packages it would install, pinned
#
# Installs: Debian packages (LibreOffice Writer, python3-uno, Liberation fonts, poppler,
# redis-server and postgresql when absent), a venv at .venv with the project, .sysvenv (Debian's
# python3 with python3-uno) for unoserver, and, as root, the system user chibo-office that
# LibreOffice runs as (OFFICE_USER). Safe to run again: it skips what is there.
# docker/Dockerfile runs this same script; these variables make the difference:
#   CHIBO_INSTALL=dev     (default) everything, with the test tools: chromium, Calc, redis-server,
#                         the project's [test] extras (and [monitoring]: flower)
#   CHIBO_INSTALL=image   what the running service needs and flower, no test tools (the image)
#   LIBREOFFICE_VERSION, FONTS_LIBERATION2_VERSION   install exactly these Debian versions
#                         (the image pins them; empty: whatever Debian has)
set -euo pipefail
cd "$(dirname "$0")/.."

USAGE="usage: bash service/run.sh [up|test|install|install-system|packages] [options…]"
# options typed without a command are options of `up` (bash service/run.sh --port 8811)
case "${1:-up}" in
  -h|--help) echo "$USAGE"; echo "  up takes the options of .venv/bin/chibo up: [--port PORT] [--sample FILE] [--no-sample]"; exit 0 ;;
  -*) set -- up "$@" ;;
  up|test|install|install-system|packages) ;;
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

install_python() {
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $($python --version)"
    "$python" -m venv .venv
  fi
  # .venv/.installed records the extras it was installed with
  if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ] \
     || [ "$(cat .venv/.installed)" != "$PIP_EXTRAS" ]; then
    echo "==> installing the project into .venv (extras: $PIP_EXTRAS)"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[$PIP_EXTRAS]"
    echo "$PIP_EXTRAS" > .venv/.installed
  fi
  if ! .sysvenv/bin/python -c "import uno, unoserver" >/dev/null 2>&1; then
    echo "==> creating .sysvenv (Debian python3 + python3-uno) for unoserver"
    rm -rf .sysvenv
    /usr/bin/python3 -m venv --system-site-packages .sysvenv
    .sysvenv/bin/python -m pip install -q "unoserver==3.7"
    .sysvenv/bin/python -c "import uno, unoserver"
  fi
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
install_python

case "${1:-up}" in
  install) echo "==> installed" ;;
  test) shift; exec .venv/bin/python -m pytest "$@" ;;
  up) shift || true; exec .venv/bin/chibo up "$@" ;;
esac
