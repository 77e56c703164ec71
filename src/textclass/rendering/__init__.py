"""Rendering results for people: terminal tables, markdown, HTML pages and PNG figures.

- :mod:`.terminal`: metrics and CV summaries as text tables
- :mod:`.markdown`: leaderboards and search results as markdown
- :mod:`.html`: self-contained HTML pages (run report, leaderboard)
- :mod:`.plots`: PNG figures with headless matplotlib (optional: ``textclass[plots]``)
- :mod:`.predictions`: ``textclass predict``'s output: a table, CSV or JSON lines
"""
