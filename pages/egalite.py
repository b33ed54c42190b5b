"""Égalité dashboard: women's share by role, pay gap, chairs, commitments.

What it shows is declared in surveys/dashboards/egalite.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("egalite")
