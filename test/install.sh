#!/bin/sh
# What the tests need from Debian: the team's retro-browser toolchain (Lynx, w3m, Dillo, NetSurf, the
# HTML 4.01 validator, curl…) and jq, which the README's API example uses. Quiet and idempotent; needs
# root or sudo when something is missing.
set -eu
here=$(dirname "$0")
sh "${WAMI_RETRO_TOOLS:-$here/../../shared/tools/retro}/install.sh"
if ! command -v jq >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "test/install.sh: installing jq" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends jq >/dev/null
fi
