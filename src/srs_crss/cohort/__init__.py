"""A cohort server's rules and records: accounts and sign-in (accounts), the class
at a glance and the item statistics an instructor reads (classview, items).

Pure: records in, records out; the service (service/accounts.py,
service/cohort.py) does the storing, hashing and clock reading.
"""
