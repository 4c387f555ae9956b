"""Modules imported on first use, so that starting the counter loads only what its login screen needs
(issue 17: start-up within 1.3x a bare Textual app). ``accounts = lazy_module("pos_tui.services.accounts")``
reads like the import it replaces; the module loads at the first ``accounts.something``."""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule:
    def __init__(self, name: str) -> None:
        self.__dict__["_name"] = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self.__dict__["_name"])

    def __getattr__(self, attr: str):
        return getattr(self._module(), attr)

    def __setattr__(self, attr: str, value) -> None:  # monkeypatching goes to the real module
        setattr(self._module(), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self._module(), attr)


def lazy_module(name: str):
    return _LazyModule(name)


def lazy_function(module: str, name: str):
    """A function of ``module``, imported when first called."""
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call
