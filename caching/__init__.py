"""Cache helpers that know no app: generation counters that empty a family of cached
answers in one step (``caching.generations``), used by the page cache and search."""
