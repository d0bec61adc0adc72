#!/bin/sh
# WeasyPrint (PDF exports) needs Pango and fonts from the operating system. Debian/Ubuntu.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if python3 - <<'PY' 2>/dev/null
import ctypes.util, sys
sys.exit(0 if ctypes.util.find_library("pango-1.0") and ctypes.util.find_library("pangoft2-1.0") else 1)
PY
then
  exit 0
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null
