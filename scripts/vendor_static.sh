#!/usr/bin/env bash
# Vendors the front-end libraries the portal uses from their npm packages into
# rfeplatform/static/vendor/, so pages work on machines with no internet (no CDN).
# The output is committed together with this script; re-run it to upgrade a version.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=rfeplatform/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package@version> <file inside package> <destination name>
  local spec=$1 src=$2 out=$3 tarball
  tarball=$(cd "$work" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)
  mkdir -p "$work/${tarball%.tgz}"
  tar -xzf "$work/$tarball" -C "$work/${tarball%.tgz}"
  install -D -m 0644 "$work/${tarball%.tgz}/package/$src" "$dest/$out"
  echo "$spec -> $dest/$out"
}

rm -rf "$dest"
fetch htmx.org@2.0.8 dist/htmx.min.js htmx/htmx.min.js
fetch chart.js@4.6.1 dist/chart.umd.min.js chartjs/chart.umd.min.js
fetch @picocss/pico@2.1.1 css/pico.min.css pico/pico.min.css
fetch htmx.org@2.0.8 LICENSE htmx/LICENSE
fetch chart.js@4.6.1 LICENSE.md chartjs/LICENSE.md
fetch @picocss/pico@2.1.1 LICENSE.md pico/LICENSE.md
