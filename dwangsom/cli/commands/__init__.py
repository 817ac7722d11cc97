"""One module per command: ``dwangsom NAME`` runs ``_cmd_NAME`` of module ``NAME``."""
