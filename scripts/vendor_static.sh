#!/usr/bin/env bash
# Vendor the portal's front-end assets from the npm registry into static/vendor/.
#
# No CDN is used anywhere: every file is taken from the package tarball that
# `npm pack` fetches, checked against the pinned sha512 integrity, and only the
# distribution files the templates need (plus each package's license texts) are
# copied. Re-running the script gives byte-identical output.
#
# To upgrade a package: change its version below, run the script once with
# VENDOR_PRINT_INTEGRITY=1 to see the new tarball's integrity, put that in the
# table, run the script again and review `git diff static/vendor`.
#
# Usage: bash scripts/vendor_static.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"

# name | npm package@exact version | sha512 integrity of the tarball (as npm reports it)
PACKAGES=(
  "bootstrap|bootstrap@5.3.9|sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
  "bootstrap-icons|bootstrap-icons@1.13.2|sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
  "htmx|htmx.org@2.0.11|sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  "echarts|echarts@6.1.0|sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
  "leaflet|leaflet@1.9.4|sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  "noto-sans-sc|@fontsource/noto-sans-sc@5.3.0|sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MFvOR5AT0fQo2rUkye0Q=="
  "tom-select|tom-select@2.6.2|sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ=="
)

# Files to copy, per name: "source path in the tarball:destination path under static/vendor/<name>/".
files_for() {
  case "$1" in
    bootstrap)
      echo "dist/css/bootstrap.min.css:bootstrap.min.css"
      echo "dist/css/bootstrap.min.css.map:bootstrap.min.css.map"
      echo "dist/js/bootstrap.bundle.min.js:bootstrap.bundle.min.js"
      echo "dist/js/bootstrap.bundle.min.js.map:bootstrap.bundle.min.js.map"
      ;;
    bootstrap-icons)
      # The css loads url("fonts/bootstrap-icons.woff2?…"), so fonts/ stays beside it.
      echo "font/bootstrap-icons.min.css:bootstrap-icons.min.css"
      echo "font/fonts/bootstrap-icons.woff2:fonts/bootstrap-icons.woff2"
      echo "font/fonts/bootstrap-icons.woff:fonts/bootstrap-icons.woff"
      ;;
    htmx)
      echo "dist/htmx.min.js:htmx.min.js"
      ;;
    echarts)
      echo "dist/echarts.min.js:echarts.min.js"
      ;;
    leaflet)
      # The map page hands the marker image URLs to L.icon itself (hashed names under the
      # manifest storage defeat Leaflet's own path guess); layers*.png serve the layer control.
      echo "dist/leaflet.js:leaflet.js"
      echo "dist/leaflet.js.map:leaflet.js.map"
      echo "dist/leaflet.css:leaflet.css"
      echo "dist/images/marker-icon.png:images/marker-icon.png"
      echo "dist/images/marker-icon-2x.png:images/marker-icon-2x.png"
      echo "dist/images/marker-shadow.png:images/marker-shadow.png"
      echo "dist/images/layers.png:images/layers.png"
      echo "dist/images/layers-2x.png:images/layers-2x.png"
      ;;
    noto-sans-sc)
      # The PDF reports' Chinese font: the simplified-Chinese subset (7,300 hanzi, ASCII and CJK
      # punctuation) in two weights. WOFF, not WOFF2: WeasyPrint unpacks WOFF2 glyph by glyph in
      # Python (about 10 s per weight), WOFF in a fraction of a second.
      echo "files/noto-sans-sc-chinese-simplified-400-normal.woff:noto-sans-sc-chinese-simplified-400-normal.woff"
      echo "files/noto-sans-sc-chinese-simplified-700-normal.woff:noto-sans-sc-chinese-simplified-700-normal.woff"
      ;;
    tom-select)
      # The list pages' searchable pickers (units, regions, many-choice filters); the complete
      # build carries the plugins (remove_button, clear_button) the pickers use.
      echo "dist/js/tom-select.complete.min.js:tom-select.complete.min.js"
      echo "dist/js/tom-select.complete.min.js.map:tom-select.complete.min.js.map"
      echo "dist/css/tom-select.bootstrap5.min.css:tom-select.bootstrap5.min.css"
      echo "dist/css/tom-select.bootstrap5.min.css.map:tom-select.bootstrap5.min.css.map"
      ;;
    *)
      echo "vendor_static.sh: no file list for '$1'" >&2
      return 1
      ;;
  esac
}

