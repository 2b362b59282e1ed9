"""Workflows on meetings, one module per workflow; this package defines and re-exports nothing.

Import each function from the module that defines it: meeting (create, details), agenda (items
and papers), plan (the forward plan), publication (checks, publishing, frozen documents),
attendance, minutes, corrections. Optimistic locking (check_version, EditConflict) is
vru_governance/rules/versions.py.
"""
