"""The study corner (讲习所): package format and import, the material store, the catalogue,
records and the service that runs them on the station's database thread."""
