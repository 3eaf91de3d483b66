"""Background work on Django's task API (django-tasks, database backend).

``tasks.enqueue`` adds work in the transaction of the change that causes it; ``worker``
runs it with retries and back-off (``manage.py run_worker``); ``periodic`` schedules the
recurring jobs that apps register; ``wagtail_hooks`` is the staff's view of the queue.
"""
