#!/usr/bin/env bash
# Installs what `rtsp` needs to build and test on Debian 12: Bun, the npm dependencies and the real peers the tests
# drive (ffmpeg, GStreamer, tmux, Chromium). Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

BUN_VERSION=1.4.5
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v bun >/dev/null 2>&1 || [ "$(bun --version)" != "$BUN_VERSION" ]; then
  $sudo npm install -g "bun@$BUN_VERSION"
fi

packages=(ffmpeg tmux chromium
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-rtsp
  gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

bun install --frozen-lockfile
echo "ready: bun $(bun --version)"
