"""What an instance holds (to tell an empty file from a used one) and the replacement of
an administrator's unused set-up account; rules in `opp.instance`."""

from __future__ import annotations

from opp.store import audit
from opp.store.db import Store
from opp.store.records import Actor, single

# Tables whose rows mean that someone already uses the file.
DATA_TABLES = ("organisations", "accounts", "campaigns", "responses")


def data_counts(store: Store) -> dict[str, int]:
    cur = store.cursor()
    return {
        table: int(single(cur.execute(f"SELECT count(*) FROM {table}").fetchone())[0])
        for table in DATA_TABLES
    }


def remove_pending_account(store: Store, actor: Actor, account_id: str) -> None:
    """Delete an account that never chose a password (it holds nothing) and its links."""
    with store.transaction() as cur:
        cur.execute("DELETE FROM account_tokens WHERE account_id = ?", [account_id])
        cur.execute(
            "DELETE FROM accounts WHERE id = ? AND password_hash IS NULL AND status = 'invited'",
            [account_id],
        )
        audit.record(cur, actor, "account.setup_renewed", "account", account_id)
