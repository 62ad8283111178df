"""The steps of a selection process: what a draw reads (`inputs`), select now (`selection`),
commit to a lottery (`lottery`, `publish`) and reveal it (`draw`), reserves (`reserves`) and
replacements (`replace`)."""
