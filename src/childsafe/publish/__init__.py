"""Publishing an edition: the report as PDF (:mod:`.report`) and the explorer as a static site
(:mod:`.site`), both built from the web application's own templates, documents and catalogs so
that what is printed or put on a USB stick says exactly what the explorer and the API say."""
