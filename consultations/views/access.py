"""Who may see and change what, for the views (the rules themselves live in models/scoping.py).

- a record of another organisation, or an internal one for the public: 404, so that its existence
  does not leak;
- a record a member may read but not change (a reader): 403 on the change pages;
- superusers: everything.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import Membership


def get_visible(queryset, user, pk):
    """The record if ``user`` may see it (member of its organisation), else 404."""
    try:
        return queryset.visible_to(user).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_editable(queryset, user, pk):
    """The record if ``user`` may change it; 403 for a reader of it, 404 for anyone else."""
    obj = get_visible(queryset, user, pk)
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def can_edit(user, obj) -> bool:
    """Whether ``user`` may change ``obj``: superusers always, editors of its organisation."""
    return type(obj)._default_manager.editable_by(user).filter(pk=obj.pk).exists()


def is_editor_somewhere(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.EDITOR).exists()
    )
