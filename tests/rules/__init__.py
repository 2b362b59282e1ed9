"""The rules of the data apps: quorum, composition, meetings, appointments, the admin."""
