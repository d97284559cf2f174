"""``python -m childsafe.cli``."""

from childsafe.cli.main import main

main()
