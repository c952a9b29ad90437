"""The web app: server-rendered pages and a JSON API over a dyadwatch database (see app.py)."""
