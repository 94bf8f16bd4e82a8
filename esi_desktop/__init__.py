"""ESI Desktop: helps a Probation Board answer an HM Inspectorate of Probation ESI report."""

__version__ = "0.1.0"
