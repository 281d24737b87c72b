"""Parse built HTML and find anything from data that would run in a reader's browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_script = False
        self._script = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and value and value.strip().lower().startswith(("javascript:", "data:text")):
                self.live.append(f"<{tag} {name}={value[:40]}>")
        if tag in ("iframe", "object", "embed"):
            self.live.append(f"<{tag}>")
        if tag == "script":
            self._in_script, self._script = True, ""

    def handle_data(self, data):
        if self._in_script:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script":
            if "alert(" in self._script:
                self.live.append("<script> with alert(")
            self._in_script = False


def live_payloads(html: str) -> list[str]:
    finder = _Finder()
    finder.feed(html)
    return finder.live


def site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
