#!/usr/bin/env bash
# Install Debian's faketime if missing: the Anki import test runs Anki's own
# scheduler over several days under it. Source it:
#   source scripts/ci-faketime.sh   -> exports SRS_CRSS_TEST_FAKETIME=1
# (with it set, a missing faketime fails the test instead of skipping it)
set -euo pipefail

if ! command -v faketime >/dev/null 2>&1; then
  echo "Installing faketime from Debian's packages ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq faketime >/dev/null
fi
export SRS_CRSS_TEST_FAKETIME=1
echo "faketime for the Anki tests: $(command -v faketime)"
