"""Words for generated records (vru_governance.records.scale): names, places, topics."""

from __future__ import annotations

FIRST = (
    "Aisha Amir Ben Bola Chloe Dami Dev Ella Femi Grace Hana Idris Isla Jamal Jo Kemi Kofi "
    "Laila Leon Mae Marcus Mia Nadia Nia Omar Oscar Priya Rahul Rosa Ruth Sam Sana Tariq Tom "
    "Uma Vik Wes Yara Zain Zoe Abdi Asha Cara Dan Erin Finn Gita Hugo Ivy Joel"
).split()
LAST = (
    "Adeyemi Ahmed Ali Begum Bennett Boateng Campbell Clarke Coleman Davies Edwards Evans Francis "
    "Graham Green Hall Hassan Hughes Hussain Iqbal Jackson James Johnson Kaur Khan King Lewis "
    "Martin Mensah Mohamed Morgan Murphy Nguyen Okafor Osei Patel Phillips Price Rahman Reid "
    "Roberts Robinson Shah Singh Smith Taylor Thomas Turner Walker Ward Williams Wilson Wright "
    "Young"
).split()
BOROUGHS = (
    "Barnet,Brent,Camden,Croydon,Ealing,Enfield,Greenwich,Hackney,Haringey,Harrow,Hillingdon,"
    "Hounslow,Islington,Lambeth,Lewisham,Merton,Newham,Redbridge,Southwark,Sutton,Tower Hamlets,"
    "Waltham Forest,Wandsworth,Westminster"
).split(",")
ROLES = {
    "chair": ("Chair", "{region} Violence Reduction Partnership"),
    "deputy_chair": ("Deputy Chair", "{region} Violence Reduction Partnership"),
    "police": ("Borough Commander", "Metropolitan Police Service"),
    "health": ("Director of Public Health", "{borough} Council"),
    "education": ("Headteacher", "{borough} Academy Trust"),
    "probation": ("Head of Probation Delivery Unit", "London Probation Service"),
    "london_councils": ("Cabinet Member for Community Safety", "London Borough of {borough}"),
    "funders": ("Programme Director", "London Funders"),
    "other": ("Chief Executive", "{borough} Youth Trust"),
    "community": ("Youth Worker", "{borough} Community Network"),
}
OFFICERS = [
    ("Director of the Violence Reduction Unit", "Violence Reduction Unit"),
    ("Head of Evidence and Insight", "Violence Reduction Unit"),
    ("Clerk to the Partnership", "Violence Reduction Unit"),
    ("Policy Officer", "Violence Reduction Unit"),
    ("Community Engagement Lead", "Violence Reduction Unit"),
    ("Finance Business Partner", "Greater London Authority"),
    ("Communications Manager", "Greater London Authority"),
    ("Data Analyst", "Violence Reduction Unit"),
]
TOPICS = (
    "knife crime|serious youth violence|school exclusions|domestic abuse|county lines|"
    "mentoring programmes|hospital-based violence intervention|trauma-informed practice|"
    "community grants|data sharing|the night-time economy|violence against women and girls|"
    "youth services|parenting support|custody diversion|stop and search|"
    "exploitation of children|summer programmes|sports and physical activity|"
    "employment support for young people|mental health in schools|gang exit services|"
    "victim support|the needs assessment|the annual work plan|the evaluation framework|"
    "the communications strategy|the youth advisory panel|community engagement|"
    "the commissioning plan"
).split("|")
FINDINGS = (
    "a fall in knife injuries among under-25s|a rise in referrals to youth services|"
    "longer waiting times for mentoring|better data from emergency departments|"
    "more young people staying in education|fewer repeat victims of violence|"
    "a shortage of youth workers|strong take-up of the summer programme|"
    "gaps in provision for girls and young women|uneven data between boroughs"
).split("|")
NEEDS = (
    "closer work with schools|a shared data dashboard|additional community grants|"
    "training in trauma-informed practice|a single referral pathway|"
    "better support for parents|longer-term funding for community groups|"
    "a review of the commissioning timetable|clearer measures of success|"
    "an update on the evaluation"
).split("|")
VERBS = (
    "circulate a briefing on|prepare a paper on|share the latest data on|"
    "write to partners about|report back on|arrange a workshop on|set out options for|"
    "agree a timetable for"
).split("|")
PLACES = [
    "Committee Room 1, City Hall, Kamal Chunchie Way, London, E16 1ZE",
    "Committee Room 2, City Hall, Kamal Chunchie Way, London, E16 1ZE",
    "The Chamber, {borough} Town Hall",
    "Online (Microsoft Teams)",
]
