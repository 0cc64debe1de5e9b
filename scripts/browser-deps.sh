#!/bin/sh
# What the axe-core check of the HTML (tests/test_axe.py) needs: Debian's `chromium` and,
# in .venv, the PyPI packages `playwright` (driver) and `axe-playwright-python` (ships
# axe.min.js). Never runs `playwright install`: that downloads a browser build of its own,
# which is not allowed here and fails offline; the tests launch /usr/bin/chromium instead.
# Installs Chromium when run as root (or with passwordless sudo), otherwise says what to
# install and goes on; the axe test skips with a clear reason when Chromium is missing.
set -u
VENV="${VENV:-.venv}"
status=0

if [ -x /usr/bin/chromium ]; then
  :
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "browser-deps: not a Debian system; install Chromium at /usr/bin/chromium yourself" >&2
else
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else
    sudo="none"
    echo "browser-deps: please install Chromium (sudo apt-get install chromium)" >&2
  fi
  if [ "$sudo" != none ]; then
    echo "browser-deps: installing chromium"
    $sudo apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        chromium >/dev/null \
      || { echo "browser-deps: apt-get install chromium failed" >&2; status=1; }
  fi
fi

if [ -x "$VENV/bin/python" ]; then
  # Plain pip installs: playwright's wheel carries its Node driver, no browser.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "playwright>=1.45" "axe-playwright-python>=0.1.4" \
    || { echo "browser-deps: pip install playwright axe-playwright-python failed" >&2; status=1; }
else
  echo "browser-deps: no $VENV/bin/python; run 'make test' or 'make build' first" >&2
  status=1
fi
exit $status
