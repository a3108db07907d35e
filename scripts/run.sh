#!/usr/bin/env bash
# Build shinsa and start it. Until the web server exists this evaluates the
# bundled example: a policy-shaped JsonLogic rule against a service profile.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
. scripts/lib.sh
build_dir build
echo "shinsa logic eval --missing @examples/logic/data-in-japan.json @examples/logic/profile.json" >&2
exec build/shinsa logic eval --missing @examples/logic/data-in-japan.json @examples/logic/profile.json
