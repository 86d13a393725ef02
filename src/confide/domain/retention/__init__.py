"""Retention and disposal (RET-1..3): when each piece of personal information reaches its end,
what stops it, and the runs that dispose of it with a certificate.

* :mod:`.lifecycle` — the subject's events a retention period counts from (service ended,
  employment ended, last activity, end of a legal obligation);
* :mod:`.schedule` — end of life of a record under its rule (earliest and latest disposal dates);
* :mod:`.runs` — disposal runs (planned, approved, running, completed), their items and errors;
* :mod:`.certificate` — the certificate of disposal (RET-2) and the hash of its list of ids.
"""
