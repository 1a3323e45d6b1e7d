"""Links to the records' pages, for lists of many.

``reverse()`` costs some 50 microseconds a call on the benchmark machine: a timeline page links
to thirty consultations, the workspace to hundreds, a consultation page to the PDF of each of
its motions. ``link_maker`` reverses a URL once and writes the others from it;
tests/test_links.py checks it gives what ``reverse()`` gives.
"""

from django.urls import reverse

# A number that cannot occur elsewhere in the URL (the script prefix, the path).
_SAMPLE_PK = 918_273_645


def link_maker(view_name):
    """A function from a record's pk to the URL of ``view_name`` (a view taking the pk alone),
    the same as ``reverse(view_name, args=[pk])``. Make one per request: the script prefix is
    the request's."""
    sample = reverse(view_name, args=[_SAMPLE_PK])
    head, tail = sample.rsplit(str(_SAMPLE_PK), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def consultation_link():
    """pk -> the consultation's page."""
    return link_maker("consultations:consultation-detail")


def query_without_sort(query) -> str:
    """The start of a column heading's link on a sorted list: the other filters of ``query`` (a
    QueryDict, its page already left out), then "&" for the ``sort=`` that follows; "" without
    other filters."""
    query = query.copy()
    query.pop("sort", None)
    return f"{query.urlencode()}&" if query else ""
