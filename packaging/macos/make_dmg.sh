#!/usr/bin/env bash
# Wrap the PyInstaller .app in a compressed disk image: bash packaging/macos/make_dmg.sh
# Run after `python packaging/build.py --smoke` on macOS.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python -c "import gru_studio; print(gru_studio.__version__)")
app="dist/GRU Studio.app"
[ -d "$app" ] || { echo "no $app: build it first" >&2; exit 1; }
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"   # drag-to-install
hdiutil create -volname "GRU Studio" -srcfolder "$staging" -ov -format UDZO "dist/GRU-Studio-$version-macos.dmg"
rm -rf "$staging"
