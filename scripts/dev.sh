#!/usr/bin/env bash
# Set up everything GRU Studio needs, then launch it or test it.
#
#   scripts/dev.sh app [ARGS...]   set up, then run `gru-studio ARGS` (the window by default)
#   scripts/dev.sh test [ARGS...]  set up, then run ruff and the whole test suite (pytest ARGS)
#   scripts/dev.sh build [ARGS...] set up, then build the installer bundle (packaging/build.py ARGS)
#   scripts/dev.sh setup           set up only
#   scripts/dev.sh check-window    only check the system libraries Qt's window (xcb) needs
#
# Options, before the command (`setup` also takes them after it):
#   --gpu   make .venv's PyTorch the CUDA build (several GB) instead of the CPU build
#   --cpu   make it the CPU build again
#   --yes   install missing system libraries without asking (as CI=true does)
#
# Idempotent: .venv is reused, and pip runs again only when pyproject.toml
# changes or --gpu/--cpu asks for the other PyTorch build. A .venv left
# half-made by an interrupted first run is removed and made again.
# Environment: PYTHON picks the interpreter (python3 by default). For tests of the
# library check: DEV_SH_LDCONFIG and DEV_SH_LDD stand in for ldconfig and ldd,
# DEV_SH_QXCB for the path of Qt's xcb platform plugin.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_VERSION=2.13.0
# PyPI has no "+cpu" releases; PyTorch's CPU index has them. A machine whose pip
# already offers the wheel (a mirror, a folder of wheels) is served from there.
TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu

VENV=.venv
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) BIN=$VENV/Scripts ;;  # Git Bash on Windows
  *) BIN=$VENV/bin ;;
esac
PY=$BIN/python
STAMP=$VENV/.setup-stamp            # sha1 of the pyproject.toml last installed from
UNFINISHED=$VENV/.setup-unfinished  # present from the venv's creation until its first full install

say() { echo "dev.sh: $*" >&2; }

is_ci() { case "${CI:-}" in "" | 0 | false | False | FALSE) return 1 ;; *) return 0 ;; esac; }

# ---------------------------------------------------------------------------
# System libraries (Linux only: Qt's wheels carry all they need on macOS and Windows)
# ---------------------------------------------------------------------------

# What Qt loads offscreen (the tests), then what its xcb plugin adds to open a
# real window. Checked by library file, so a renamed package (Ubuntu 24.04's
# libglib2.0-0t64) still counts as present; named in each system's own terms.
#   library                 Debian/Ubuntu        Fedora               Arch
QT_OFFSCREEN_LIBS="
  libEGL.so.1             libegl1              libglvnd-egl         libglvnd
  libGL.so.1              libgl1               libglvnd-glx         libglvnd
  libfontconfig.so.1      libfontconfig1       fontconfig           fontconfig
  libxkbcommon.so.0       libxkbcommon0        libxkbcommon         libxkbcommon
  libdbus-1.so.3          libdbus-1-3          dbus-libs            dbus
  libglib-2.0.so.0        libglib2.0-0         glib2                glib2"
QT_WINDOW_LIBS="
  libxkbcommon-x11.so.0   libxkbcommon-x11-0   libxkbcommon-x11     libxkbcommon-x11
  libxcb-cursor.so.0      libxcb-cursor0       xcb-util-cursor      xcb-util-cursor
  libxcb-icccm.so.4       libxcb-icccm4        xcb-util-wm          xcb-util-wm
  libxcb-keysyms.so.1     libxcb-keysyms1      xcb-util-keysyms     xcb-util-keysyms
  libxcb-shape.so.0       libxcb-shape0        libxcb               libxcb
  libxcb-randr.so.0       libxcb-randr0        libxcb               libxcb
  libxcb-render-util.so.0 libxcb-render-util0  xcb-util-renderutil  xcb-util-renderutil
  libxcb-image.so.0       libxcb-image0        xcb-util-image       xcb-util-image
  libxcb-xinerama.so.0    libxcb-xinerama0     libxcb               libxcb
  libxcb-xkb.so.1         libxcb-xkb1          libxcb               libxcb"

find_ldconfig() {  # often in /sbin, outside a user's PATH
  local candidate
  for candidate in ${DEV_SH_LDCONFIG:-} "$(command -v ldconfig || true)" /sbin/ldconfig /usr/sbin/ldconfig; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

package_manager() {  # prints apt-get, dnf or pacman, whichever this system has, or nothing
  local manager
  for manager in apt-get dnf pacman; do
    command -v "$manager" >/dev/null && { echo "$manager"; return 0; }
  done
  return 0
}

package_of() {  # $1: a library file, $2: the package manager; prints the package that provides it
  local library deb rpm arch
  while read -r library deb rpm arch; do
    [ "$library" = "$1" ] || continue
    case "$2" in
      apt-get) echo "$deb" ;;
      dnf) echo "$rpm" ;;
      pacman) echo "$arch" ;;
      *) echo "$library" ;;
    esac
    return 0
  done <<<"$QT_OFFSCREEN_LIBS$QT_WINDOW_LIBS"
  echo "$1"  # a library the table does not know: named as itself
}

