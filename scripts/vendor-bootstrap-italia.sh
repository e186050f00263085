#!/usr/bin/env bash
# Refreshes the vendored Bootstrap Italia (the Designers Italia UI kit) from the npm registry.
# Run by a maintainer when upgrading; the result is committed, so builds never download it.
set -euo pipefail
version="${1:-2.18.3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/crates/server/static/vendor/bootstrap-italia"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap-italia@$version" >/dev/null 2>&1 && tar xzf bootstrap-italia-*.tgz)
rm -rf "$dest" && mkdir -p "$dest/css" "$dest/svg" "$dest/fonts"
cp "$work/package/LICENSE" "$dest/LICENSE"
cp "$work/package/dist/css/bootstrap-italia.min.css" "$dest/css/"
cp "$work/package/dist/svg/sprites.svg" "$dest/svg/"
cp "$work/package/dist/fonts/Titillium_Web/OFL.txt" "$dest/fonts/"
for w in 300 regular 600 700; do
  cp "$work/package/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-$w.woff2" "$dest/fonts/"
done
echo "$version" > "$dest/VERSION"
