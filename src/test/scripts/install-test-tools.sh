#!/usr/bin/env bash
# Makes sure the browser tests have Debian's Chromium and chromedriver. Run by 'mvn verify' before
# the in-container tests; installs the packages with apt-get when missing and running as root.
set -euo pipefail
chromium=${1:-/usr/bin/chromium}
chromedriver=${2:-/usr/bin/chromedriver}

if [[ -x "$chromium" && -x "$chromedriver" ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "Browser tests need $chromium and $chromedriver." >&2
  echo "Install Debian's packages first: sudo apt-get install chromium chromium-driver" >&2
  exit 1
fi
echo "Installing Debian's chromium and chromium-driver for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium chromium-driver
