"""What a valid panel is and how to find good ones: the panel model (`model`), the HiGHS pricing
problem (`pricing`), whether any panel exists (`feasibility`) and the solver plumbing (`solver`)."""
