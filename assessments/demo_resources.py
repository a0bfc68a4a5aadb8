"""The demo's learning resources: what HR suggests for each capability of the two default frameworks, so that a plan
item can point to one. Written for the demo; the links go to an imaginary internal learning site."""

# capability key: [(title, what it covers)]
RESOURCES = {
    # Product management (Government Digital and Data)
    "applying-user-centred-insights": [
        (
            "Sitting in on research: a field guide",
            "How to observe a user research session and turn notes into findings.",
        ),
        ("From findings to backlog", "A half-day workshop on turning research findings into problems the team owns."),
    ],
    "creating-value-for-money": [
        ("Cost per transaction, explained", "Working out what a service costs to run, and where the money goes."),
        ("Writing a business case that gets read", "A short course with finance on options, costs and benefits."),
    ],
    "managing-product-outcomes": [
        ("Choosing outcome measures", "How to pick three measures that say whether a service works for its users."),
        ("Performance analysis for PMs", "Pair with an analyst for a month on the service’s dashboard."),
    ],
    "product-management": [
        ("The one-page product strategy", "A template and examples: problem, users, measures, what we will not do."),
        ("Running a visible backlog", "How other teams order their backlog and explain the order to stakeholders."),
    ],
    "agile-and-lean-practices": [
        (
            "Prototyping in the first fortnight",
            "Testing an idea with users before anything is built, with worked examples.",
        ),
        ("Releasing every week", "What the teams who ship weekly changed, from planning to incident reviews."),
    ],
    "life-cycle-management": [
        ("Preparing for a service assessment", "What the panel asks at each phase, and how to show your evidence."),
        ("Retiring a service well", "Planning the end of an old service, including the people who still use it."),
    ],
    "strategic-ownership": [
        (
            "Mapping the whole journey",
            "A workshop on mapping a service end to end, offline steps and hand-offs included.",
        ),
        ("One roadmap for many teams", "How three teams agreed a single roadmap, told by the PMs who did it."),
    ],
    "stakeholder-relationship-management": [
        ("Stakeholder mapping in an afternoon", "Who cares, who decides, who needs to hear first, on one page."),
        ("Show and tells that build trust", "Running regular show and tells for policy and operations colleagues."),
    ],
    "product-leadership": [
        ("Leading a community of practice", "Starting and keeping a group of PMs learning from each other."),
        ("Explaining product to senior leaders", "Talking about the value of product management without jargon."),
    ],
    "business-strategy": [
        ("Reading the department's business plan", "Linking a service roadmap to the department’s goals and budget."),
        ("Writing an options paper", "Structuring a decision for a board: options, evidence, a recommendation."),
    ],
    "digital-transformation": [
        ("Redesigning the process, not only the form", "Working with operations on the casework behind a service."),
        ("Open data for services", "Publishing a service’s data openly: what to check, who to ask."),
    ],
    "teaching": [
        ("Running a good show and tell", "Structure, timing and how to invite questions from another team."),
        ("Teach-back sessions", "Turning something your team learned into a one-hour session for others."),
    ],
    "mentoring": [
        ("Mentoring scheme: mentor guide", "What a first mentoring conversation covers, and how to keep it going."),
        ("Pairing with a newer PM", "Pairing on real work: discovery plans, backlogs and show and tells."),
    ],
    "coaching": [
        ("Coaching conversations for leads", "Asking before telling: a two-day course with practice sessions."),
        ("Growing other leads", "How Heads of Product spend time on the leads who report to them."),
    ],
    "facilitating": [
        ("Facilitating a planning day", "Agenda, materials and what to do when a session goes off track."),
        ("Remote workshops that work", "Running a workshop with people in several places, on one board."),
    ],
    # Product management (IC and management tracks)
    "prioritisation": [
        ("Saying no with evidence", "Trade-off frameworks in practice, and how to explain a no to a stakeholder."),
        ("Opportunity sizing", "Estimating what an item is worth before deciding its place on the roadmap."),
    ],
    "product-taste": [
        ("Product critique club", "A fortnightly session reviewing other products’ flows and what makes them good."),
        ("Design reviews for PMs", "Giving useful feedback on designs without designing them yourself."),
    ],
    "hypotheses-and-experiments": [
        ("Experiment design basics", "Writing a hypothesis, choosing a measure and a sample size."),
        ("The onboarding experiments playbook", "How the mobile app team ran its experiments, step by step."),
    ],
    "success-metrics": [
        ("Guardrail metrics", "Choosing what must not get worse while you improve the main measure."),
        ("Metrics review with the data team", "A monthly review of a product’s measures, with an analyst."),
    ],
    "empathy": [
        ("A day with support", "Spending a day with the support team and writing up the top complaints."),
        ("Listening interviews", "How to run an interview that lets the user lead."),
    ],
    "communication": [
        ("Writing a decision memo", "One page, the decision first, the options and the evidence after."),
        ("Presenting to the all-hands", "Telling a team’s story in five minutes, with one number that matters."),
    ],
    "influencing-stakeholders": [
        ("Pre-wiring a decision", "Talking to the people who decide before the meeting that decides."),
        ("Negotiation basics", "A one-day course on interests, options and agreements that last."),
    ],
    "growth-mindset": [
        ("Running a blameless retrospective", "Learning from what went wrong without looking for someone to blame."),
        ("Asking for feedback", "How to ask colleagues for specific feedback, and what to do with it."),
    ],
    "systems-thinking": [
        ("Mapping second-order effects", "Tracing how a change lands on support, finance and other teams."),
        ("Systems thinking reading group", "A six-week group reading and discussing one book on systems."),
    ],
    "thinking-in-bets": [
        ("Writing bets down", "Stating a bet, what would prove it wrong and when you will check."),
        ("Decision journals", "Keeping a record of decisions and their reasons, and reviewing it each quarter."),
    ],
    "product-market-fit": [
        ("Signals of product-market fit", "Retention curves, referrals and what customers say when it is missing."),
        ("Customer discovery interviews", "Finding out whether a problem is worth solving before building."),
    ],
    "strategy-and-roadmap": [
        ("From strategy to a twelve-month roadmap", "Turning a few bets into a roadmap tied to outcomes."),
        ("Roadmap review with your group PM", "A structured review of your roadmap with a more senior PM."),
    ],
    "vision-setting": [
        ("Writing a product vision", "Describing where the product will be in three years, in plain words."),
        ("Testing a vision with partners", "Sharing a draft vision with customers and partners, and what to ask."),
    ],
    "clarity": [
        ("Writing team goals people remember", "Few, plain goals, and checking that the team can say them back."),
        ("Running a clear planning cycle", "A planning calendar and templates that leave no one guessing."),
    ],
    "managing-dependencies": [
        ("Dependency mapping across teams", "Finding the dependencies early and agreeing who owns each."),
        ("Cross-team planning", "A quarterly session for teams that depend on each other."),
    ],
    "developing-talent": [
        ("Rotations between teams", "Setting up a three-month rotation: goals, support and how it ends."),
        ("Spotting potential", "What to look for in a PM who is ready for more, and how to give it to them."),
    ],
    "creating-space": [
        ("Delegating real decisions", "Handing over a decision and not taking it back."),
        ("Running meetings where others speak", "Techniques that bring quieter voices into a discussion."),
    ],
    "company-alignment": [
        ("Linking team goals to company goals", "A worked example from the platform group’s planning."),
        ("Quarterly business reviews", "Preparing and running a review with the executive team."),
    ],
    "org-design": [
        ("Team topologies for product groups", "Shaping teams around the work, and when to split a team."),
        ("Writing a headcount case", "What a good case for new roles includes, with examples that were approved."),
    ],
    "narratives": [
        ("Storytelling for product leaders", "Shaping a product story for the executive team and the company."),
        ("Writing the quarterly update", "A template for a short update that senior readers finish."),
    ],
    "hiring-and-promotion": [
        ("Interviewer training", "Structured interviews, scoring against the framework, and avoiding bias."),
        ("Writing a promotion case", "Using the framework and evidence to make a fair case for someone else."),
    ],
    "market-awareness": [
        ("Competitor review template", "Reviewing a competitor’s product each quarter: what to copy, what to avoid."),
        ("Market research basics", "Where the market data lives and how to read an analyst report critically."),
    ],
}
