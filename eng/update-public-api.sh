#!/usr/bin/env bash
# Regenerates src/*/PublicAPI.Unshipped.txt from the current code, so the public API analyzer
# (RS0016/RS0017: a public symbol missing from, or left over in, the PublicAPI files) passes again.
# Run it after adding, changing or removing public API (or after merging a branch that did), then review the
# diff of the PublicAPI.Unshipped.txt files: it is the change to the packages' public surface.
#
#   bash eng/update-public-api.sh                 every project under src/
#   bash eng/update-public-api.sh FedLearn.Core   only the named projects
#
# How: each Unshipped file is emptied (down to '#nullable enable'), then the analyzer's own code fix adds every
# public symbol not in PublicAPI.Shipped.txt ('dotnet format analyzers' with RS0016). Entries already shipped
# stay in PublicAPI.Shipped.txt; a shipped symbol that no longer exists is reported by the build (RS0017) and
# must be marked by hand with a '*REMOVED*' line, on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

projects=()
if [[ $# -gt 0 ]]; then
  for name in "$@"; do projects+=("src/${name}/${name}.csproj"); done
else
  for csproj in src/*/*.csproj; do projects+=("${csproj}"); done
fi

for csproj in "${projects[@]}"; do
  [[ -f ${csproj} ]] || { echo "update-public-api: no project ${csproj}" >&2; exit 1; }
  dir="$(dirname "${csproj}")"
  [[ -f ${dir}/PublicAPI.Shipped.txt ]] || printf '#nullable enable\n' > "${dir}/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "${dir}/PublicAPI.Unshipped.txt"
  echo "update-public-api: ${csproj}"
  dotnet restore "${csproj}" --verbosity quiet
  # The fix is applied to this project only; referenced projects are compiled but not changed.
  dotnet format analyzers "${csproj}" --no-restore --diagnostics RS0016 --severity info --include "${dir}/"
  # Stable order, so a regenerated file differs from the committed one only where the API did.
  { printf '#nullable enable\n'; grep -v '^#nullable enable$' "${dir}/PublicAPI.Unshipped.txt" | grep -v '^$' | LC_ALL=C sort -u; } > "${dir}/PublicAPI.Unshipped.txt.tmp"
  mv "${dir}/PublicAPI.Unshipped.txt.tmp" "${dir}/PublicAPI.Unshipped.txt"
  echo "update-public-api: $(($(wc -l < "${dir}/PublicAPI.Unshipped.txt") - 1)) unshipped entries in ${dir}/PublicAPI.Unshipped.txt"
done
