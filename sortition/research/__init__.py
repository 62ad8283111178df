"""Tools for researchers: generated pools (`generator` with `generator_profiles`,
`generator_population`, `generator_quotas`, `generator_files`; `generator_tight`; `synthetic`),
algorithm comparisons (`compare`, `compare_tables`, `compare_files`) and parameter sweeps on Dask
(`sweep`)."""
