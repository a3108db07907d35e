#!/usr/bin/env bash
# Build shinsa and start it. Until the web server exists this assesses the
# bundled example: an ISMAP-listed SaaS for a citizens' booking system, against
# Anjo city's standard, and shows every standard's verdict for it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
. scripts/lib.sh
build_dir build
profile=examples/profiles/ismap-saas.yaml
app=examples/applications/citizen-booking.yaml
echo "== shinsa evaluate $profile --app $app --policy anjo" >&2
build/shinsa evaluate "$profile" --app "$app" --policy anjo
echo "== shinsa matrix --dir examples/profiles" >&2
exec build/shinsa matrix --dir examples/profiles
