"""The JSON API's conventions, shared by every app's ``api.py``.

``conventions`` (pagination, the exception handler that turns services' refusals into
400/403/409/429 answers, strict query parameters), ``params`` (the whole-number rule for
ids and page numbers, also used by HTML views and sockets) and ``errors`` (JSON error
answers for /api/ paths that no view served).
"""
