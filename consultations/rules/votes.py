"""Vote majority for the works council (CSE), as set out in shared/reference/LEGAL.md (c).

Pure Python: no Django import, so the rule can be tested as a table of cases.

- A resolution is adopted when the votes "for" are more than half of the members whose votes
  count (Cass. soc. 10 July 2013: half + 1). Abstentions, blank and spoiled ballots, and present
  members who did not vote, therefore count against. There is no quorum (Cass. soc. 30 Sept. 2009).
- The denominator is the voting members present, except for agreements on consultation periods
  (L2312-16, L2312-19) and the renewal of a serious-risk expert's period (R2315-47), which need a
  majority of the full members elected (titulaires élus).
- The president (the employer) does not vote when the elected members are consulted as the staff
  delegation (L2315-32): never on an opinion, an expertise or a motion about a consultation. He may
  vote on internal matters such as electing the secretary.
"""

from dataclasses import dataclass
from enum import Enum


class Majority(Enum):
    MEMBERS_PRESENT = "members_present"
    SEATS = "seats"


def _(message: str) -> str:
    """Marks a message for translation (makemessages finds it); the Django layer translates it."""
    return message


class VoteError(ValueError):
    """Counts that cannot be: more ballots than voters, more voters than seats, a president's vote.

    ``template`` is the French message before its values are put in, so that the Django layer can
    translate it: ``gettext(error.template) % error.params``.
    """

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


@dataclass(frozen=True)
class VoteResult:
    adopted: bool
    # Adopted by every voting member present. A vote may have every present member for it and
    # still fail when the majority is of the seats (4 for, 4 present, 9 seats): it is rejected,
    # never "à l'unanimité".
    unanimous: bool
    required: int  # the smallest number of votes "for" that adopts
    denominator: int
    majority: Majority

    @property
    def label(self) -> str:
        """The result as said of a resolution, a motion or a designation: "adoptée"."""
        return self.label_agreeing(masculine=False)

    def label_agreeing(self, *, masculine: bool) -> str:
        """The result agreeing with what was voted on: "adopté" of an opinion (un avis, whose
        vote reads "Avis : adopté à l'unanimité"), "adoptée" of a resolution (une délibération)."""
        if masculine:
            if self.unanimous:
                return _("adopté à l'unanimité")
            return _("adopté") if self.adopted else _("rejeté")
        if self.unanimous:
            return _("adoptée à l'unanimité")
        return _("adoptée") if self.adopted else _("rejetée")


def votes_needed(denominator: int) -> int:
    """More than half: 5 of 9, 5 of 8 (half + 1 when even)."""
    return denominator // 2 + 1


def vote_errors(
    *,
    votes_for: int,
    against: int = 0,
    abstain: int = 0,
    blank: int = 0,
    voting_members_present: int,
    seats: int | None = None,
    president_voted: bool = False,
    on_consultation: bool = True,
) -> list[VoteError]:
    """Every reason the counts cannot be, all of them: a form says them at once, rather than
    finding the voters beyond the seats only once the ballots are corrected. Empty when the
    counts can be."""
    counts = (votes_for, against, abstain, blank, voting_members_present)
    if any(count < 0 for count in counts):
        return [VoteError(_("Un décompte ne peut pas être négatif."))]
    errors = []
    if president_voted and on_consultation:
        errors.append(
            VoteError(_("Le président ne vote pas lorsque les élus sont consultés (L2315-32)."))
        )
    ballots = votes_for + against + abstain + blank
    if ballots > voting_members_present:
        errors.append(
            VoteError(
                _(
                    "%(ballots)d bulletins pour %(voters)d votants présents : "
                    "il ne peut y avoir plus de voix que de votants."
                ),
                ballots=ballots,
                voters=voting_members_present,
            )
        )
    elected_present = voting_members_present - (1 if president_voted else 0)
    if seats is not None and elected_present > seats:
        errors.append(
            VoteError(
                _(
                    "%(voters)d élus votants pour %(seats)d sièges de titulaires : "
                    "il ne peut y avoir plus de votants que de sièges."
                ),
                voters=elected_present,
                seats=seats,
            )
        )
    return errors


def vote_result(
    *,
    votes_for: int,
    against: int = 0,
    abstain: int = 0,
    blank: int = 0,
    voting_members_present: int,
    seats: int | None = None,
    majority: Majority = Majority.MEMBERS_PRESENT,
    president_voted: bool = False,
    on_consultation: bool = True,
) -> VoteResult:
    """Compute the result of a vote from its counts; raise VoteError for counts that cannot be
    (the first of vote_errors())."""
    errors = vote_errors(
        votes_for=votes_for,
        against=against,
        abstain=abstain,
        blank=blank,
        voting_members_present=voting_members_present,
        seats=seats,
        president_voted=president_voted,
        on_consultation=on_consultation,
    )
    if errors:
        raise errors[0]
    if majority is Majority.SEATS:
        if seats is None:
            raise VoteError(_("La majorité des titulaires élus suppose le nombre de sièges."))
        denominator = seats
    else:
        denominator = voting_members_present
    required = votes_needed(denominator)
    adopted = denominator > 0 and votes_for >= required
    unanimous = adopted and votes_for == voting_members_present
    return VoteResult(
        adopted=adopted,
        unanimous=unanimous,
        required=required,
        denominator=denominator,
        majority=majority,
    )
