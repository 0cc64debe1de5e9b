#!/bin/sh
# Debian packages WeasyPrint needs. libharfbuzz-subset0 makes rendering ~40% faster and
# the output byte-reproducible (rendering-facts §2.2); Pango and fontconfig are required.
# Installs what is missing when run as root (or with passwordless sudo); otherwise says
# what to install and goes on, failing only when a required library is missing.
set -u
# poppler-utils (pdftoppm) only renders test pages to PNG for people to look at.
required="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core poppler-utils"
missing=""
for package in $required; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; install Pango, fontconfig and HarfBuzz (with the subset library) yourself:$missing" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else
  echo "system-deps: please install:$missing  (sudo apt-get install$missing)" >&2
  exit 0
fi
echo "system-deps: installing$missing"
$sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null \
  || { echo "system-deps: apt-get install$missing failed" >&2; exit 1; }
