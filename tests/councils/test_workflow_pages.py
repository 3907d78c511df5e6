"""The guided forms of a member's life: leaving, evaluation, inquiry, recall, by-election."""

from django.urls import reverse

from councils.models import Evaluation, Inquiry, Membership, Recall
from tests.councils.factories import PersonFactory
from tests.councils.test_election_pages import election_post


def html(response):
    return response.content.decode()


def test_a_member_who_moves_away_leaves_a_vacancy_on_the_courtyard_page(
    council, geo, people, login
):
    client = login(people.community)
    membership = council.members("representative").first()
    url = reverse("councils:membership_end", args=[membership.pk])
    response = client.post(url, {"ended_on": "2024-02-01", "end_reason": "moved_away"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (str(membership.ended_on), membership.end_reason) == ("2024-02-01", "moved_away")
    profile = client.get(geo.courtyard_a1.get_absolute_url())
    assert "空缺1人" in html(profile)
    assert membership.person.name in html(profile)  # still in the history of the term


def test_leaving_offers_only_the_reasons_recorded_by_hand(council, people, login):
    url = reverse("councils:membership_end", args=[council.member("leader").pk])
    form = login(people.community).get(url).context["form"]
    assert [value for value, _label in form.fields["end_reason"].choices] == [
        "resigned",
        "moved_away",
        "deceased",
    ]
    response = login(people.community).post(
        url, {"ended_on": "2024-02-01", "end_reason": "recalled"}
    )
    assert "end_reason" in response.context["form"].errors
    assert council.member("leader").ended_on is None


def test_leaving_before_serving_began_is_refused_next_to_the_date(council, people, login):
    url = reverse("councils:membership_end", args=[council.member("leader").pk])
    response = login(people.community).post(
        url, {"ended_on": "2020-01-01", "end_reason": "resigned"}
    )
    assert "离任日期不能早于任职开始日期" in str(response.context["form"].errors["ended_on"])


def _evaluation_post(council, **member_counts):
    data = {
        "year": "2023",
        "held_on": "2023-12-20",
        "evaluators": "40",
        "group_satisfied": "30",
        "group_basically": "8",
        "group_dissatisfied": "2",
    }
    for role in ("leader", "deputy", "member"):
        satisfied, basically, dissatisfied = member_counts.get(role, (30, 8, 2))
        pk = council.member(role).pk
        data |= {
            f"m{pk}_satisfied": satisfied,
            f"m{pk}_basically": basically,
            f"m{pk}_dissatisfied": dissatisfied,
        }
    return data


def test_an_evaluation_flags_the_member_most_rate_dissatisfied(council, people, login):
    client = login(people.community)
    url = reverse("councils:evaluation_add", args=[council.organisation.pk]) + "?on=2023-12-20"
    form = client.get(url).context["form"]
    assert [m.role for m in form.members] == ["leader", "deputy", "member"]
    response = client.post(url, _evaluation_post(council, member=(5, 10, 25)))
    evaluation = Evaluation.objects.get()
    assert response.url == evaluation.get_absolute_url()
    assert html(client.get(response.url)).count("应启动罢免程序") == 1
    page = html(client.get(council.organisation.get_absolute_url()))
    assert "过半数参评人员评为不满意" in page and council.member("member").person.name in page


def test_ratings_above_the_evaluators_are_refused_and_nothing_is_stored(council, people, login):
    url = reverse("councils:evaluation_add", args=[council.organisation.pk]) + "?on=2023-12-20"
    response = login(people.community).post(url, _evaluation_post(council, deputy=(30, 10, 5)))
    assert "各项评价票数之和不能超过有效参评人数" in html(response)
    assert not Evaluation.objects.exists()


def test_an_inquiry_needs_enough_signatures_and_is_answered(council, people, login):
    client = login(people.community)
    url = reverse("councils:inquiry_add", args=[council.organisation.pk])
    refused = client.post(
        url, {"raised_on": "2024-03-01", "representatives": "0", "question": "账目？"}
    )
    assert "representatives" in refused.context["form"].errors
    too_many = client.post(
        url, {"raised_on": "2024-03-01", "representatives": "5", "question": "账目？"}
    )
    assert "该日期在任的民情代表只有3人" in str(too_many.context["form"].errors["representatives"])
    assert not Inquiry.objects.exists()
    created = client.post(
        url,
        {
            "raised_on": "2024-03-01",
            "representatives": "2",
            "target": council.member("leader").pk,
            "question": "停车收费为何未公示？",
        },
    )
    inquiry = Inquiry.objects.get()
    assert created.url == inquiry.get_absolute_url()
    answer_url = reverse("councils:inquiry_answer", args=[inquiry.pk])
    client.post(
        answer_url,
        {
            "answered_on": "2024-03-10",
            "answer": "已张贴公示",
            "answered_by": "组长",
            "accepted": "yes",
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.accepted is True
    assert "代表满意" in html(client.get(inquiry.get_absolute_url()))


def test_a_recall_passes_by_the_rule_and_the_vacancy_shows_until_a_by_election(
    council, geo, people, login
):
    client = login(people.community)
    member = council.member("member")
    motion = client.post(
        reverse("councils:recall_add", args=[council.organisation.pk]),
        {
            "membership": member.pk,
            "moved_on": "2024-04-01",
            "moved_by": "民情代表王秀英等2人联名",
            "reason": "长期不参加小组工作",
            "decided_by": "meeting",
        },
    )
    recall = Recall.objects.get()
    assert motion.url == recall.get_absolute_url()
    vote_url = reverse("councils:recall_vote", args=[recall.pk])
    too_many = client.post(
        vote_url,
        {
            "voted_on": "2024-04-20",
            "entitled_voters": "100",
            "votes_for": "60",
            "votes_against": "30",
            "votes_abstain": "20",
        },
    )
    assert "票数之和不能超过有表决权人数" in html(too_many)
    client.post(
        vote_url,
        {
            "voted_on": "2024-04-20",
            "entitled_voters": "100",
            "votes_for": "51",
            "votes_against": "30",
            "votes_abstain": "9",
        },
    )
    recall.refresh_from_db()
    member.refresh_from_db()
    assert recall.outcome == "passed"
    assert (str(member.ended_on), member.end_reason) == ("2024-04-20", "recalled")
    assert "空缺1人" in html(client.get(geo.courtyard_a1.get_absolute_url()))
    # the by-election fills the seat
    newcomer = PersonFactory(courtyard=geo.courtyard_a1)
    url = reverse("councils:election_add", args=[council.organisation.pk]) + "?body=group"
    response = client.post(
        url,
        election_post(
            [(newcomer, 60, True, "member")], kind="by_election", held_on="2024-05-10", seats=""
        ),
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=newcomer).term == council.group_election.term
    assert "空缺" not in html(client.get(geo.courtyard_a1.get_absolute_url()))


def test_a_member_serving_elsewhere_cannot_be_moved_against(council, geo, people, login):
    url = reverse("councils:recall_add", args=[council.organisation.pk])
    form = login(people.community).get(url).context["form"]
    offered = set(form.fields["membership"].queryset)
    assert offered == set(Membership.objects.filter(body__organisation=council.organisation))
