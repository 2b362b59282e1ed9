"""The records format `vru-governance-records/1`: schema check, import and export."""

FORMAT = "vru-governance-records/1"
