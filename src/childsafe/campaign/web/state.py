"""What the campaign's routes read from the application."""

from __future__ import annotations

from fastapi import Request

from childsafe.campaign.bootstrap import Campaigns


def campaigns_of(request: Request) -> Campaigns:
    """The campaign's services, as the composition root put them on the application."""
    campaigns: Campaigns = request.app.state.campaigns
    return campaigns
