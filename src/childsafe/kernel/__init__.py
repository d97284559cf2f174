"""What every feature shares and no feature owns: errors, settings, paths, jurisdictions, the
text policy, the database (engine, base, migrations), file readers and writers, and the web and
command-line plumbing. The kernel imports no feature."""
