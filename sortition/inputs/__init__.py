"""Reading what organizers bring: pools and quota tables (`io`), census counts (`census`), earlier
panels (`history`), duplicate registrations (`duplicates`) and personal id columns (`privacy`)."""
