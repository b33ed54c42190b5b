"""Filière page — musiques actuelles: key figures, the branch module, and the artists'
questionnaire (income by source, share of artistic income, concerts by place).

What it shows is declared in surveys/dashboards/filiere_musiques_actuelles.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("filiere_musiques_actuelles")
