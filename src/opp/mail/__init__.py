"""E-mail: configuration, bilingual templates, rendering, SMTP delivery and the sender
that drains the outbox (`opp.store.outbox`).

Messages are queued in the same transaction as what caused them (an invitation, a
reminder, a reset…) and sent later by the background sender of the server process or by
`python -m opp send-mail`; nothing in a request waits for an SMTP server.
"""
