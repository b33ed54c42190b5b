"""Emploi dashboard: permanent and intermittent jobs, volunteers, payroll.

What it shows is declared in surveys/dashboards/emploi.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("emploi")
