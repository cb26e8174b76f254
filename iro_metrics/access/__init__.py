"""Access control for a shared deployment: the role file (``roles``) and the audit log (``audit``).

No Streamlit here: ``ui/app_auth.py`` is the app's glue (sign-in, refusals, the sidebar line).
"""

from iro_metrics.access.audit import audit_path, check_chain, read_events
from iro_metrics.access.restrict import restrict_result
from iro_metrics.access.roles import ROLES, Grant, RoleFile, RoleFileError, read_role_file, role_file_path

__all__ = [
    "ROLES",
    "Grant",
    "RoleFile",
    "RoleFileError",
    "audit_path",
    "check_chain",
    "read_events",
    "read_role_file",
    "restrict_result",
    "role_file_path",
]
