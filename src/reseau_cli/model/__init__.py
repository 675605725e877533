"""Pure functions on documents: no files, no git, no terminal."""
