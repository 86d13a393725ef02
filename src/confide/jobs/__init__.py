"""Background jobs: thin callers of services, run by workers on the task queue.

One module per job area (``system``, ``mail``, ...) registers its jobs in a
:class:`~confide.jobs.registry.JobRegistry`; ``catalog`` lists the areas and the
periodic ticks in one place; ``worker`` binds them to a queue and runs the consumer
(``confide worker``, or in-process under ``confide serve`` via
:func:`confide.jobs.worker.start_embedded_worker`).
"""
