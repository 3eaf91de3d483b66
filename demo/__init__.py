"""The demo content: data files in ``data/``, loaded by ``loader`` (``manage.py seed_demo``)."""
