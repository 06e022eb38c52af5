"""The JSON API under ``/api/v1``: one blueprint module per resource (jobs, batches, roster,
signing, templates). Each reads its parameters, calls ``actions`` and answers with ``presenters``.
"""
