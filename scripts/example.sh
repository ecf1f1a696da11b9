#!/usr/bin/env bash
# Converts the bundled example videos (examples/) into TFRecords under out/example/ and prints what it wrote.
# Installs what is missing first; safe to run again (it replaces its own previous output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build src/Video2TfRecord.Cli -c Release --nologo >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
"${cli[@]}" convert examples -o out/example --frames 8 --size 112x112 --videos-per-file 2 --labels examples/labels.csv --overwrite --quiet
echo
"${cli[@]}" inspect out/example
