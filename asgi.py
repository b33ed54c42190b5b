"""OPP's web server: Streamlit's ASGI application (`st.App`) around `app.py`, with OPP's
security headers, routes and start-up warm-up (`opp.ui.server`).

    make run                                # what it runs: streamlit run asgi.py
    .venv/bin/python -m streamlit run asgi.py --server.port 8501
    .venv/bin/uvicorn asgi:app --port 8501  # any ASGI server works too

Streamlit's settings still come from `.streamlit/config.toml` (XSRF protection on).
New HTTP routes (the read API of `/api/v1/`, cookie-backed sessions) go in
`opp.ui.server.routes()` and `middleware()`, not here.
"""

import streamlit as st

from opp.ui import server

server.configure_logging()

app = st.App(
    "app.py",
    routes=server.routes(),
    middleware=server.middleware(),
    lifespan=server.lifespan,
)
