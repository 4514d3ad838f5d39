"""Activities at the hub (issue 14), one module per seam:

- :mod:`.projection` — the mirror of the stations' records: one ``project_*`` function per
  ``activity.*``/``attendance.*`` event type, run (through ``hub/handlers.py``) in the
  transaction that stored the event, after the batch's visits; the overlap flags.
- :mod:`.schedule` — the bureau's schedule, sent to stations through the change feed.
- :mod:`.review` — the hours review: each decision is a new ``HubHoursDecision`` row and the
  newest counts; a 补录 is a ``HubBackfill`` that counts once a different person approved
  it; a guest linked to a person is a ``HubGuestLink`` row. Decisions go back to the
  stations through the feed.
- :mod:`.report` — the figures over any period, by station, kind and category.
- :mod:`.certificate` — the 志愿服务证明 and its check code.
- :mod:`.export` — attendance rows for CSV/XLSX.
"""
