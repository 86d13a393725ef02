"""Access, correction and portability requests (ACC-1..11), pure domain: standard library only.

- ``model``: the request, its kinds, channels, states and outcomes, representatives, fees.
- ``clocks``: due dates in the subject's calendar, the one federal extension, reminders (ACC-1..3).
- ``letters``: the written texts (code, extension notice, refusal with recourse, escalation) in en/fr.
- ``errors``: the errors of this area.
"""
