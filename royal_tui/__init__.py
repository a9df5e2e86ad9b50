"""royal-tui: IPRoyal proxy orders in your terminal."""

__version__ = "0.1.0"
