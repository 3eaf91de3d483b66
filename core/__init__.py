"""Helpers shared by every app: API conventions and domain exceptions.

It sits below ``members`` in the import layers, so it imports none of the apps.
"""
