"""Reports of commercial child-sexual-abuse-material sites, as metadata only (never imagery):
URL canonicalisation and site grouping (``urls``), payment identifiers (``identifiers``) and
the report record with its bulk formats and triage (``intake``)."""
