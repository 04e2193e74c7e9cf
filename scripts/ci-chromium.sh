#!/usr/bin/env bash
# Install Debian's chromium and chromium-driver if missing: tests/browser shows
# the Anki multiple-choice card in a real headless browser (Selenium, through
# chromium-driver) and drives `srs-crss serve` (Playwright, launching
# /usr/bin/chromium itself: no browser download). Source it:
#   source scripts/ci-chromium.sh   -> exports SRS_CRSS_TEST_BROWSER=1
# (with it set, a missing browser fails those tests instead of skipping them)
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing chromium and chromium-driver from Debian's packages ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
export SRS_CRSS_TEST_BROWSER=1
echo "Chromium for the browser tests: $(command -v chromium), $(command -v chromedriver)"
