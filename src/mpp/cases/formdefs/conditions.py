"""visible_if / required_if: {"field", "equals"}, {"field", "in"}, {"all": [...]}, {"any": [...]}.

form.js mirrors these rules in the page; the server's answer is the one that counts.
"""

from collections.abc import Callable
from typing import Any


def _same(value: Any, target: Any) -> bool:
    if value == target and type(value) is type(target):
        return True
    if isinstance(value, bool) or isinstance(target, bool) or value is None:
        return False
    if isinstance(value, int | float) and isinstance(target, int | float):
        return bool(value == target)
    return str(value) == str(target)


def _matches(value: Any, targets: list[Any]) -> bool:
    values = value if isinstance(value, list) else [value]  # a multiple choice matches any pick
    return any(_same(v, t) for v in values for t in targets)


def holds(condition: dict[str, Any] | None, value_of: Callable[[str], Any]) -> bool:
    """True when the condition holds; `value_of(key)` gives a field's value (None when hidden)."""
    if not condition:
        return True
    if "all" in condition:
        return all(holds(part, value_of) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, value_of) for part in condition["any"])
    value = value_of(condition["field"])
    if "equals" in condition:
        return _matches(value, [condition["equals"]])
    return _matches(value, list(condition.get("in") or []))
