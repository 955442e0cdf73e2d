"""Maps leaving and entering cxmap: export formats and imports."""
