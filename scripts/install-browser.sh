#!/usr/bin/env bash
# Installs headless Chromium (Debian's package) for the control panel's real-browser test
# (scripts/browser_test.py, run by Tests/LiveCLITests/BrowserPanelTests.swift). Skips it when already there.
set -euo pipefail
command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: chromium-headless-shell"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium-headless-shell python3 >/dev/null
