#!/usr/bin/env bash
# Refreshes the vendored SPDX licence data from the npm package spdx-license-list (CC0-1.0).
# Usage: Forge.Core/Licences/Data/update.sh [version]   (needs npm and node; nothing here is hand-typed)
set -euo pipefail
version="${1:-6.12.0}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "spdx-license-list@$version" >/dev/null && tar xzf "spdx-license-list-$version.tgz")
cp "$tmp/package/spdx.json" "$here/spdx.json"
cp "$tmp/package/license" "$here/LICENSE.spdx-license-list"
# Full texts of the licences Forge recognises in LICENSE files (the others are known by id and name only).
node -e '
const full = require(process.argv[1]);
const ids = require("fs").readFileSync(process.argv[2], "utf8").split("\n").map(s => s.trim()).filter(s => s && !s.startsWith("#"));
const out = {};
for (const id of ids) {
  if (!full[id]) { console.error("missing in spdx-license-list: " + id); process.exit(1); }
  out[id] = { name: full[id].name, osiApproved: full[id].osiApproved, licenseText: full[id].licenseText };
}
require("fs").writeFileSync(process.argv[3], JSON.stringify(out, null, 1) + "\n");
' "$tmp/package/spdx-full.json" "$here/texts.txt" "$here/spdx-texts.json"
echo "$version" > "$here/VERSION"
echo "spdx-license-list $version vendored"
