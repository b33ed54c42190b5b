"""Several app servers on one store (issue 20): what one server writes, another sees; two
senders draining one outbox send each mail once; a server's recovery never fails the
mail another live server is sending.

On PostgreSQL the "servers" are two `PgStore` objects (two sets of connections, as two
processes have); on the DuckDB file, which one process holds, they are two threads of
one store. Every test runs on both backends (`both_backends`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from conftest import SMALL

from opp import clock
from opp.access.viewer import Role, Viewer
from opp.mail import config as mail_config
from opp.mail import sender
from opp.questionnaire.loader import load_text
from opp.services import campaigns, membership, organisations
from opp.store import outbox
from opp.store import questionnaires as questionnaire_repo
from opp.store.db import Store

pytestmark = pytest.mark.both_backends

ADMIN = Viewer(role=Role.ADMIN, account_id="admin", name="Agence")


@pytest.fixture
def other_server(tmp_store: Store) -> Iterator[Store]:
    """A second app server on the same store."""
    if not tmp_store.multi_process:
        yield tmp_store  # the DuckDB file: the same process, another thread
        return
    from opp.store.engine_pg import PgStore

    assert isinstance(tmp_store, PgStore)
    second = PgStore(tmp_store.url)
    yield second
    second.close()


def _run_together(*jobs: tuple[Store, object]) -> list[object]:
    """Run `work(store)` of each job in its own thread, started at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, store: Store, work: object) -> None:
        try:
            barrier.wait()
            results[index] = work(store)  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(i, store, work)) for i, (store, work) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_several_servers__two_senders_at_once_send_each_mail_once(
    tmp_store, other_server, mail_settings
):
    people = [f"p{i:02d}@example.org" for i in range(40)]
    for email in people:  # each in a structure of their own: one invitation each
        org = organisations.create(
            tmp_store, ADMIN, name=f"Cie {email}", structure_type="compagnie", filieres=["cirque"]
        )
        membership.invite(
            tmp_store, ADMIN, email=email, display_name=email[:3], organisation_id=org.id
        )
    queued = sorted(str(m.id) for m in outbox.recent(tmp_store, state="queued"))
    assert len(queued) == 40
    config = mail_config.load()

    def drain_as(sender_id: str) -> object:
        return lambda store: sender.drain(store, config, sender_id=sender_id)

    # Two servers: two sender ids (on the DuckDB file, one process: one id).
    second_id = "serveur-b:2:b" if tmp_store.multi_process else sender.SENDER_ID
    reports = _run_together(
        (tmp_store, drain_as(sender.SENDER_ID)), (other_server, drain_as(second_id))
    )
    # Every queued mail left once: nobody got their invitation twice, nobody missed it.
    assert sorted(r.outbox_id for r in mail_settings.received) == queued
    assert sorted(r.rcpt_tos[0] for r in mail_settings.received) == people
    assert sum(r.sent for r in reports) == 40  # type: ignore[attr-defined]
    assert outbox.counts(tmp_store) == {"sent": 40}
    assert outbox.counts(other_server) == {"sent": 40}


def test_several_servers__recovery_leaves_a_live_server_s_mail_alone(tmp_store, mail_settings):
    org = organisations.create(
        tmp_store, ADMIN, name="Cie", structure_type="compagnie", filieres=["cirque"]
    )
    made = membership.invite(
        tmp_store, ADMIN, email="un@example.org", display_name="Un", organisation_id=org.id
    )
    with tmp_store.transaction() as cur:  # another server took it a moment ago
        assert outbox.claim(cur, made.message_id, "autre-serveur:1234:abcd") is not None
    recovered = outbox.recover(tmp_store, sender=sender.SENDER_ID, lease=sender.LEASE)
    state = outbox.get(tmp_store, made.message_id).state
    if tmp_store.multi_process:
        # PostgreSQL: the other server is alive and may be talking to the SMTP server.
        assert (recovered, state) == (0, "sending")
    else:
        # The DuckDB file: another sender id is a process that has ended.
        assert (recovered, state) == (1, "failed")


def test_several_servers__a_campaign_closed_on_one_server_is_closed_on_the_other(
    tmp_store, other_server
):
    questionnaire_repo.publish(tmp_store, load_text(SMALL, "small.yaml").questionnaire)
    today = clock.today()
    made = campaigns.create(
        tmp_store,
        ADMIN,
        filiere="cirque",
        questionnaire_id="petit",
        questionnaire_version="1.0.0",
        reference_year=today.year - 1,
        title_fr="Cirque",
        title_en=None,
        opens_on=today.replace(day=1),
        closes_on=today.replace(year=today.year + 1),
    )
    # The other server reads the campaign (and keeps the row in memory)…
    assert campaigns.get(other_server, ADMIN, made.id).state(today) == "open"
    # …then the campaign is closed through the first one.
    campaigns.close(tmp_store, ADMIN, made.id)
    assert campaigns.get(other_server, ADMIN, made.id).state(today) == "closed"


def test_several_servers__a_write_on_one_makes_the_other_s_results_stale(tmp_store, other_server):
    before = other_server.generation
    organisations.create(
        tmp_store, ADMIN, name="Nouvelle", structure_type="compagnie", filieres=["cirque"]
    )
    tmp_store.bump()
    assert other_server.generation != before
