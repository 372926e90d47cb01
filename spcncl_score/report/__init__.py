"""Report writers: every format is built from the same language-aware tables."""
