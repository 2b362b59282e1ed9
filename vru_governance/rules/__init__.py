"""Rules at the bottom of the layers, importing no other module of ours.

quorum, composition (with the seat plan) and formats are pure and free of Django, so a unit
test states a scenario in a few lines and the models, screens, documents and exports all read
the same result; versions (optimistic locking) needs only Django's ValidationError.
"""
