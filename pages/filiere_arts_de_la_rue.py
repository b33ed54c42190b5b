"""Filière page — arts de la rue: key figures of the branch and its questionnaire module.

What it shows is declared in surveys/dashboards/filiere_arts_de_la_rue.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("filiere_arts_de_la_rue")
