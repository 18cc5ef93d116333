"""Duty roster as pure logic: calendar, fair rotation, overrides, fairness report, rendering."""
from .calendar import HolidayCalendar
from .fairness import FairnessReport, PersonStats, fairness_report
from .overrides import Override, Substitution, apply, check_leave, duty_date, effective, on_duty_at
from .render import render_fairness, render_table
from .rotation import DutyDay, RosterError, RosterRules, StaffMember, generate

__all__ = [
    "DutyDay", "FairnessReport", "HolidayCalendar", "Override", "PersonStats", "RosterError",
    "RosterRules", "StaffMember", "Substitution", "apply", "check_leave", "duty_date",
    "effective", "fairness_report", "generate", "on_duty_at", "render_fairness", "render_table",
]