# License texts, per name (same "source:destination" form). ECharts is Apache-2.0:
# its NOTICE must travel with it, and its bundle embeds d3 code under BSD-3-Clause.
licenses_for() {
  case "$1" in
    echarts)
      echo "LICENSE:LICENSE"
      echo "NOTICE:NOTICE"
      echo "licenses/LICENSE-d3:licenses/LICENSE-d3"
      ;;
    *)
      echo "LICENSE:LICENSE"
      ;;
  esac
}

command -v npm >/dev/null || { echo "vendor_static.sh: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "vendor_static.sh: node is required" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

sha512_integrity() {
  node -e 'const c=require("crypto"),fs=require("fs");
process.stdout.write("sha512-"+c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

copy_pair() {  # copy_pair <extracted package dir> <dest dir> <src:dst>
  local pkgdir="$1" dest="$2" pair="$3"
  local src="${pair%%:*}" dst="${pair#*:}"
  if [[ ! -s "$pkgdir/$src" ]]; then
    echo "vendor_static.sh: $src missing or empty in the tarball" >&2
    return 1
  fi
  mkdir -p "$(dirname "$dest/$dst")"
  cp "$pkgdir/$src" "$dest/$dst"
}

mkdir -p "$VENDOR"
versions_lines=()

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name spec integrity <<<"$entry"
  echo "==> $spec -> static/vendor/$name/"

  pack_dir="$WORK/$name"
  mkdir -p "$pack_dir"
  # Run inside the temp dir so no project package.json or .npmrc can interfere.
  tarball="$(cd "$pack_dir" && npm pack "$spec" --silent --loglevel=error | tail -n 1)"
  tarball="$pack_dir/$tarball"
  [[ -s "$tarball" ]] || { echo "vendor_static.sh: npm pack $spec produced no tarball" >&2; exit 1; }

  actual="$(sha512_integrity "$tarball")"
  if [[ -n "${VENDOR_PRINT_INTEGRITY:-}" ]]; then
    echo "    integrity: $actual"
  fi
  if [[ "$actual" != "$integrity" ]]; then
    echo "vendor_static.sh: integrity mismatch for $spec" >&2
    echo "  expected $integrity" >&2
    echo "  got      $actual" >&2
    exit 1
  fi

  tar -xzf "$tarball" -C "$pack_dir"
  pkgdir="$pack_dir/package"

  # Guard against the registry handing back a different version than pinned.
  got_version="$(node -p 'require(process.argv[1]).version' "$pkgdir/package.json")"
  [[ "$got_version" == "${spec##*@}" ]] || {
    echo "vendor_static.sh: $spec unpacked as version $got_version" >&2; exit 1; }

  dest="$VENDOR/$name"
  rm -rf "$dest"
  mkdir -p "$dest"

  while IFS= read -r pair; do copy_pair "$pkgdir" "$dest" "$pair"; done < <(files_for "$name")

  license_list=()
  while IFS= read -r pair; do
    copy_pair "$pkgdir" "$dest" "$pair"
    license_list+=("$name/${pair#*:}")
  done < <(licenses_for "$name")

  license_spdx="$(node -p 'require(process.argv[1]).license' "$pkgdir/package.json")"
  versions_lines+=("$spec  license=$license_spdx  files=$(IFS=,; echo "${license_list[*]}")  integrity=$integrity")
done

{
  echo "# Front-end assets vendored from the npm registry by scripts/vendor_static.sh."
  echo "# Do not edit by hand: change the pins in the script and re-run it."
  echo "# <package>@<version>  license=<SPDX>  files=<license files under static/vendor/>  integrity=<npm tarball sha512>"
  printf '%s\n' "${versions_lines[@]}"
} >"$VENDOR/VERSIONS.txt"

echo "==> wrote static/vendor/VERSIONS.txt"
du -sh "$VENDOR"
