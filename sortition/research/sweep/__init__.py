"""`sortition sweep`: grids of instances x algorithms run as Dask tasks (see grid.py, cell.py,
runner.py), with a tidy results table that survives interruptions, and plots."""
