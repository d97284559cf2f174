"""The partner form's fields and the service's refusals turned into one translated sentence
next to the field they concern (the service's own messages name command-line options)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from childsafe.kernel.errors import ChildsafeError, Conflict
from childsafe.kernel.web.i18n import mark as _

FORM: Final = "form"  # a problem that belongs to no one field

FIELD_MESSAGES: Final[Mapping[str, str]] = {
    "name": _("Use 1 to 64 lower-case letters, digits, dots, dashes or underscores."),
    "kind": _("Choose how the partner is reached: another childsafe instance, email or webhook."),
    "target": _(
        "Give an https:// address for an instance or a webhook, without query or fragment, "
        "or an email address for email."
    ),
    "countries": _("Give country codes separated by commas, such as NLD, BEL; empty means any."),
    "incident_types": _("Choose incident types from the list; none means any."),
    "token_env": _(
        "Name an environment variable (A-Z, 0-9, _) that is set where this server runs; "
        "instances and webhooks need one, email none."
    ),
    "organisation": _(
        "Give the directory code of the partner's organisation, at most 64 characters."
    ),
    FORM: _("The partner could not be added. Check the fields and send the form again."),
}
NAME_TAKEN: Final = _("A partner with this name exists; choose another name.")


def field_errors(error: ChildsafeError) -> dict[str, str]:
    """The message (a catalog msgid) to show next to the field ``error`` concerns."""
    if isinstance(error, Conflict):
        return {"name": NAME_TAKEN}
    field = str(error.details.get("field", ""))
    if field in FIELD_MESSAGES:
        return {field: FIELD_MESSAGES[field]}
    return {FORM: FIELD_MESSAGES[FORM]}
