"""Every feature's tables, for what needs the whole schema at once: Alembic's environment and
the test that checks the revisions against the models. Features import only the tables they
use (and those their foreign keys reference)."""

from __future__ import annotations

import childsafe.accounts.models
import childsafe.audit.models
import childsafe.campaign.models
import childsafe.coalition.models
import childsafe.editorial.models
import childsafe.indicators.models
import childsafe.referrals.models
import childsafe.reports.lists.models
import childsafe.reports.store.models
import childsafe.review.models  # noqa: F401 - each import registers its tables
from childsafe.kernel.db.models import Base

metadata = Base.metadata
