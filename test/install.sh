#!/bin/sh
# What the tests need from Debian: the team's retro-browser toolchain (Lynx, w3m, Dillo, NetSurf, the
# HTML 4.01 validator, curl…), jq (the README's API example), promtool (package prometheus: it checks
# /metrics), Caddy and systemd-analyze for deploy/, and PostgreSQL's server binaries (tests start their
# own throwaway cluster). Quiet and idempotent; needs root or sudo when something is missing.
set -eu
here=$(dirname "$0")
sh "${WAMI_RETRO_TOOLS:-$here/../../shared/tools/retro}/install.sh"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# command:package pairs
for need in jq:jq promtool:prometheus caddy:caddy systemd-analyze:systemd; do
  command=${need%%:*}
  package=${need#*:}
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "test/install.sh: installing $package (for $command)" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  fi
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "test/install.sh: installing postgresql (its server binaries)" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
