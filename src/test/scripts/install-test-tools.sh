#!/usr/bin/env bash
# Makes sure the tests have Debian's Chromium and chromedriver (browser tests) and redis-server (the
# Redis engine's tests start their own). Run by 'mvn verify' before the tests; installs the packages
# with apt-get when missing and running as root.
set -euo pipefail
chromium=${1:-/usr/bin/chromium}
chromedriver=${2:-/usr/bin/chromedriver}
redis=${3:-/usr/bin/redis-server}

missing=()
[[ -x "$chromium" ]] || missing+=(chromium)
[[ -x "$chromedriver" ]] || missing+=(chromium-driver)
[[ -x "$redis" ]] || missing+=(redis-server)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "The tests need $chromium, $chromedriver and $redis." >&2
  echo "Install Debian's packages first: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} for the tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# The package starts a system Redis on port 6379 where systemd runs; the tests start their own on
# free ports and need none.
