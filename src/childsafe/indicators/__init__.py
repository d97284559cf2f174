"""Indicators beside the law: sourced figures per jurisdiction and year (NCMEC's CyberTipline
reports, the UN's population) and those derived from them by a declared formula."""
