"""Who may see and change what: every record belongs to one organisation through a path.

Superusers see everything; a member sees the records of their organisations; an editor changes
them. Each QuerySet names its path to the organisation in ``organisation_path``.
"""

from django.db import models


def moved_from(instance, organisation_id, path="organisation"):
    """The organisation ``instance`` was saved with, when ``organisation_id`` (the one it
    names now, through ``path``) is another: the record is being moved to another
    organisation. None for a new record, or one that stays."""
    if instance.pk is None or organisation_id is None:
        return None
    saved = type(instance)._default_manager.filter(pk=instance.pk).values_list(path, flat=True)
    saved = saved.first()
    return None if saved in (None, organisation_id) else saved


class OrganisationScopedQuerySet(models.QuerySet):
    organisation_path = "organisation"

    def _for_roles(self, user, roles):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self._of_memberships(user, roles)

    def _of_memberships(self, user, roles):
        from .organisation import Membership

        # The user's organisations in a subquery rather than a join through the memberships:
        # the database matches it once, where a join made it compare every row listed with
        # every membership (the workspace's consultations, bench/pages.py).
        organisations = Membership.objects.filter(user=user, role__in=roles).values(
            "organisation_id"
        )
        path = f"{self.organisation_path}_id" if self.organisation_path else "pk"
        return self.filter(**{f"{path}__in": organisations})

    def visible_to(self, user):
        from .organisation import Membership

        return self._for_roles(user, Membership.Role.values)

    def editable_by(self, user):
        from .organisation import Membership

        return self._for_roles(user, [Membership.Role.EDITOR])

    def followed_by(self, user):
        """The records of the organisations the user is a member of, a superuser's too: a
        superuser may see every organisation but follows these (the reminders)."""
        from .organisation import Membership

        if not user.is_active:
            return self.none()
        return self._of_memberships(user, Membership.Role.values)
