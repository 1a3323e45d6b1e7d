"""The vote rule (LEGAL.md (c)) as a table of cases."""

import pytest

from consultations.rules.votes import Majority, VoteError, vote_errors, vote_result, votes_needed

CASES = [
    # for, against, abstain, blank, present, seats, adopted, unanimous, why
    (9, 0, 0, 0, 9, 9, True, True, "unanimous"),
    (5, 4, 0, 0, 9, 9, True, False, "5 of 9 is more than half"),
    (4, 5, 0, 0, 9, 9, False, False, "4 of 9 is not"),
    (5, 0, 4, 0, 9, 9, True, False, "abstentions do not stop a majority"),
    (4, 0, 5, 0, 9, 9, False, False, "abstentions count against"),
    (4, 0, 0, 5, 9, 9, False, False, "blank ballots count against"),
    (4, 4, 0, 0, 8, 9, False, False, "a tie is rejected: half is not more than half"),
    (5, 3, 0, 0, 8, 9, True, False, "even: half + 1"),
    (4, 0, 0, 0, 7, 9, True, False, "present members who did not vote count against"),
    (3, 0, 0, 0, 7, 9, False, False, "3 of 7 is not more than half"),
    (0, 0, 0, 0, 0, 9, False, False, "nobody present"),
    (1, 0, 0, 0, 1, 9, True, True, "no quorum: one voter decides"),
]


@pytest.mark.parametrize(
    ("votes_for", "against", "abstain", "blank", "present", "seats", "adopted", "unanimous", "why"),
    CASES,
    ids=[case[-1] for case in CASES],
)
def test_it_applies_the_majority_of_members_present(
    votes_for, against, abstain, blank, present, seats, adopted, unanimous, why
):
    result = vote_result(
        votes_for=votes_for,
        against=against,
        abstain=abstain,
        blank=blank,
        voting_members_present=present,
        seats=seats,
    )
    assert (result.adopted, result.unanimous) == (adopted, unanimous), why


@pytest.mark.parametrize(
    ("votes_for", "present", "seats", "adopted"),
    [(5, 6, 9, True), (4, 5, 9, False), (6, 6, 10, True), (5, 5, 10, False)],
)
def test_it_uses_the_seats_for_agreements_on_periods(votes_for, present, seats, adopted):
    result = vote_result(
        votes_for=votes_for, voting_members_present=present, seats=seats, majority=Majority.SEATS
    )
    assert result.adopted is adopted
    assert result.denominator == seats


def test_every_member_present_for_is_not_unanimity_short_of_the_seats_majority():
    """4 for of 4 present, 9 seats: rejected, never "adopté à l'unanimité"."""
    result = vote_result(votes_for=4, voting_members_present=4, seats=9, majority=Majority.SEATS)
    assert (result.adopted, result.unanimous) == (False, False)
    assert result.label_agreeing(masculine=True) == "rejeté"
    result = vote_result(votes_for=5, voting_members_present=5, seats=9, majority=Majority.SEATS)
    assert (result.adopted, result.unanimous) == (True, True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"votes_for": 5, "against": 5, "voting_members_present": 9},
            "plus de voix que de votants",
        ),
        (
            {"votes_for": 10, "voting_members_present": 10, "seats": 9},
            "plus de votants que de sièges",
        ),
        ({"votes_for": -1, "voting_members_present": 9}, "négatif"),
        ({"votes_for": 5, "voting_members_present": 9, "president_voted": True}, "L2315-32"),
        ({"votes_for": 5, "voting_members_present": 9, "majority": Majority.SEATS}, "sièges"),
    ],
)
def test_it_refuses_counts_that_cannot_be(kwargs, message):
    with pytest.raises(VoteError, match=message):
        vote_result(**kwargs)


def test_it_gives_every_reason_the_counts_cannot_be_at_once():
    """A form says them together: the seats were said only once the ballots were corrected."""
    errors = vote_errors(
        votes_for=6, against=6, voting_members_present=11, seats=9, president_voted=True
    )
    assert [str(error) for error in errors] == [
        "Le président ne vote pas lorsque les élus sont consultés (L2315-32).",
        "12 bulletins pour 11 votants présents : il ne peut y avoir plus de voix que de votants.",
        "10 élus votants pour 9 sièges de titulaires : il ne peut y avoir plus de votants que de "
        "sièges.",
    ]
    assert vote_errors(votes_for=5, voting_members_present=9, seats=9) == []


def test_it_lets_the_president_vote_on_internal_matters():
    result = vote_result(
        votes_for=6, voting_members_present=10, seats=9, president_voted=True, on_consultation=False
    )
    assert result.adopted


@pytest.mark.parametrize(("denominator", "needed"), [(1, 1), (2, 2), (8, 5), (9, 5), (10, 6)])
def test_it_needs_more_than_half(denominator, needed):
    assert votes_needed(denominator) == needed


def test_it_labels_the_result():
    assert vote_result(votes_for=9, voting_members_present=9).label == "adoptée à l'unanimité"
    assert vote_result(votes_for=5, voting_members_present=9).label == "adoptée"
    assert vote_result(votes_for=4, voting_members_present=9).label == "rejetée"


@pytest.mark.parametrize(
    ("votes_for", "feminine", "masculine"),
    [
        (9, "adoptée à l'unanimité", "adopté à l'unanimité"),
        (5, "adoptée", "adopté"),
        (4, "rejetée", "rejeté"),
    ],
)
def test_the_label_agrees_with_an_opinion_in_the_masculine(votes_for, feminine, masculine):
    result = vote_result(votes_for=votes_for, voting_members_present=9)
    assert result.label_agreeing(masculine=False) == result.label == feminine
    assert result.label_agreeing(masculine=True) == masculine
