"""Referrals' pure rules: partners and what they accept, the outbox's schedule, signatures,
idempotency keys, outcomes and removal times. No HTTP, no SQL, no clock."""
