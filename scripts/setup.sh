#!/usr/bin/env bash
# Installs what the project needs and is missing; safe to re-run (each step checks first).
#   scripts/setup.sh          what `scripts/start.sh` needs: Rust toolchain + wasm target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test   plus what the tests need: PostgreSQL, Chromium, Prometheus/Alertmanager, shellcheck, npm deps
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

apt_packages=(binaryen)
if $want_test; then
  apt_packages+=(postgresql chromium chromium-driver fonts-noto-core prometheus prometheus-alertmanager shellcheck)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# rust-toolchain.toml pins the toolchain. rustup >= 1.28 no longer installs it on first use, so install it
# explicitly (a no-op when present); with no argument rustup reads rust-toolchain.toml, components and targets too.
if ! rustup run "$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)" rustc --version >/dev/null 2>&1; then
  say "rustup toolchain install (from rust-toolchain.toml)"
  rustup toolchain install
fi
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

TRUNK_VERSION=0.22.1
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "cargo install trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly, or the generated glue does not fit the module.
wb_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -1)
if [[ -n "$wb_version" ]] && ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "cargo install wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "=$wb_version"
fi

if $want_test; then
  if ! python3 -c "import yaml" 2>/dev/null; then
    say "pip install PyYAML"
    python3 -m pip install --quiet PyYAML
  fi
  if ! command -v zizmor >/dev/null; then
    say "pip install zizmor"
    python3 -m pip install --quiet zizmor
  fi
fi

if $want_test && [[ -f widget/e2e/package-lock.json && ! -d widget/e2e/node_modules ]]; then
  say "npm ci (browser tests)"
  (cd widget/e2e && npm ci --no-audit --no-fund --silent)
fi
say "ready"
