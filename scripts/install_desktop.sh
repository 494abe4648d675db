#!/bin/sh
# Linux: install the launcher, the icon and the file types for the current user, so that
# double-clicking a .lgaws, .lgareturn or .lgaprog file opens it in the right window.
#   scripts/install_desktop.sh [EXEC]     (make install-desktop runs it with the checkout's .venv)
# EXEC is the lga-desktop program to run: the .venv's for a checkout, or the bundle's
# dist/lga-desktop/lga-desktop. Nothing outside ~/.local/share is touched.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
EXEC=${1:-lga-desktop}
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$DATA/applications" "$DATA/mime/packages"
sed "s|^Exec=lga-desktop |Exec=\"$EXEC\" |" "$HERE/packaging/linux/lga-desktop.desktop" \
    > "$DATA/applications/lga-desktop.desktop"
cp "$HERE/packaging/linux/lga-desktop-mime.xml" "$DATA/mime/packages/lga-desktop.xml"
for size in 16 32 48 64 128 256; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$HERE/resources/icons/lga-desktop-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/lga-desktop.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$HERE/resources/icons/lga-desktop.svg" "$DATA/icons/hicolor/scalable/apps/lga-desktop.svg"
# the caches: present on desktops, optional on a bare system
command -v update-mime-database >/dev/null && update-mime-database "$DATA/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "Installed lga-desktop's launcher and file types into $DATA (runs $EXEC)."
