"""Pure domain logic: values, rules, frameworks, results. Knows nothing of SQL, HTTP or files
beyond the shipped data it is given."""
