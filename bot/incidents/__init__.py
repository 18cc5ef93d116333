"""Incidents (issue 15): one event, many reports, one update to everyone affected.

Kept light on purpose: bot.config imports bot.incidents.settings at start-up.
"""
