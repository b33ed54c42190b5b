"""Diffusion dashboard: where, how often and at what fee shows are performed, and for whom.

What it shows is declared in surveys/dashboards/diffusion.yaml.
"""

from opp.ui.declared import render_dashboard

render_dashboard("diffusion")
