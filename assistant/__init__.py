"""German citizen assistant for the urban-security city networks Efus and DEFUS."""

__version__ = "0.1.0"
