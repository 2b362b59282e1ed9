"""Who may see and do what (the permission matrix), hostile input and uploads, fuzzed forms."""
