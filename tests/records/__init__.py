"""Import, export, backup and restore, scale data; the importer fuzzed and fed hostile records."""
