"""Residents' personal data: where it lives (places), erasing one resident (erase), retention (retention).

See docs/PRIVACY.md for what is kept, for how long, and who sees it.
"""
