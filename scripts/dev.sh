#!/usr/bin/env bash
# Set up everything GRU Studio needs, then launch it or test it.
#
#   scripts/dev.sh app [ARGS...]   set up, then run `gru-studio ARGS` (the window by default)
#   scripts/dev.sh test [ARGS...]  set up, then run ruff and the whole test suite (pytest ARGS)
#   scripts/dev.sh build [ARGS...] set up, then build the installer bundle (packaging/build.py ARGS)
#   scripts/dev.sh setup           set up only
#
# Idempotent: the virtual environment in .venv is reused, and pip runs again
# only when pyproject.toml changes. Torch is the CPU build (a CUDA build is
# several GB); install a CUDA torch into .venv yourself to train on a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
PY=$VENV/bin/python
STAMP=$VENV/.setup-stamp

# What Qt loads offscreen (the tests), and what its xcb plugin adds to open a real window.
QT_OFFSCREEN_APT=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0)
QT_WINDOW_APT=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1)

apt_packages() {
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Note: for the window you may need: sudo apt-get install ${missing[*]}" >&2
  fi
}

python_packages() {
  [ -x "$PY" ] || python3 -m venv "$VENV"
  local want
  want=$(sha1sum pyproject.toml | cut -d' ' -f1)
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && return 0
  "$PY" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  if ! "$PY" -c "import torch" 2>/dev/null; then
    # 2.13.0 CPU is on this kind of machine's disk; elsewhere take PyTorch's CPU index.
    "$PY" -m pip install -q "torch==2.13.0" 2>/dev/null ||
      "$PY" -m pip install -q "torch>=2.6" --index-url https://download.pytorch.org/whl/cpu
  fi
  "$PY" -m pip install -q -e ".[test,build]"
  echo "$want" > "$STAMP"
}

setup() {
  apt_packages "${QT_OFFSCREEN_APT[@]}" "$@"
  python_packages
  # The d2l corpus sits beside this checkout on the team's machines; use it offline.
  if [ -z "${GRU_STUDIO_DATA_DIR:-}" ] && [ -f ../shared/data/timemachine.txt ]; then
    export GRU_STUDIO_DATA_DIR
    GRU_STUDIO_DATA_DIR=$(cd ../shared/data && pwd)
  fi
}

command=${1:-app}
shift || true
case "$command" in
  setup) setup ;;
  app) setup "${QT_WINDOW_APT[@]}"; exec "$VENV/bin/gru-studio" "$@" ;;
  test)
    setup
    "$VENV/bin/ruff" check .
    QT_QPA_PLATFORM=offscreen exec "$PY" -m pytest "$@"
    ;;
  build) setup; QT_QPA_PLATFORM=offscreen exec "$PY" packaging/build.py "$@" ;;
  *) echo "usage: scripts/dev.sh app|test|build|setup [ARGS...]" >&2; exit 2 ;;
esac
