"""Things computed once per loaded Atlas (search indexes): kept beside the Atlas object itself."""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[object, object]] = {}


def per_atlas(atlas, name: str, build: Callable[[object], T]) -> T:
    """build(atlas), once per Atlas (the atlas is kept with the value, so its id cannot be reused)."""
    hit = _CACHE.get((id(atlas), name))
    if hit is None or hit[0] is not atlas:
        hit = _CACHE[(id(atlas), name)] = (atlas, build(atlas))
    return hit[1]
