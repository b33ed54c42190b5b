"""Sign-in limits: progressive delays per account and per client address, never a lock.

Pure rules over the recent attempts (`Attempt`), plus the keyed hash that stands for
whatever was typed in the e-mail field when it is not an account's address (sometimes a
password typed in the wrong field: it is never stored in clear).

- **Per account**: after 5 failures within 15 minutes, each attempt waits a delay that
  doubles with every further failure (2 s, 4 s … at most 5 minutes). Failures from an
  address that then signed in successfully to this account (the owner mistyping) no
  longer count; successes on *other* accounts clear nothing.
- **Per client address**: the same after 20 failures on any accounts, never cleared by a
  success (an attacker with an account of their own is not reset by signing in to it).
- **The owner keeps a way in**: from an address that signed in successfully to the
  account within 30 days, only that address's own failures delay the account, so a
  stranger elsewhere cannot keep its owner out; the owner also gets a mail when the
  delays start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass

WINDOW = dt.timedelta(minutes=15)
KNOWN_CLIENT = dt.timedelta(days=30)
FREE_ACCOUNT_FAILURES = 5
FREE_CLIENT_FAILURES = 20
FIRST_DELAY = dt.timedelta(seconds=2)
MAX_DELAY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Attempt:
    at: dt.datetime
    account_key: str
    client_key: str
    success: bool


def delay_after(failures: int, free: int) -> dt.timedelta:
    """The wait imposed after `failures` failures when `free` are allowed without one."""
    if failures < free:
        return dt.timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - free), MAX_DELAY)


def account_failures(
    attempts: Sequence[Attempt], *, now: dt.datetime, only_client: str | None = None
) -> list[Attempt]:
    """Failures on one account within the window that a later success from the same
    address has not cleared (optionally only those from `only_client`)."""
    recent = [a for a in attempts if a.at >= now - WINDOW]
    never = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - timestamps are naive UTC (opp.clock)
    last_success: dict[str, dt.datetime] = {}
    for a in recent:
        if a.success and a.at > last_success.get(a.client_key, never):
            last_success[a.client_key] = a.at
    return [
        a
        for a in recent
        if not a.success
        and a.at > last_success.get(a.client_key, never)
        and (only_client is None or a.client_key == only_client)
    ]


def client_failures(attempts: Sequence[Attempt], *, now: dt.datetime) -> list[Attempt]:
    return [a for a in attempts if not a.success and a.at >= now - WINDOW]


def seconds_to_wait(
    *,
    now: dt.datetime,
    account_attempts: Sequence[Attempt],
    client_attempts: Sequence[Attempt],
    client: str,
    known_client: bool,
) -> int:
    """How long this client must wait before its next attempt on this account (0: now)."""
    waits = [0]
    per_account = account_failures(
        account_attempts, now=now, only_client=client if known_client else None
    )
    per_client = client_failures(client_attempts, now=now)
    for failures, free in (
        (per_account, FREE_ACCOUNT_FAILURES),
        (per_client, FREE_CLIENT_FAILURES),
    ):
        if len(failures) >= free:
            until = max(a.at for a in failures) + delay_after(len(failures), free)
            waits.append(math.ceil((until - now).total_seconds()))
    return max(waits)


def keyed_hash(secret: bytes, typed: str) -> str:
    """What stands for a typed e-mail that is no account's address (HMAC-SHA256)."""
    digest = hmac.new(secret, typed.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"h:{digest[:40]}"
