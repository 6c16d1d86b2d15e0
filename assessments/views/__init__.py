"""Pages of the assessments app: the assessment page with its live preview and saving,
evidence, the workflow and review, history, and the Excel round-trip. Views are thin:
they parse the request, call a selector or a service, and render."""
