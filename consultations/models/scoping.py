"""Who may see and change what: every record belongs to one organisation through a path.

Superusers see everything; a member sees the records of their organisations; an editor changes
them. Each QuerySet names its path to the organisation in ``organisation_path``.
"""

from django.db import models


class OrganisationScopedQuerySet(models.QuerySet):
    organisation_path = "organisation"

    def _for_roles(self, user, roles):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # One membership per user and organisation: the join cannot duplicate rows.
        prefix = f"{self.organisation_path}__" if self.organisation_path else ""
        return self.filter(
            **{f"{prefix}memberships__user": user, f"{prefix}memberships__role__in": roles}
        )

    def visible_to(self, user):
        from .organisation import Membership

        return self._for_roles(user, Membership.Role.values)

    def editable_by(self, user):
        from .organisation import Membership

        return self._for_roles(user, [Membership.Role.EDITOR])
