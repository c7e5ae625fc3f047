"""An evented design document: the one source of truth the app edits.

It holds the current immutable `Design` and changes it only through a few operations
(insert / remove / move / replace a unit-cell layer, set fields, set the whole design),
telling listeners before and after each one, so that views (a Qt item model, editors,
plots) can follow without polling. The unit cell's role rules (FORMAT.md) are enforced
here and explained in plain words, so a refused edit can say why.

No Qt: listeners are plain callables taking one `DocumentEvent`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .design import MAX_LAYERS, ROLE_LABELS, Design, Layer

MIDDLE_ROLES = ("separator", "interlayer", "anode")
FIXED_ROLES = ("positive_collector", "cathode", "negative_collector")

# Event kinds, in the order they are sent.
ABOUT_TO_INSERT, INSERTED = "about_to_insert", "inserted"
ABOUT_TO_REMOVE, REMOVED = "about_to_remove", "removed"
ABOUT_TO_MOVE, MOVED = "about_to_move", "moved"
LAYER_CHANGED = "layer_changed"          # one layer replaced in place (rows unchanged)
ABOUT_TO_RESET, RESET = "about_to_reset", "reset"  # unit cell replaced wholesale
CHANGED = "changed"                      # sent last after every change, whatever it was


class LayerRuleError(ValueError):
    """An edit that would break the unit cell's role rules; the message says why."""


@dataclass(frozen=True)
class DocumentEvent:
    kind: str
    old: Design
    new: Design
    index: int | None = None      # row concerned (insert / remove / move source / replace)
    dest: int | None = None       # move: the moved layer's final row
    rows: tuple[int, ...] = ()    # layer_changed: the rows whose layers differ


def role_name(role: str) -> str:
    """A role's label for running text: lower case, acronyms kept ("SSE separator")."""
    label = ROLE_LABELS.get(role, role.replace("_", " "))
    return " ".join(w if w.isupper() else w.lower() for w in label.split())


_label = role_name


def role_order_problem(roles: Sequence[str]) -> str | None:
    """Why a unit cell with these roles (in order) is not allowed; None when it is."""
    if len(roles) < 4:
        return ("A unit cell needs at least a positive collector, a cathode, a separator and a "
                "negative collector.")
    if roles[0] != "positive_collector":
        return "The unit cell starts with the positive collector."
    if roles[1] != "cathode":
        return "The cathode sits directly on the positive collector (second layer)."
    if roles[-1] != "negative_collector":
        return "The unit cell ends with the negative collector."
    middle = list(roles[2:-1])
    for role in middle:
        if role not in MIDDLE_ROLES:
            return (f"A unit cell has exactly one {_label(role)}; between the cathode and the "
                    f"negative collector only separators, interlayers and one anode fit.")
    if "separator" not in middle:
        return "A unit cell needs at least one separator between the cathode and the anode side."
    if middle.count("anode") > 1:
        return "A unit cell holds at most one anode."
    if "anode" in middle:
        a = middle.index("anode")
        last_sep = len(middle) - 1 - middle[::-1].index("separator")
        if a < last_sep:
            return "The anode must come after every separator (on the negative collector's side)."
    return None


def why_not_remove(design: Design, index: int) -> str | None:
    """Why the layer at `index` cannot be removed; None when it can."""
    uc = design.unit_cell
    if not 0 <= index < len(uc):
        return f"There is no layer {index + 1} (the unit cell has {len(uc)})."
    role = uc[index].role
    if role in FIXED_ROLES:
        return (f"The {_label(role)} cannot be removed: every unit cell runs from the positive "
                f"collector and the cathode to the negative collector.")
    roles = [layer.role for layer in uc]
    if role == "separator" and roles.count("separator") == 1:
        return "The only separator cannot be removed: a unit cell needs at least one."
    del roles[index]
    return role_order_problem(roles)


def why_not_insert(design: Design, index: int, role: str) -> str | None:
    """Why a layer of `role` cannot be inserted at `index`; None when it can."""
    uc = design.unit_cell
    if not 0 <= index <= len(uc):
        return f"Row {index + 1} is outside the unit cell (1 to {len(uc) + 1})."
    if role in FIXED_ROLES:
        return f"A unit cell has exactly one {_label(role)}; it cannot take another."
    if role not in MIDDLE_ROLES:
        return f"A {_label(role)} is not a unit-cell layer (it belongs to the stacking)."
    if len(uc) >= MAX_LAYERS:
        return f"A unit cell holds at most {MAX_LAYERS:,} layers (the limit a design file is read with)."
    roles = [layer.role for layer in uc]
    if role == "anode" and "anode" in roles:
        return "This unit cell already has an anode (at most one per unit cell)."
    if index <= 1:
        return "New layers go between the cathode and the negative collector."
    if index >= len(uc):
        return "The negative collector must stay the last layer of the unit cell."
    roles.insert(index, role)
    return role_order_problem(roles)


