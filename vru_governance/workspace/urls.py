"""The secretary's workspace routes, under /manage/ (see docs/workspace.md)."""

from __future__ import annotations

from django.urls import include, path

from vru_governance.workspace import (
    actions,
    agenda,
    attendance,
    corrections,
    decisions,
    declarations,
    meetings,
    members,
    minutes,
    papers,
    people,
    plan,
    publish,
    standard_agenda,
    terms,
)

app_name = "workspace"

item_patterns = [
    path("", agenda.item_edit, name="item"),
    path("move/", agenda.item_move, name="item_move"),
    path("remove/", agenda.item_remove, name="item_remove"),
    path("papers/new/", papers.paper_edit, name="paper_new"),
    path("papers/<slug:paper>/", papers.paper_edit, name="paper"),
    path("papers/<slug:paper>/file.pdf", papers.paper_file, name="paper_file"),
    path("papers/<slug:paper>/withdraw/", corrections.paper_withdraw, name="paper_withdraw"),
    path("correct/", corrections.item_correct, name="item_correct"),
]

minutes_item_patterns = [
    path("", minutes.item_minutes, name="item_minutes"),
    path("declarations/", minutes.declaration_add, name="declaration_add"),
    path("declarations/<int:pk>/remove/", minutes.declaration_remove, name="declaration_remove"),
    path("dissent/", minutes.dissent_add, name="dissent_add"),
    path("dissent/<int:pk>/remove/", minutes.dissent_remove, name="dissent_remove"),
    path("decision/correct/", decisions.correct_decision, name="correct_decision"),
]

meeting_patterns = [
    path("", meetings.meeting_home, name="meeting"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/items/<str:number>/", include(item_patterns)),
    path("publish/", publish.publish, name="publish"),
    path("publish/mail/try-again/", publish.mail_try_again, name="mail_try_again"),
    path("publish/try-again/", publish.publish_try_again, name="publish_try_again"),
    path("attendance/", attendance.attendance, name="attendance"),
    path("attendance/correct/", corrections.attendance_correct, name="attendance_correct"),
    path("attendance/<int:pk>/", attendance.attendee_edit, name="attendee"),
    path("attendance/<int:pk>/remove/", attendance.attendee_remove, name="attendee_remove"),
    path("minutes/", minutes.minutes, name="minutes"),
    path("minutes/preview/", minutes.preview, name="minutes_preview"),
    path("minutes/items/<str:number>/", include(minutes_item_patterns)),
    path("minutes/paragraphs/<int:pk>/correct/", minutes.correct, name="correct"),
    path("minutes/<str:step>/", minutes.lifecycle, name="minutes_step"),
    path("history/", meetings.meeting_history, name="meeting_history"),
]

body_patterns = [
    path("", meetings.meeting_list, name="body"),
    path("members/", members.roster, name="roster"),
    path("members/appoint/", members.appoint, name="appoint"),
    path(
        "members/declaration-round/",
        declarations.declaration_round,
        name="declaration_round",
    ),
    path("members/<int:pk>/end/", members.end_appointment, name="end_appointment"),
    path("terms/new/", terms.terms_edit, name="terms_new"),
    path("terms/<slug:version>/", terms.terms_detail, name="terms"),
    path("terms/<slug:version>/edit/", terms.terms_edit, name="terms_edit"),
    path("terms/<slug:version>/endorse/", terms.terms_endorse, name="terms_endorse"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_edit, name="person_new"),
    path("people/<slug:key>/", people.person_edit, name="person"),
    path("people/<slug:key>/interests/", people.interest_add, name="interest_add"),
    path("people/<slug:key>/interests/<int:pk>/end/", people.interest_end, name="interest_end"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<slug:key>/", include(meeting_patterns)),
    path("actions/", actions.action_log, name="actions"),
    path("actions/<slug:meeting>/<slug:key>/", actions.action_detail, name="action"),
    path(
        "actions/<slug:meeting>/<slug:key>/discard/", actions.action_discard, name="action_discard"
    ),
    path(
        "actions/<slug:meeting>/<slug:key>/correct/",
        corrections.action_correct,
        name="action_correct",
    ),
    path("standard-agenda/", standard_agenda.standard_agenda_edit, name="standard_agenda"),
    path("forward-plan/", plan.forward_plan, name="forward_plan"),
    path("forward-plan/<int:pk>/", plan.forward_plan_edit, name="forward_plan_edit"),
    path("forward-plan/<int:pk>/place/", plan.forward_plan_place, name="forward_plan_place"),
]

urlpatterns = [
    path("", members.index, name="index"),
    path("actions/", actions.all_actions, name="all_actions"),
    path("<slug:body>/", include(body_patterns)),
]
