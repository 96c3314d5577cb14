#!/usr/bin/env bash
# Debian packages the app and its tests need.
#   runtime (make run): Pango for WeasyPrint's PDFs, Liberation fonts (Times New Roman metrics with full
#                       Vietnamese) for letters.
#   test (make test):   the runtime ones, plus Chromium for the browser tests, poppler-utils to look at
#                       PDFs, gettext for translations, LibreOffice (Writer, Calc) to read the generated
#                       .docx and .xlsx as a clerk's office suite does.
# Installs what is missing when run as root (or through sudo); otherwise says what to do.
set -euo pipefail
mode=${1:-test}
need=()
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)
[ -d /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Cài gói hệ thống còn thiếu: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Cần quyền root để cài: apt-get install -y ${need[*]}" >&2; exit 1; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
