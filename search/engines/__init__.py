"""Search engines behind one interface; see ``search.engines.base``."""
