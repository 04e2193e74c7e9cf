#!/usr/bin/env bash
# Install Debian's chromium if missing: tests/browser shows the Anki
# multiple-choice card in a real headless browser and drives `srs-crss serve`,
# both through Playwright launching /usr/bin/chromium (no browser download,
# no driver). Source it:
#   source scripts/ci-chromium.sh   -> exports SRS_CRSS_TEST_BROWSER=1
# (with it set, a missing browser fails those tests instead of skipping them)
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium from Debian's packages ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
export SRS_CRSS_TEST_BROWSER=1
echo "Chromium for the browser tests: $(command -v chromium)"
