"""The top layer: the annual report and the pages that gather every app (docs/architecture.md,
Layers). It imports the apps; no app imports it."""
