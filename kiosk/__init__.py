"""驿站终端 (Station Kiosk): the front desk of a city workers' rest station."""

__version__ = "0.1.0"
