#!/usr/bin/env bash
# Fails (exit 1) when the committed parser under src/Language/FrontEnd/Grammar/Generated/ is not what
# scripts/generate-parser.sh makes from src/Language/FrontEnd/Grammar/Ode.g4. Run by CI.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
committed="$repo_root/src/Language/FrontEnd/Grammar/Generated"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

bash "$repo_root/scripts/generate-parser.sh" "$fresh"

if ! diff -ru "$committed" "$fresh"; then
    echo "error: src/Language/FrontEnd/Grammar/Generated is out of date; run scripts/generate-parser.sh and commit the result." >&2
    exit 1
fi
echo "Parser is up to date with Ode.g4."
