"""The secretary's workspace, edit conflicts included."""
