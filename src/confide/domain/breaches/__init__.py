"""The breach register (BRE-1..5): incidents, risk assessments, reports and notices, keeping.

* :mod:`.model` — the records and their states, and the register's errors;
* :mod:`.rules` — what an entry lacks, the risk proposal, what is owed, how long it is kept;
* :mod:`.contents` — what the reports and notices say, in English and French.
"""
