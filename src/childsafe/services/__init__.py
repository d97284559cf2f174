"""Services: what the CLI and the web application call. Thin over the domain and storage."""
