#!/usr/bin/env bash
# Install the Debian packages kvkk-tracker needs, but only those that are missing.
# Usage: scripts/ensure-debs.sh run|test
set -euo pipefail

runtime=(ca-certificates python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0
         libharfbuzz-subset0 fonts-dejavu-core)
# chromium + libatomic1: Playwright journeys; postgresql: the second database pass;
# redis-server: rate limits shared between gunicorn workers; poppler-utils: pdftoppm for
# looking at letters.
testing=(chromium libatomic1 postgresql redis-server poppler-utils)

wanted=("${runtime[@]}")
[ "${1:-run}" = test ] && wanted+=("${testing[@]}")
# npm installs axe-core for the accessibility checks; a Node.js from elsewhere will do.
[ "${1:-run}" = test ] && ! command -v npm >/dev/null 2>&1 && wanted+=(nodejs npm)

missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "kvkk-tracker needs these Debian packages. Run as root:" >&2
  echo "  $line" >&2
  exit 1
fi
echo "Installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
