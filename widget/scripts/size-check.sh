#!/usr/bin/env bash
# Prints gzip -9 sizes of the built widget and fails when over budget:
# loader.js <= 5 KB, widget wasm + JS glue <= 150 KB (both gzipped). Run after `trunk build --release --offline`.
set -euo pipefail

dist="${1:-$(dirname "$0")/../dist}"
loader_budget=$((5 * 1024))
app_budget=$((150 * 1024))

gz() { gzip -9 -c "$1" | wc -c; }

for f in "$dist/loader.js" "$dist/widget.js" "$dist/widget_bg.wasm"; do
  if [[ ! -f "$f" ]]; then
    echo "missing $f (build first: trunk build --release --offline)" >&2
    exit 2
  fi
done

loader=$(gz "$dist/loader.js")
js=$(gz "$dist/widget.js")
wasm=$(gz "$dist/widget_bg.wasm")
app=$((js + wasm))

printf 'loader.js        %7d B gz (budget %d)\n' "$loader" "$loader_budget"
printf 'widget.js        %7d B gz\n' "$js"
printf 'widget_bg.wasm   %7d B gz\n' "$wasm"
printf 'wasm + js glue   %7d B gz (budget %d)\n' "$app" "$app_budget"

status=0
if ((loader > loader_budget)); then
  echo "loader.js over budget" >&2
  status=1
fi
if ((app > app_budget)); then
  echo "wasm + js over budget" >&2
  status=1
fi
exit "$status"