def why_not_move(design: Design, src: int, dst: int) -> str | None:
    """Why the layer at `src` cannot move to final row `dst`; None when it can."""
    uc = design.unit_cell
    n = len(uc)
    if not (0 <= src < n and 0 <= dst < n):
        return f"Rows must be within 1 to {n}."
    if src == dst:
        return None
    role = uc[src].role
    if role in FIXED_ROLES:
        where = {"positive_collector": "first", "cathode": "second", "negative_collector": "last"}[role]
        return f"The {_label(role)} is fixed as the {where} layer of the unit cell."
    roles = [layer.role for layer in uc]
    roles.insert(dst, roles.pop(src))
    problem = role_order_problem(roles)
    if problem and dst <= 1:
        return "Only the positive collector and the cathode sit before the first separator."
    if problem and dst >= n - 1:
        return "The negative collector must stay the last layer of the unit cell."
    return problem


def insert_position(design: Design, role: str, preferred: int | None = None) -> int | None:
    """A row where a new `role` layer fits: `preferred` if allowed, else the nearest that is.

    Linear in the number of layers: the rows a role may go to form one range, worked out
    from the current roles once (asking `why_not_insert` row by row took quadratic time)."""
    uc = design.unit_cell
    n = len(uc)
    roles = [layer.role for layer in uc]
    allowed = _insert_range(roles, role)
    if allowed is None:  # a unit cell that breaks the rules already: ask row by row
        return _insert_position_row_by_row(design, role, preferred)
    lo, hi = allowed
    if lo > hi:
        return None
    if preferred is not None:
        i = min(max(preferred, lo), hi)
    elif role == "separator":
        seps = [k for k, r in enumerate(roles) if r == "separator"]
        i = min(max((seps[-1] + 1) if seps else 2, lo), hi)
    elif role == "interlayer":
        # an interlayer (e.g. Ag-C) is an anode-side layer: just after the last separator
        seps = [k for k, r in enumerate(roles) if r == "separator"]
        i = min(max((seps[-1] + 1) if seps else n - 1, lo), hi)
    else:
        i = hi  # anode: next to the negative collector
    if why_not_insert(design, i, role) is None:
        return i
    return _insert_position_row_by_row(design, role, preferred)  # pragma: no cover - safety net


def _insert_range(roles: Sequence[str], role: str) -> tuple[int, int] | None:
    """The first and last row a new `role` layer may be inserted at, for a unit cell that
    follows the rules (None when it does not, or for a role that is not a middle role)."""
    if role not in MIDDLE_ROLES or role_order_problem(roles) is not None:
        return None
    n = len(roles)
    if n >= MAX_LAYERS:
        return (2, 1)  # empty: the unit cell is full
    lo, hi = 2, n - 1
    anode = roles.index("anode") if "anode" in roles else None
    if role == "anode":
        if anode is not None:
            return (2, 1)  # empty: at most one anode
        last_sep = n - 1 - list(reversed(roles)).index("separator")
        lo = last_sep + 1
    elif role == "separator" and anode is not None:
        hi = anode
    return lo, hi


def _insert_position_row_by_row(design: Design, role: str, preferred: int | None) -> int | None:
    n = len(design.unit_cell)
    candidates = list(range(2, n))
    if preferred is not None:
        candidates.sort(key=lambda i: (abs(i - preferred), -i))
    elif role == "separator":
        # just after the last separator
        seps = [i for i, layer in enumerate(design.unit_cell) if layer.role == "separator"]
        after = (seps[-1] + 1) if seps else 2
        candidates.sort(key=lambda i: abs(i - after))
    elif role == "interlayer":
        # an interlayer (e.g. Ag-C) is an anode-side layer: just after the last separator
        seps = [i for i, layer in enumerate(design.unit_cell) if layer.role == "separator"]
        after = (seps[-1] + 1) if seps else n - 1
        candidates.sort(key=lambda i: (abs(i - after), i < after))
    else:
        candidates.reverse()  # anode: next to the negative collector
    for i in candidates:
        if why_not_insert(design, i, role) is None:
            return i
    return None


