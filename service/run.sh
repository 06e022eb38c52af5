#!/usr/bin/env bash
# Install what chibo-docs needs on a Debian machine, then run it or its tests.
#
#   bash service/run.sh          install (if needed), start Redis/worker/web, submit the sample
#   bash service/run.sh test     install (if needed), run the whole test suite
#   bash service/run.sh install  install only
#
# Installs: Debian packages (LibreOffice Writer, python3-uno, Liberation fonts, poppler,
# redis-server and postgresql when absent), a venv at .venv with the project, and .sysvenv
# (Debian's python3 with python3-uno) for unoserver. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui python3-uno python3-venv python3-pip fonts-liberation2 poppler-utils
              chromium)  # chromium: the browser tests of the web pages
command -v redis-server >/dev/null 2>&1 || APT_PACKAGES+=(redis-server)
# the tests start a PostgreSQL of their own from Debian's binaries (initdb, postgres)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || APT_PACKAGES+=(postgresql)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
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
  if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo "==> installing the project into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    touch .venv/.installed
  fi
  if ! .sysvenv/bin/python -c "import uno, unoserver" >/dev/null 2>&1; then
    echo "==> creating .sysvenv (Debian python3 + python3-uno) for unoserver"
    rm -rf .sysvenv
    /usr/bin/python3 -m venv --system-site-packages .sysvenv
    .sysvenv/bin/python -m pip install -q "unoserver==3.7"
    .sysvenv/bin/python -c "import uno, unoserver"
  fi
}

check_fonts() {
  if ! fc-match "Times New Roman" | grep -q "Liberation Serif"; then
    echo "error: 'Times New Roman' does not map to Liberation Serif (is fonts-liberation2 installed?)" >&2
    exit 1
  fi
}

install_system
install_python
check_fonts

case "${1:-up}" in
  install) echo "==> installed" ;;
  test) shift; exec .venv/bin/python -m pytest "$@" ;;
  up) shift || true; exec .venv/bin/chibo up "$@" ;;
  *) echo "usage: bash service/run.sh [up|test|install] [args…]" >&2; exit 2 ;;
esac
