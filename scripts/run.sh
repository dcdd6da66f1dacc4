#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds (Release, build/) and starts heartbeatd on
# 127.0.0.1:8080 with the embedded SQLite database under ./data/. Settings come from the
# environment (see README or `build/heartbeatd --help`); arguments are passed to heartbeatd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/heartbeatd "$@"
