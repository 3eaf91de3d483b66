"""What protects the site whatever app serves the request.

``client_address`` (the one address every limit keys on), ``throttling`` (DRF throttles),
``socket_limits`` (WebSockets per client), ``headers`` (Content-Security-Policy and the
other response headers) and ``uploads`` (files with markup hidden inside).
"""
