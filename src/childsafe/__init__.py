"""childsafe: the Global Legislative Review, the Financial Coalition and reporting, as data."""

__version__ = "0.1.0"
