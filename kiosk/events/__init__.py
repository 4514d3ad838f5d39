"""The events stations write and the hub stores: one declaration (``kiosk.events.schema``),
the station writer, the hub handler and ``docs/events.md`` follow from it."""
