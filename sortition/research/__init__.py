"""Tools for researchers: generated pools (`generator`, `generator_tight`, `synthetic`), algorithm
comparisons (`compare`) and parameter sweeps on Dask (`sweep`)."""
