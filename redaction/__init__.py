"""cleancopy: redaction of children's school files for subject access requests."""

from redaction import offline as _offline

# before anything else of the package loads: no library may phone home (see redaction/offline.py)
_offline.apply()
