#!/usr/bin/env bash
# Regenerates the C# parser for src/Language/FrontEnd/Grammar/Ode.g4 with the pinned antlr-ng
# (src/Language/package.json) into src/Language/FrontEnd/Grammar/Generated/.
#
#   scripts/generate-parser.sh            write the committed files
#   scripts/generate-parser.sh OUT_DIR    write them somewhere else (used by check-parser.sh)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
language_dir="$repo_root/src/Language"
out_dir="${1:-$language_dir/FrontEnd/Grammar/Generated}"

if [ ! -x "$language_dir/node_modules/.bin/antlr-ng" ]; then
    (cd "$language_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

# Run from the grammar's folder with a relative path, so nothing machine-specific lands in the output.
(cd "$language_dir/FrontEnd/Grammar" && "$language_dir/node_modules/.bin/antlr-ng" \
    -Dlanguage=CSharp -o "$work_dir" -p OdeDsl.Language.Syntax.Generated \
    --generate-listener true --generate-visitor true Ode.g4 >&2)

mkdir -p "$out_dir"
rm -f "$out_dir"/*.cs
for file in "$work_dir"/*.cs; do
    # ANTLR has no option for the access modifier: make the top-level types internal, so that
    # no ANTLR type is part of OdeDsl.Language's public API (nested types follow their parent).
    sed -e 's/^public partial class /internal partial class /' \
        -e 's/^public interface /internal interface /' \
        "$file" > "$out_dir/$(basename "$file")"
done
