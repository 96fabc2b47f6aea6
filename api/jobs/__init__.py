"""Background batch jobs: their records in the database, the runner and the worker process.

Entry points: :class:`api.jobs.runner.JobRunner`, :func:`api.jobs.queue.run_job`.
"""
