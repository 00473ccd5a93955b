"""Rows of the routes the gateway dispatches by name (broadcasts at ``/b/<name>``, chains at
``/c/<name>``): a parent row owned by a customer and its ordered children (targets, steps).

Both resources have the same lifecycle (create with children, update, delete, add, update,
remove or replace children), so it is written once here over a `NamedTable` description.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args

from pydantic import Field

from sdkcore.emulator import EmulatorError

from .._deps import EmulatorState, not_found
from .._store import dumps, loads, new_uuid, now
from ._common import JsonInt, insert_row, listing, owned, update_row

__all__ = [
    "MAX_ORDER",
    "MAX_TIMEOUT_MS",
    "Name",
    "NamedTable",
    "OptionalTimeout",
    "TargetPath",
    "relative_path",
]

Name = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
TargetPath = Annotated[str, Field(min_length=1, max_length=2048)]
MAX_TIMEOUT_MS = 600_000
MAX_ORDER = 1_000_000
# A constraint must come before JsonInt's validator to reach the schema of an optional int.
OptionalTimeout = Annotated[int, Field(ge=1, le=MAX_TIMEOUT_MS), get_args(JsonInt)[1]] | None


def relative_path(path: str) -> str:
    """A target as a gateway-relative path (secondary paths never leave the gateway)."""
    if "://" in path or path.startswith("//"):
        raise EmulatorError(422, "target_path must be a gateway-relative path")
    stripped = path.strip("/")
    if not stripped:
        raise EmulatorError(422, "target_path must not be empty")
    return stripped


@dataclass(frozen=True)
class NamedTable:
    """One parent table (``table``) and its children (``children``, keyed by ``parent_key``).

    ``parent_columns`` / ``child_columns`` are the writable columns; ``json_columns`` the
    child columns stored as JSON; ``nullable`` the child columns an update may clear;
    ``bools`` the parent columns stored as 0/1. ``check`` runs
    inside every write's transaction with the parent's id, to refuse an inconsistent result.
    """

    table: str
    children: str
    parent_key: str
    children_field: str
    what: str
    child_what: str
    parent_columns: tuple[str, ...]
    child_columns: tuple[str, ...]
    json_columns: tuple[str, ...] = ()
    bools: tuple[str, ...] = ("enabled",)
    nullable: tuple[str, ...] = ()
    check: Callable[[EmulatorState, str], None] | None = field(default=None)

    # -- reads -------------------------------------------------------------------------

    def own(self, state: EmulatorState, customer: str, ident: str) -> dict[str, Any]:
        """The customer's row with id ``ident``; 404 otherwise (other customers' included)."""
        return owned(state, self.table, self.what, customer, ident)

    def by_name(self, state: EmulatorState, customer: str, name: str) -> dict[str, Any]:
        """The customer's row named ``name`` (what the gateway dispatches); 404 otherwise."""
        return owned(state, self.table, self.what, customer, name, column="name")

    def child_rows(self, state: EmulatorState, parent_id: str) -> list[dict[str, Any]]:
        """The children of a row in dispatch order."""
        return state.db.query(
            f"SELECT * FROM {self.children} WHERE {self.parent_key} = ? ORDER BY sort_order, name",
            (parent_id,),
        )

    def child_json(self, row: dict[str, Any]) -> dict[str, Any]:
        """The public form of a child row."""
        return {k: (loads(v) if k in self.json_columns else v) for k, v in row.items()}

    def as_json(self, state: EmulatorState, row: dict[str, Any]) -> dict[str, Any]:
        """The public form of a parent row, children included."""
        body = {k: (bool(v) if k in self.bools else v) for k, v in row.items()}
        body["owner_id"] = row["customer_id"]
        body["details"] = {}
        body[self.children_field] = [self.child_json(c) for c in self.child_rows(state, row["id"])]
        return body

    def page(self, state: EmulatorState, customer: str, skip: int, limit: int) -> dict[str, Any]:
        """``{data, count}`` of the customer's rows, oldest first."""
        return listing(
            state,
            self.table,
            customer,
            lambda row: self.as_json(state, row),
            order="created_at, id",
            skip=skip,
            limit=limit,
        )

    # -- writes ------------------------------------------------------------------------

    def _insert_child(self, state: EmulatorState, parent_id: str, child: dict[str, Any]) -> str:
        child_id = new_uuid()
        values = {
            c: dumps(child.get(c)) if c in self.json_columns else child.get(c)
            for c in self.child_columns
        }
        values["target_path"] = relative_path(child["target_path"])
        insert_row(state, self.children, {"id": child_id, self.parent_key: parent_id, **values})
        return child_id

    def _write(self, state: EmulatorState, action: Callable[[], Any], parent_id: str) -> Any:
        """Run ``action`` atomically; a duplicate name is a 409, ``check`` may refuse."""
        try:
            with state.db.transaction():
                result = action()
                if self.check is not None:
                    self.check(state, parent_id)
        except sqlite3.IntegrityError:
            message = f"a {self.what} or {self.child_what} with that name exists"
            raise EmulatorError(409, message) from None
        return result

    def create(
        self,
        state: EmulatorState,
        customer: str,
        fields: dict[str, Any],
        children: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """Insert a row and its children; 409 when the customer already has that name."""
        row_id = new_uuid()
        values = {
            c: int(fields[c]) if c in self.bools else fields.get(c) for c in self.parent_columns
        }

        def insert() -> None:
            insert_row(
                state,
                self.table,
                {"id": row_id, "customer_id": customer, **values, "created_at": now()},
            )
            for child in children:
                self._insert_child(state, row_id, child)

        self._write(state, insert, row_id)
        return self.as_json(state, self.own(state, customer, row_id))

    def update(
        self, state: EmulatorState, customer: str, ident: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Change the fields sent (None clears a nullable one)."""
        row = self.own(state, customer, ident)
        writable = {k: v for k, v in changes.items() if k in self.parent_columns and k != "name"}
        required = tuple(c for c in self.parent_columns if c != "description")
        update_row(
            state,
            self.table,
            row["id"],
            writable,
            required=required,
            convert=dict.fromkeys(self.bools, int),
        )
        return self.as_json(state, self.own(state, customer, ident))

    def delete(self, state: EmulatorState, customer: str, ident: str) -> dict[str, Any]:
        """Delete a row and its children."""
        row = self.own(state, customer, ident)
        state.db.execute(f"DELETE FROM {self.table} WHERE id = ?", (row["id"],))
        return {"message": f"{self.what.capitalize()} deleted"}

    def _touch(self, state: EmulatorState, parent_id: str) -> None:
        state.db.execute(f"UPDATE {self.table} SET updated_at = ? WHERE id = ?", (now(), parent_id))

    def own_child(
        self, state: EmulatorState, customer: str, ident: str, child_id: str
    ) -> dict[str, Any]:
        """A child of the customer's row; 404 otherwise."""
        parent = self.own(state, customer, ident)
        child = state.db.query_one(
            f"SELECT * FROM {self.children} WHERE id = ? AND {self.parent_key} = ?",
            (child_id, parent["id"]),
        )
        if child is None:
            raise not_found(self.child_what)
        return child

    def add_child(
        self, state: EmulatorState, customer: str, ident: str, child: dict[str, Any]
    ) -> dict[str, Any]:
        """Add one child; returns it."""
        parent = self.own(state, customer, ident)

        def insert() -> str:
            self._touch(state, parent["id"])
            return self._insert_child(state, parent["id"], child)

        child_id = self._write(state, insert, parent["id"])
        return self.child_json(self.own_child(state, customer, ident, child_id))

    def update_child(
        self,
        state: EmulatorState,
        customer: str,
        ident: str,
        child_id: str,
        changes: dict[str, Any],
    ) -> dict[str, Any]:
        """Change the child fields sent."""
        child = self.own_child(state, customer, ident, child_id)

        def write() -> None:
            update_row(
                state,
                self.children,
                child["id"],
                {k: v for k, v in changes.items() if k in self.child_columns},
                json_columns=self.json_columns,
                required=tuple(c for c in self.child_columns if c not in self.nullable),
                convert={"target_path": relative_path},
                stamp=False,
            )
            self._touch(state, child[self.parent_key])

        self._write(state, write, child[self.parent_key])
        return self.child_json(self.own_child(state, customer, ident, child_id))

    def remove_child(
        self, state: EmulatorState, customer: str, ident: str, child_id: str
    ) -> dict[str, Any]:
        """Remove one child."""
        child = self.own_child(state, customer, ident, child_id)

        def remove() -> None:
            state.db.execute(f"DELETE FROM {self.children} WHERE id = ?", (child["id"],))
            self._touch(state, child[self.parent_key])

        self._write(state, remove, child[self.parent_key])
        return {"message": f"{self.child_what.capitalize()} removed"}

    def replace_children(
        self, state: EmulatorState, customer: str, ident: str, children: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Replace every child at once (atomically); returns the parent."""
        parent = self.own(state, customer, ident)

        def replace() -> None:
            state.db.execute(
                f"DELETE FROM {self.children} WHERE {self.parent_key} = ?", (parent["id"],)
            )
            for child in children:
                self._insert_child(state, parent["id"], child)
            self._touch(state, parent["id"])

        self._write(state, replace, parent["id"])
        return self.as_json(state, self.own(state, customer, ident))
