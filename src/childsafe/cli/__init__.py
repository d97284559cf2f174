"""The ``childsafe`` command line. Commands are thin: they call the services and print."""
