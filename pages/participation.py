"""Participation dashboard: submitted responses divided by invited organisations.

What it shows is declared in surveys/dashboards/participation.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("participation")
