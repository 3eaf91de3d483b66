"""The editorial pages of the site (Wagtail): home, news, calls, documents, standard pages."""
