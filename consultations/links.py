"""Links to the consultation pages, for lists of many.

``reverse()`` costs some 50 microseconds a call on the benchmark machine: a timeline page links
to thirty consultations, the workspace to hundreds. ``consultation_link`` reverses the URL once
and writes the others from it; tests/test_links.py checks it gives what ``reverse()`` gives.
"""

from django.urls import reverse

# A number that cannot occur elsewhere in the URL (the script prefix, the path).
_SAMPLE_PK = 918_273_645


def consultation_link():
    """A function from a consultation's pk to its page's URL, the same as
    ``reverse("consultations:consultation-detail", args=[pk])``. Make one per request: the
    script prefix is the request's."""
    sample = reverse("consultations:consultation-detail", args=[_SAMPLE_PK])
    head, tail = sample.rsplit(str(_SAMPLE_PK), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
