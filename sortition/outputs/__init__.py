"""Writing results: file contents (`files`), the public/private layout (`layout`), all-or-nothing
result sets (`result_set`, `atomic`) and the reports for people (`report`, `report_html`)."""
