"""Filière page — arts du cirque: key figures of the branch and its questionnaire module.

What it shows is declared in surveys/dashboards/filiere_cirque.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("filiere_cirque")
