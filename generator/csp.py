"""Content-Security-Policy for the built site (static hosting: a <meta> tag in every page).

Scripts run only from the site itself, plus the theme's own inline scripts,
allowed one by one by their SHA-256 hash computed from the built page. Anything
injected through data would need a hash we never computed, so it cannot run
even if escaping ever failed. Works the same for MkDocs and Zensical output
because it post-processes the built HTML.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
_HEAD = re.compile(r"<head[^>]*>", re.I)

BASE_POLICY = [
    "default-src 'self'",
    "img-src 'self' data:",
    # Material sets inline style attributes and the penalty bars use a width style.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "worker-src 'self'",
]


def policy_for(html: str) -> str:
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    })
    return "; ".join(BASE_POLICY + ["script-src 'self' " + " ".join(hashes)]).strip()


def add_csp(html: str) -> str:
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return _HEAD.sub(lambda m: m.group(0) + meta, html, count=1)


def apply_csp(site: Path) -> int:
    count = 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        new = add_csp(html)
        if new != html:
            page.write_text(new, encoding="utf-8")
            count += 1
    return count
