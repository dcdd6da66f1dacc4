#!/usr/bin/env bash
# Installs the Debian packages heartbeatd needs to build, run and test.
# Safe to run repeatedly: it only calls apt when something is missing.
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ccache pkg-config
  libcaf-dev librestinio-dev libasio-dev libfmt-dev libhttp-parser-dev
  libsoci-dev libpq-dev libsqlite3-dev libpcre2-dev
  nlohmann-json3-dev libkainjow-mustache-dev libcurl4-openssl-dev libsodium-dev
  libboost-test-dev
)
# chromium: the browser of the web UI tests (tests/e2e/web), driven by playwright-core from npm.
TEST_PACKAGES=(postgresql curl python3 python3-yaml python3-aiosmtpd chromium)

want=("${BUILD_PACKAGES[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${TEST_PACKAGES[@]}")
  # Node.js and npm run the browser tests. Only when npm is missing: a NodeSource nodejs bundles
  # its own npm, and Debian's npm package would conflict with it.
  if ! command -v npm >/dev/null; then want+=(nodejs npm); fi
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "heartbeatd: installing missing packages: ${missing[*]}"
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
