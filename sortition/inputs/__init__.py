"""Reading what organizers bring: raw CSV/XLSX tables (`tables`), pools (`pool`), quota tables
(`quotas`), the instance built from both (`build`), census counts (`census`), earlier panels
(`history`), duplicate registrations (`duplicates`) and personal id columns (`privacy`)."""
