"""Opening the accounts on a database, the way ``open_review`` opens the review (same settings,
same migrated engine per URL and process)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from childsafe.accounts.service import AccountsService
from childsafe.accounts.store import SqlAccountStore
from childsafe.review.bootstrap import open_engine


def open_accounts(database_url: str | None = None) -> AccountsService:
    """The accounts on ``database_url``: one service per database and process, so that the
    login rate limiter (in memory) sees every attempt."""
    return accounts_service(open_engine(database_url))


@cache
def accounts_service(engine: Engine) -> AccountsService:
    return AccountsService(SqlAccountStore(engine))