install_command() {  # $1: the package manager, then the packages; prints the command a person types
  local manager=$1 sudo=""
  shift
  [ "$(id -u)" -eq 0 ] || sudo="sudo "
  case "$manager" in
    apt-get) echo "${sudo}apt-get install $*" ;;
    dnf) echo "${sudo}dnf install $*" ;;
    pacman) echo "${sudo}pacman -S --needed $*" ;;
    *) echo "install the packages that provide $*" ;;
  esac
}

qxcb_plugin() {  # prints the path of the xcb platform plugin of .venv's Qt, if there is one
  if [ -n "${DEV_SH_QXCB:-}" ]; then
    echo "$DEV_SH_QXCB"
    return 0
  fi
  "$PY" -c 'import pathlib, PySide6; print(pathlib.Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so")' \
    2>/dev/null || true
}

# Before the window opens: every library Qt's xcb plugin needs, checked by asking the
# dynamic linker about the plugin itself (ldd) as well as by the table above. Without
# them Qt stops with "xcb-cursor0 ... is needed" whichever library is really missing
# (issue 29: libxcb-cursor0 was installed; icccm4, keysyms1 and xinerama0 were not),
# so the exact install command is said here, and Qt is not started to say otherwise.
window_libraries() {
  [ "$(uname -s)" = Linux ] || return 0
  case "${QT_QPA_PLATFORM:-xcb}" in xcb*) ;; *) return 0 ;; esac  # offscreen, wayland: not xcb's
  local ldconfig known="" plugin ldd missing=() library
  plugin=$(qxcb_plugin)
  ldd=${DEV_SH_LDD:-ldd}
  if [ -n "$plugin" ] && [ -f "$plugin" ] && command -v "$ldd" >/dev/null; then
    # The linker's own answer, through LD_LIBRARY_PATH and the plugin's RPATH, and
    # transitively (libQt6XcbQpa's needs too): lines such as "libxcb-icccm.so.4 => not found".
    while read -r library; do
      case " ${missing[*]:-} " in *" $library "*) ;; *) missing+=("$library") ;; esac
    done < <("$ldd" "$plugin" 2>/dev/null | awk '/=> *not found/ {print $1}')
  else
    # No plugin to ask (PySide6 not installed yet): the table, against the linker's cache.
    if ldconfig=$(find_ldconfig); then
      known=$("$ldconfig" -p 2>/dev/null || true)
    fi
    [ -n "$known" ] || return 0
    while read -r library _; do
      [ -n "$library" ] || continue
      grep -qF "$library (" <<<"$known" || missing+=("$library")
    done <<<"$QT_WINDOW_LIBS"
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local manager packages=() name
  manager=$(package_manager)
  for library in "${missing[@]}"; do
    name=$(package_of "$library" "$manager")
    case " ${packages[*]:-} " in *" $name "*) ;; *) packages+=("$name") ;; esac
  done
  say "the window cannot open: Qt's xcb platform needs system libraries that are missing: ${missing[*]}"
  say "install them with:"
  echo "    $(install_command "$manager" "${packages[@]}")" >&2
  say "then run scripts/dev.sh app again. (Qt itself would only say that xcb-cursor0 is needed, whichever is missing.)"
  return 1
}

