"""Learners kept apart by PostgreSQL itself (issue 29): row-level security.

The service layer already takes the learner from the signed-in session; this is
the second wall, for the day a query forgets its `WHERE learner_id = ...`. A
cohort server connects as a role that does not own the tables. Every table
holding a learner's rows has row-level security enabled and forced, with three
policies:

- `srs_learner`: the server's role reads and writes the rows of the learner named
  by the transaction's settings (`srs_crss.learner_id`, and `srs_crss.learner`,
  the name, for finding or creating the learner's own row);
- `srs_instructor`: the server's role reads, and only reads, every row when the
  transaction says `srs_crss.instructor = on`;
- `srs_owner`: the tables' owner (who runs `cohort setup-db`, the schema upgrades
  and the account commands) keeps full access, as it could anyway by switching
  row security off.

With none of the settings a transaction of the server's role sees nothing and
can change nothing (fail closed). The settings are set with `set_config(...,
true)`, PostgreSQL's SET LOCAL: they end with the transaction, so a pooled
connection never carries one learner's setting into another's transaction.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import Connection, Table, text

from srs_crss.errors import UsageError
from srs_crss.storage.schema import learners_t, metadata

LEARNER_ID = "srs_crss.learner_id"
LEARNER = "srs_crss.learner"
INSTRUCTOR = "srs_crss.instructor"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Acting(NamedTuple):
    """On whose behalf a store's transactions run: one learner, or an instructor."""

    learner: str | None = None
    learner_id: int | None = None
    instructor: bool = False


SET_ACTING = text(
    "SELECT set_config(:k1, :v1, true), set_config(:k2, :v2, true), set_config(:k3, :v3, true)"
)
"""Who is acting, for this transaction only: `acting_values` give its values."""


def acting_values(acting: Acting | None) -> dict[str, str]:
    acting = acting or Acting()
    return {
        "k1": LEARNER,
        "v1": acting.learner or "",
        "k2": LEARNER_ID,
        "v2": "" if acting.learner_id is None else str(acting.learner_id),
        "k3": INSTRUCTOR,
        "v3": "on" if acting.instructor else "",
    }


def begin(conn: Connection, acting: Acting | None) -> None:
    """Say who is acting, for this transaction only (SET LOCAL, as set_config(.., true))."""
    conn.execute(SET_ACTING, acting_values(acting))


def is_enforced(conn: Connection) -> bool:
    """Whether this PostgreSQL database has been set up with row security (reviews forced)."""
    found = conn.execute(
        text("SELECT relforcerowsecurity FROM pg_class WHERE oid = to_regclass('reviews')")
    ).scalar()
    return bool(found)


class LearnerTable(NamedTuple):
    """A table holding learners' rows: keyed by `column`, or through `parent` (a
    learner table) when it has no learner column of its own."""

    table: Table
    column: str
    parent: tuple[Table, str, str] | None = None
    """(the learner table, its key column, this table's column referring to it)"""


def learner_tables() -> list[LearnerTable]:
    """Every table with a learner's rows, found from the schema (so a new table is
    covered without being listed): the learners, each table referring to them, and
    each table referring to one of those."""
    direct: dict[str, LearnerTable] = {learners_t.name: LearnerTable(learners_t, "id")}
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is learners_t:
                direct[table.name] = LearnerTable(table, fk.parent.name)
    found = dict(direct)
    for table in metadata.sorted_tables:
        if table.name in found:
            continue
        for fk in table.foreign_keys:
            parent = direct.get(fk.column.table.name)
            if parent is not None and parent.table is not learners_t:
                found[table.name] = LearnerTable(
                    table, parent.column, (parent.table, fk.column.name, fk.parent.name)
                )
    return sorted(found.values(), key=lambda t: t.table.name)


_OWN_ID = f"NULLIF(current_setting('{LEARNER_ID}', true), '')::bigint"
_OWN_NAME = f"NULLIF(current_setting('{LEARNER}', true), '')"


def _own(entry: LearnerTable) -> str:
    """The SQL condition "this row is the acting learner's"."""
    if entry.table is learners_t:
        return f"(id = {_OWN_ID} OR name = {_OWN_NAME})"
    if entry.parent is None:
        return f"({entry.column} = {_OWN_ID})"
    parent, key, ref = entry.parent
    return (
        f"(EXISTS (SELECT 1 FROM {parent.name} p WHERE p.{key} = {entry.table.name}.{ref} "
        f"AND p.{entry.column} = {_OWN_ID}))"
    )


def setup(conn: Connection, app_role: str, database: str) -> list[str]:
    """Grant the server's role what it needs and put every learner table under row
    security. Idempotent: run again after an upgrade (new tables are covered).

    Returns the learner tables secured. Run by the tables' owner.
    """
    if not ROLE_NAME.match(app_role):
        raise UsageError(
            f"{app_role!r} is not a plain role name (lower-case letters, digits and _, "
            "not starting with a digit)"
        )
    owner = conn.execute(text("SELECT current_user")).scalar_one()
    if app_role == owner:
        raise UsageError(
            f"the server's role must not be the tables' owner ({owner}): the owner is not "
            "held to row security; choose another name"
        )
    role = conn.execute(
        text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": app_role}
    ).first()
    if role is None:
        conn.execute(text(f'CREATE ROLE "{app_role}" LOGIN'))
    elif role[0]:
        raise UsageError(
            f"the role {app_role} is a superuser or bypasses row security: the database "
            "could not keep learners apart for it; use an ordinary role"
        )
    quoted_db = database.replace('"', '""')
    statements = [
        f'GRANT CONNECT ON DATABASE "{quoted_db}" TO "{app_role}"',
        f'GRANT USAGE ON SCHEMA public TO "{app_role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app_role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"',
        # the server reads the schema version; only the owner upgrades it
        f'REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM "{app_role}"',
    ]
    secured = []
    for entry in learner_tables():
        name = entry.table.name
        own = _own(entry)
        statements += [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS srs_learner ON {name}",
            f"DROP POLICY IF EXISTS srs_instructor ON {name}",
            f"DROP POLICY IF EXISTS srs_owner ON {name}",
            f'CREATE POLICY srs_learner ON {name} TO "{app_role}" USING {own} WITH CHECK {own}',
            f'CREATE POLICY srs_instructor ON {name} FOR SELECT TO "{app_role}" '
            f"USING (current_setting('{INSTRUCTOR}', true) = 'on')",
            f'CREATE POLICY srs_owner ON {name} TO "{owner}" USING (true) WITH CHECK (true)',
        ]
        secured.append(name)
    for statement in statements:
        conn.execute(text(statement))
    return secured