class DesignDocument:
    """Holds the current design; every change goes through a method that notifies listeners.

    Listeners get `about_to_*` events before the change (the document still holds the old
    design) and the matching event after it, then a final `changed` event.
    """

    def __init__(self, design: Design):
        self._design = design
        self._listeners: list[Callable[[DocumentEvent], None]] = []

    # ------------------------------------------------------------------ listeners
    @property
    def design(self) -> Design:
        return self._design

    def subscribe(self, listener: Callable[[DocumentEvent], None]) -> Callable[[], None]:
        """Register a listener; returns a function that unregisters it."""
        self._listeners.append(listener)

        def unsubscribe():
            if listener in self._listeners:
                self._listeners.remove(listener)
        return unsubscribe

    def _emit(self, event: DocumentEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _commit(self, new: Design, before: str | None, after: str, **where) -> None:
        old = self._design
        if before:
            self._emit(DocumentEvent(before, old, new, **where))
        self._design = new
        self._emit(DocumentEvent(after, old, new, **where))
        self._emit(DocumentEvent(CHANGED, old, new, **{k: v for k, v in where.items()
                                                       if k in ("index", "dest")}))

    # ------------------------------------------------------------------ layers
    def insert_layer(self, index: int, layer: Layer) -> None:
        problem = why_not_insert(self._design, index, layer.role)
        if problem:
            raise LayerRuleError(problem)
        cells = list(self._design.unit_cell)
        cells.insert(index, layer)
        self._commit(replace(self._design, unit_cell=tuple(cells)), ABOUT_TO_INSERT, INSERTED,
                     index=index)

    def remove_layer(self, index: int) -> Layer:
        problem = why_not_remove(self._design, index)
        if problem:
            raise LayerRuleError(problem)
        cells = list(self._design.unit_cell)
        removed = cells.pop(index)
        self._commit(replace(self._design, unit_cell=tuple(cells)), ABOUT_TO_REMOVE, REMOVED,
                     index=index)
        return removed

    def move_layer(self, src: int, dst: int) -> None:
        """Move the layer at row `src` so that it ends up at row `dst`."""
        problem = why_not_move(self._design, src, dst)
        if problem:
            raise LayerRuleError(problem)
        if src == dst:
            return
        cells = list(self._design.unit_cell)
        cells.insert(dst, cells.pop(src))
        self._commit(replace(self._design, unit_cell=tuple(cells)), ABOUT_TO_MOVE, MOVED,
                     index=src, dest=dst)

    def replace_layer(self, index: int, layer: Layer) -> None:
        old = self._design.unit_cell[index]
        if layer.role != old.role:
            raise LayerRuleError(f"Row {index + 1} is the {_label(old.role)}; a replacement keeps "
                                 f"its role (got {_label(layer.role)}).")
        if layer == old:
            return
        self._commit(self._design.replace_layer(index, layer), None, LAYER_CHANGED,
                     index=index, rows=(index,))

    # ------------------------------------------------------------------ whole design
    def set_fields(self, **changes) -> None:
        """Set top-level design fields (name, stacking, packaging, materials, ...)."""
        self.set_design(replace(self._design, **changes))

    def set_design(self, design: Design) -> None:
        """Replace the design. Rows that keep their roles are reported as changed layers;
        a different sequence of roles is a reset."""
        old = self._design
        if design == old:
            return
        old_roles = [layer.role for layer in old.unit_cell]
        new_roles = [layer.role for layer in design.unit_cell]
        if old_roles == new_roles:
            rows = tuple(i for i, (a, b) in enumerate(zip(old.unit_cell, design.unit_cell)) if a != b)
            self._commit(design, None, LAYER_CHANGED, rows=rows)
        else:
            self._commit(design, ABOUT_TO_RESET, RESET)


# --------------------------------------------------------------------------- helpers
def rescale_fractions(components, index: int, value: float):
    """Set component `index`'s mass fraction to `value` and scale the others so that the
    fractions still sum to 1 (their ratios kept). Returns a new tuple of Components."""
    from .design import Component
    comps = tuple(components)
    if len(comps) == 1:
        return (Component(comps[0].material, 1.0),)
    if not 0.0 < value < 1.0:
        raise ValueError(f"mass fraction must be in (0, 1) when there are other components, got {value}")
    others = sum(c.mass_fraction for i, c in enumerate(comps) if i != index)
    out = []
    for i, c in enumerate(comps):
        if i == index:
            w = value
        elif others > 0:
            w = c.mass_fraction * (1.0 - value) / others
        else:
            w = (1.0 - value) / (len(comps) - 1)
        out.append(Component(c.material, w))
    return normalized(out)


def normalized(components):
    """Fractions scaled to sum to 1, rounded to 12 decimals so files stay readable."""
    from .design import Component
    comps = tuple(components)
    total = sum(c.mass_fraction for c in comps)
    if total <= 0:
        raise ValueError("mass fractions must be positive")
    # rounding leaves the sum within 1e-11 of 1 (the format allows 1e-6)
    return tuple(Component(c.material, round(c.mass_fraction / total, 12)) for c in comps)


def auto_name(design: Design) -> str:
    """The name a design's materials give it: "cathode active | separator | anode"
    ("NMC811 | Li3InCl6 | Li", "NMC811 | Li6PS5Cl | Ag-C, anode-free"); bipolar stacks say
    so ("Bipolar 4-cell ..."). What a design is called until its user names it."""
    lib = design.library()

    def actives(layer) -> str:
        comps = layer.component_list()
        act = [c.material for c in comps if c.material in lib and lib[c.material].is_active]
        return " + ".join(act or [c.material for c in comps])

    cat = design.layer("cathode")
    sep = design.layer("separator")
    an = design.layer("anode")
    inter = design.layer("interlayer")
    parts = [actives(cat) if cat is not None else "?",
             " + ".join(c.material for c in sep.component_list()) if sep is not None else "?"]
    if an is not None:
        parts.append(actives(an))
        name = " | ".join(parts)
    else:
        parts.append(inter.display_name() if inter is not None else "no anode")
        name = " | ".join(parts) + ", anode-free"
    st = design.stacking
    if st.type == "bipolar":
        name = f"Bipolar {st.unit_cells}-cell {name}"
    return name