system_libraries() {  # $1: the table of libraries this command needs
  [ "$(uname -s)" = Linux ] || return 0
  local ldconfig known
  if ! ldconfig=$(find_ldconfig) || ! known=$("$ldconfig" -p 2>/dev/null); then
    say "system libraries: could not check (no ldconfig); Qt needs those listed in scripts/dev.sh"
    return 0
  fi
  local manager
  manager=$(package_manager)
  local missing=() library name
  while read -r library _; do
    [ -n "$library" ] || continue
    grep -qF "$library (" <<<"$known" && continue
    name=$(package_of "$library" "$manager")
    case " ${missing[*]:-} " in *" $name "*) ;; *) missing+=("$name") ;; esac
  done <<<"$1"
  # A font with Chinese characters, for the window in Chinese: without one Qt
  # draws boxes. Asked of fontconfig where its fc-list is there to answer.
  if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh-cn family 2>/dev/null | head -n 1)" ]; then
    case "$manager" in
      apt-get) missing+=(fonts-wqy-microhei) ;;
      dnf) missing+=(wqy-microhei-fonts) ;;
      pacman) missing+=(wqy-microhei) ;;
      *) missing+=("a font with Chinese characters") ;;
    esac
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$manager" ]; then
    say "system libraries: Qt needs ${missing[*]}; install the packages that provide them"
    return 0
  fi

  local as_root=() install quiet
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  case "$manager" in
    apt-get) install="apt-get install" quiet="-y -qq" ;;
    dnf) install="dnf install" quiet="-y -q" ;;
    pacman) install="pacman -S --needed" quiet="--noconfirm" ;;
  esac
  local shown="${as_root[*]:-} $install ${missing[*]}"  # the command as a person would type it
  shown=${shown# }
  say "system libraries: Qt needs ${missing[*]}"
  # Installing system packages is the user's decision: ask at a terminal, go
  # ahead only for --yes or CI, and otherwise print the command and carry on.
  local go=no answer
  if [ "$ASSUME_YES" = yes ] || is_ci; then
    go=yes
  elif [ -t 0 ]; then
    read -r -p "dev.sh: run '$shown' now? [y/N] " answer || true
    case "$answer" in y | Y | yes | Yes) go=yes ;; esac
  fi
  if [ "$go" = no ] || { [ ${#as_root[@]} -gt 0 ] && ! command -v sudo >/dev/null; }; then
    say "system libraries: not installed; to install them: $shown"
    return 0
  fi
  say "system libraries: installing them ($shown)"
  # A fresh Debian image has no package lists until apt-get update.
  if [ "$manager" = apt-get ]; then
    ${as_root[@]+"${as_root[@]}"} apt-get update -qq || true
  fi
  # shellcheck disable=SC2086  # $install is a command line, split on purpose
  if ! DEBIAN_FRONTEND=noninteractive ${as_root[@]+"${as_root[@]}"} $install $quiet "${missing[@]}" >/dev/null; then
    say "system libraries: '$shown' failed; Qt may not start until they are installed"
  fi
}

# ---------------------------------------------------------------------------
# The virtual environment: PyTorch, then GRU Studio and the rest
# ---------------------------------------------------------------------------

find_python() {
  local candidate
  for candidate in ${PYTHON:-python3 python}; do
    command -v "$candidate" >/dev/null || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  say "GRU Studio needs Python 3.10 or newer; install it, or name one with PYTHON=/path/to/python3.12"
  return 1
}

make_venv() {
  # A .venv that a stopped first run left behind (the marker is still there),
  # whose python no longer runs (the system's Python was upgraded or removed), or
  # that never got pip (no python3-venv) would fail every later run: start over.
  if [ -e "$VENV" ]; then
    if [ -e "$UNFINISHED" ] || ! "$PY" -c '' 2>/dev/null ||
      { [ ! -f "$STAMP" ] && ! "$PY" -m pip --version >/dev/null 2>&1; }; then
      say "Python environment: $VENV is half-made (an earlier set-up stopped part-way); making it again"
      rm -rf "$VENV"
    else
      return 0
    fi
  fi
  local python
  python=$(find_python)
  say "Python environment: creating $VENV with $("$python" -c 'import sys; print("Python", sys.version.split()[0])')"
  mkdir -p "$VENV"
  touch "$UNFINISHED"
  if ! "$python" -m venv "$VENV" || ! "$PY" -m pip --version >/dev/null 2>&1; then
    say "could not create a virtual environment with pip in it (on Debian and Ubuntu: sudo apt-get install python3-venv)"
    exit 1
  fi
}

torch_build() {  # prints gpu (a CUDA build) or cpu; fails when torch does not import
  "$PY" -c 'import torch; print("gpu" if torch.version.cuda else "cpu")' 2>/dev/null
}

torch_to_switch() {  # true when --cpu/--gpu asked for a build other than the one installed
  [ -n "$TORCH_SWITCH" ] && [ "$(torch_build || echo none)" != "$1" ]
}

install_torch() {  # $1: cpu or gpu
  local have
  if have=$(torch_build); then
    # A working torch is kept unless --cpu/--gpu asked for the other build.
    torch_to_switch "$1" || return 0
    say "PyTorch: replacing the $have build with the $1 build"
  fi
  # Also clears a torch that an interrupted install left unimportable.
  "$PY" -m pip uninstall -qq -y torch >/dev/null 2>&1 || true
  if [ "$(uname -s)" = Darwin ]; then
    # PyPI's macOS build is the only one there is: CPU, plus Apple GPUs through MPS.
    say "PyTorch: installing $TORCH_VERSION for macOS from PyPI"
    "$PY" -m pip install -qq "torch==$TORCH_VERSION"
  elif [ "$1" = gpu ]; then
    # PyPI's Linux build of torch is the CUDA one; pip pulls the nvidia-* libraries with it.
    say "PyTorch: installing $TORCH_VERSION, CUDA build, from PyPI (several GB to download; minutes)"
    "$PY" -m pip install -qq "torch==$TORCH_VERSION"
    # Not so where PyPI's build has no CUDA (Windows), or where this machine's pip
    # settings offer a CPU wheel first (a folder of wheels).
    [ "$(torch_build)" = gpu ] ||
      say "PyTorch: pip installed $("$PY" -c 'import torch; print(torch.__version__)'), which has no CUDA; README.md says how to install a CUDA build by hand"
  else
    # Ask for "+cpu" by name: the default index has none, so this can never turn
    # into the multi-GB CUDA build. First from wherever this machine's pip looks
    # (a wheel on disk, a mirror; fails at once elsewhere), then from PyTorch's CPU index.
    say "PyTorch: installing $TORCH_VERSION, CPU build (about 200 MB to download, 900 MB on disk)"
    "$PY" -m pip install -qq "torch==$TORCH_VERSION+cpu" 2>/dev/null ||
      "$PY" -m pip install -qq "torch==$TORCH_VERSION+cpu" --extra-index-url "$TORCH_CPU_INDEX" || {
      say "could not install PyTorch's CPU build from $TORCH_CPU_INDEX: is this computer online?"
      exit 1
    }
  fi
}

pyproject_hash() {  # python's sha1 rather than sha1sum, which macOS lacks (it has shasum)
  "$PY" -c 'import hashlib; print(hashlib.sha1(open("pyproject.toml", "rb").read()).hexdigest())'
}

python_packages() {  # $1: cpu or gpu
  make_venv
  local want
  want=$(pyproject_hash)
  if [ ! -e "$UNFINISHED" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && ! torch_to_switch "$1"; then
    return 0
  fi
  install_torch "$1"
  say "GRU Studio and the rest: installing PySide6-Essentials, pyqtgraph, pytest, ruff, PyInstaller (about 400 MB on disk)"
  # torch>=2.6 in pyproject.toml is already met, so pip keeps the build chosen above.
  "$PY" -m pip install -qq -e ".[test,build]"
  # A run stopped inside pip can leave a package that pip counts as installed
  # but that does not import: check before calling the set-up finished.
  "$PY" -c 'import torch, PySide6.QtWidgets, pyqtgraph, gru_studio' || {
    say "the packages in $VENV do not import; delete $VENV and run this again"
    exit 1
  }
  echo "$want" >"$STAMP"
  rm -f "$UNFINISHED"
  say "ready: $("$PY" -c 'import torch; print("PyTorch", torch.__version__)') in $VENV ($(du -sh "$VENV" 2>/dev/null | cut -f1))"
}

ASSUME_YES=no
TORCH_WANT=cpu
TORCH_SWITCH=""  # set when --cpu/--gpu was given: then the installed build is checked
parse_option() {
  case "$1" in
    --yes | -y) ASSUME_YES=yes ;;
    --gpu) TORCH_WANT=gpu TORCH_SWITCH=yes ;;
    --cpu) TORCH_WANT=cpu TORCH_SWITCH=yes ;;
    *) return 1 ;;
  esac
}
while [ $# -gt 0 ] && parse_option "$1"; do shift; done
command=${1:-app}
shift || true
if [ "$command" = setup ]; then
  for option in "$@"; do
    parse_option "$option" || { echo "usage: scripts/dev.sh setup [--gpu|--cpu] [--yes]" >&2; exit 2; }
  done
  set --
fi
if [ "$TORCH_WANT" = gpu ] && [ "$(uname -s)" = Darwin ]; then
  say "PyTorch: there is no CUDA build for macOS; its one build trains on Apple GPUs (MPS)"
  TORCH_WANT=cpu
fi

setup() {  # $1: the system libraries this command needs
  # Libraries first, so that the one question comes before minutes of downloads.
  system_libraries "$1"
  python_packages "$TORCH_WANT"
}

case "$command" in
  setup)
    setup "$QT_OFFSCREEN_LIBS$QT_WINDOW_LIBS"
    window_libraries || true  # said now, so that the first `app` is not where it comes out
    ;;
  app)
    setup "$QT_OFFSCREEN_LIBS$QT_WINDOW_LIBS"
    # Checked again after the set-up, which may have installed them or been told not to.
    window_libraries || exit 1
    exec "$BIN/gru-studio" "$@"
    ;;
  check-window) window_libraries ;;
  test)
    setup "$QT_OFFSCREEN_LIBS"
    "$BIN/ruff" check .
    QT_QPA_PLATFORM=offscreen exec "$PY" -m pytest "$@"
    ;;
  build) setup "$QT_OFFSCREEN_LIBS"; QT_QPA_PLATFORM=offscreen exec "$PY" packaging/build.py "$@" ;;
  *) echo "usage: scripts/dev.sh [--gpu|--cpu] [--yes] app|test|build|setup|check-window [ARGS...]" >&2; exit 2 ;;
esac
