"""sortition: fair, reproducible and auditable selection of citizens' panels."""

__version__ = "0.1.0"
