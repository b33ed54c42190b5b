"""Économie dashboard: budgets, origin of resources, public funding by funder.

What it shows is declared in surveys/dashboards/economie.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("economie")
