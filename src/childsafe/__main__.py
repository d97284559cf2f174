"""``python -m childsafe``: the command line."""

from childsafe.app.cli import main

main()
