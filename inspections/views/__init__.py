"""Pages of the inspections app, by area: campaigns, visits, rectifications, bulletins."""
