"""Scheduler sweeps: escalation, handover, daily and backlog reports, the morning digest, quiet hours."""
