"""The versioned REST API (``/api/v1/``) for the systems councils already run.

Case-management systems send reviews in (the JSON import shape, or a FHIR R4
``QuestionnaireResponse``); analysts' tools read results out (cycles,
anonymised cards, themes, votes, root causes, actions, the golden thread and
the report numbers), always with the shared report's small-number suppression
unless the calling token may see identifiable data.

Machines sign in with per-client tokens (:mod:`goldenthread.api.models`) that an
administrator makes in the admin or with ``goldenthread manage api_token``.
Everything this app needs from the rest of Golden Thread is imported in one
place, :mod:`goldenthread.api.domain`.
"""
