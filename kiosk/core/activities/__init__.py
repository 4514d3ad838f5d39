"""Activities and service hours (issue 14): the model, the station's records, the events.

Kept cheap to import: submodules are imported by name (``model`` and ``views`` are stdlib only).
"""
