"""Sample dossiers (specs as data) and their generator."""
