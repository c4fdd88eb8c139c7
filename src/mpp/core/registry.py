"""Typed plugin registries: plugins register under a name and say whether they are configured."""

import re
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class PluginConfigError(Exception):
    """A plugin is enabled but its settings, reachability or credentials are wrong."""


class Plugin:
    name: str = ""

    def check_config(self) -> None:
        """Raise PluginConfigError when the plugin cannot work as configured."""


P = TypeVar("P", bound=Plugin)


class Registry(Generic[P]):
    def __init__(self) -> None:
        self._plugins: dict[str, P] = {}

    def register(self, name: str) -> Callable[[type[P]], type[P]]:
        if not _NAME.match(name):
            raise ValueError(f"plugin name {name!r} must be lower-case letters, digits, _")

        def decorator(cls: type[P]) -> type[P]:
            if name in self._plugins:
                raise ValueError(f"plugin {name!r} is registered twice")
            plugin = cls()
            plugin.name = name
            self._plugins[name] = plugin
            return cls

        return decorator

    def __getitem__(self, name: str) -> P:
        return self._plugins[name]

    def __contains__(self, name: str) -> bool:
        return name in self._plugins

    def __iter__(self) -> Iterator[P]:
        return iter(self._plugins.values())
