"""cxmap: customer experience maps, built step by step in the terminal."""

__version__ = "0.1.0"
