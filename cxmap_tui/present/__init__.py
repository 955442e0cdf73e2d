"""How maps look as text, for the command line and the app alike: the map and the analysis as Rich
renderables (`map_view`, `analysis_view`), the emotional curve (`curve`, which the app's widget,
its curve screen and the SVG export all draw from), user text made safe to show (`display`), and
what the terminal can take (`terminal`). Nothing here imports Textual or the app, so a command
that prints a map never loads them; importing this package imports nothing else."""
