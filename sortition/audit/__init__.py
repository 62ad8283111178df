"""What lets an auditor check a draw without trusting us: the log's records (`log`), canonical
input forms (`canonical`), public randomness (`randomness`) and the checks (`verify`,
`verify_files`)."""
