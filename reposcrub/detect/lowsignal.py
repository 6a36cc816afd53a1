"""Content where generic credential guesses are noise: binary data and
generated files (lock files, vendored and minified code).

Such history blobs are still matched in full by the engine (a native scan
costs next to nothing) and keep every specific finding: provider tokens with
their own prefix or checksum, private keys, internal hosts, company names (a
private registry in a lock file is a real leak).  Only the generic rules' —
a credential-named key with a random-looking value — are dropped: integrity
hashes, compressed bytes and minified identifiers feed them endlessly, and in
history that noise would bury the findings that matter.  HEAD, the working
tree and snapshots are scanned without this filter: what goes into a
snapshot must be clean of everything.
"""
from __future__ import annotations

import re
from typing import Optional

BINARY_SNIFF = 8000          # as git: a NUL in the first 8000 bytes means binary

_GENERATED = re.compile(
    r"(?:^|/)(?:"
    r"package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb|"
    r"Gemfile\.lock|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|go\.sum|"
    r"packages\.lock\.json|mix\.lock|pubspec\.lock|Podfile\.lock|flake\.lock|uv\.lock|"
    r"[^/]+\.min\.(?:js|css|mjs)|[^/]+\.(?:js|css)\.map|"
    r"(?:vendor|node_modules|third_party|bower_components)/.+"
    r")$")


def low_signal(path: str, data: bytes) -> Optional[str]:
    """Why generic findings do not count in this blob ("binary", "generated"), or None."""
    if b"\0" in data[:BINARY_SNIFF]:
        return "binary"
    if _GENERATED.search(path):
        return "generated"
    return None
