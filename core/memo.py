"""Memos on the design's records, for checks that depend on nothing but the record.

A `Design` and its `Layer`s are frozen dataclasses: an edit makes a new record (`replace`) and
keeps every record it did not touch. So a check of one layer (validation, design rules) holds as
long as the layer object and the design's own materials do, and a check of a whole design as
long as the design object does. `memo` keeps such an answer in the record itself (outside its
fields: equality, `repr` and the file writer see only the fields), so `evaluate` of a design it
has seen, or of one edit away from it, repeats only the checks of what changed.

Answers that depend on the design's materials (the material library) are keyed by that mapping
object and hold it, so a design with other materials never reads another design's answer.
Records are never mutated in place anywhere in this app; code that did so would have to call
`forget(record)`.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable, Mapping

_ATTR = "_ssb_memo"
_NO_MATERIALS = object()   # every design without its own materials shares one library


def memo(record: Any, key: Hashable, compute: Callable[[], Any],
         materials: Mapping | None = None, args: tuple = ()) -> Any:
    """compute() once per (record, key, materials mapping, args); later calls return that
    answer. One answer is kept per key: other `args` (e.g. a new electrode width) replace it,
    so a record never holds more than one answer per kind. Keep answers immutable (tuples),
    since every caller shares them."""
    store = record.__dict__.get(_ATTR)
    if store is None:
        store = {}
        object.__setattr__(record, _ATTR, store)   # frozen dataclass: outside its fields
    mats = materials if materials else _NO_MATERIALS
    hit = store.get(key)
    if hit is not None and hit[0] is mats and hit[1] == args:
        return hit[2]
    value = compute()
    store[key] = (mats, args, value)
    return value


def forget(record: Any) -> None:
    """Drop every answer kept on `record`."""
    record.__dict__.pop(_ATTR, None)
