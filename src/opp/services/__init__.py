"""Use cases: what a person does (answer, consent, erase, co-design, sign in…).

Each checks the policy (`opp.access.policy`), validates, and writes through the store's
repositories (`opp.store`: SQL in, records out) in one transaction.
"""
