"""What every app's services share: the exceptions they raise when they refuse a change.

Django's ``ValidationError`` (400) and ``PermissionDenied`` (403) come with Django;
``domain.exceptions`` adds ``Conflict`` (409) and ``RateLimited`` (429).
"""
