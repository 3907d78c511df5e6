"""The councils pages, one module per area: organisations, elections, members and people,
supervision (evaluation, inquiry, recall), trainings and the representation report."""
