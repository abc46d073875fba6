#!/usr/bin/env bash
# Fill Solara's CDN proxy cache from the npm registry, so the app renders with no internet.
#
# Solara serves its front-end assets under /_solara/cdn/NAME@VERSION/..., normally fetching
# them from a CDN at run time. With SOLARA_ASSETS_PROXY_CACHE_DIR pointing at the directory
# this script fills, every request is answered from disk. The list below is what the app's
# page asks for (found by running it with the CDN blocked and watching failed requests; see
# docs/app.md). Idempotent: a package already unpacked is skipped.
#
# Usage: scripts/fetch_solara_assets.sh [CACHE_DIR]   (default: .cache/solara-assets)
set -euo pipefail

CACHE_DIR="${1:-${SOLARA_ASSETS_PROXY_CACHE_DIR:-.cache/solara-assets}}"
# NAME@VERSION as the page's URLs spell it (a range such as vega@5 stays a range: the
# directory name must match the URL).
PACKAGES=(
  "@widgetti/solara-vuetify-app@10.1.1"
  "requirejs@2.3.6"
  "font-awesome@4.5.0"
  "echarts@5.4.0"
)

command -v npm >/dev/null || { echo "npm is needed to fetch the app's assets (apt-get install -y npm)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
for spec in "${PACKAGES[@]}"; do
  dest="$CACHE_DIR/$spec"
  if [ -f "$dest/package.json" ]; then
    continue
  fi
  echo "fetching $spec"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest.partial"
  tar -xzf "$tmp"/*.tgz -C "$dest.partial" --strip-components=1
  rm -rf "$tmp" "$dest"
  mv "$dest.partial" "$dest"
done
echo "solara assets ready in $CACHE_DIR"
