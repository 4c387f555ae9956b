"""Command palette providers built from a plain list of (name, callback, help) entries."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider


class CommandList(Provider):
    """Subclasses say which commands the logged-in user may see now; search and discovery are shared."""

    def _commands(self) -> list[tuple[str, object, str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
