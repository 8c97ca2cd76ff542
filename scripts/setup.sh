#!/usr/bin/env bash
# Fresh Debian machine → a release build of facelive at .build/release/facelive.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product facelive
