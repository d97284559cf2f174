"""The web application: the public explorer, the JSON API and the editorial workflow."""
