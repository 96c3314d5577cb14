#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser tests, Liberation fonts (Times New
# Roman metrics with full Vietnamese) for documents, poppler-utils to look at PDFs, gettext for
# translations. Installs what is missing when run as root (or through sudo); otherwise says what to do.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Cài gói hệ thống còn thiếu: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Cần quyền root để cài: apt-get install -y ${need[*]}" >&2; exit 1; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
