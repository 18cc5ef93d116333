"""The FAQ in the database: revisions, Excel/YAML import and export, the live matcher."""
