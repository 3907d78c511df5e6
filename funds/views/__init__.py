"""The fund's pages, by area: reports, a courtyard's fund and its forms, projects,
entries and their reversals, and generating the district's allocations."""
