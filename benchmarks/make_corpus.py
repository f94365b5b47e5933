"""Generate a synthetic sopgen project of any size, for benchmarks and load tests.

    python benchmarks/make_corpus.py --tasks M [--roles N] [--seed S] --out DIR [--force]

The result is a valid sopgen project (see the source format contract): DIR/mkdocs.yml,
DIR/sops/organization.yml, one file per role under DIR/sops/roles/ and one file per
task under DIR/sops/tasks/. The text is built from word lists of small-business
operations vocabulary, so pages look like a real handbook ("Reconcile supplier
statements 0042"), and each task file weighs roughly 1.5-4 KB.

The output is a pure function of the arguments: one seeded ``random.Random``, no
clock, no set iteration, and a small YAML emitter of our own, so two runs with the
same arguments give byte-identical trees. Only the standard library is used.

Dates are written unquoted (``reviewed: 2024-05-17``), the way people write them by
hand; every other scalar that a YAML 1.1 or 1.2 reader could take for a number, a
boolean, a null or a date is double-quoted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

# A fixed "today": review dates are spread over the 30 months before it.
REFERENCE_DATE = dt.date(2025, 6, 30)
MAX_DEFAULT_ROLES = 200
MIN_TASK_BYTES = 1500

FREQUENCIES = ["daily", "weekly", "monthly", "quarterly", "yearly", "as-needed"]
FREQUENCY_WEIGHTS = [8, 25, 30, 12, 8, 17]

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

TOOLS: dict[str, tuple[str, str]] = {
    "QuickBooks Online": ("https://quickbooks.intuit.com", "Books, invoices and bank feeds"),
    "Xero": ("https://www.xero.com", "Accounting for the second entity"),
    "Stripe": ("https://dashboard.stripe.com", "Card payments, payouts and refunds"),
    "Gusto": ("https://gusto.com", "Payroll and contractor payments"),
    "Expensify": ("https://www.expensify.com", "Receipts and expense reports"),
    "Dext": ("https://dext.com", "Receipt capture from email and phone"),
    "PayPal": ("https://www.paypal.com", "Payments from international clients"),
    "Google Sheets": ("https://sheets.google.com", "Trackers, logs and checklists"),
    "Gmail": ("https://mail.google.com", "Shared inbox and client email"),
    "Google Calendar": ("https://calendar.google.com", "The owner's calendar and team events"),
    "Google Drive": ("https://drive.google.com", "Shared folders for every department"),
    "Calendly": ("https://calendly.com", "Booking links for client calls"),
    "RingCentral": ("https://app.ringcentral.com", "Business phone line and voicemail"),
    "Zoom": ("https://zoom.us", "Client calls and recorded sessions"),
    "Asana": ("https://app.asana.com", "Task board shared with the owner"),
    "Slack": ("https://slack.com", "Day-to-day messages with the team"),
    "1Password": ("https://1password.com", "Shared passwords, one vault per role"),
    "Loom": ("https://www.loom.com", "Recorded walkthroughs and quick answers"),
    "WordPress": ("https://wordpress.com/log-in", "The website and the blog"),
    "Cloudflare": ("https://dash.cloudflare.com", "DNS, SSL and caching"),
    "Google Analytics": ("https://analytics.google.com", "Traffic and conversion figures"),
    "Google Search Console": ("https://search.google.com/search-console", "Search coverage"),
    "UpdraftPlus": ("https://updraftplus.com", "Scheduled website backups"),
    "Ahrefs": ("https://ahrefs.com", "Keyword research and broken links"),
    "Mailchimp": ("https://mailchimp.com", "Newsletter and email sequences"),
    "Buffer": ("https://buffer.com", "Scheduling social media posts"),
    "Canva": ("https://www.canva.com", "Graphics from the brand templates"),
    "Meta Business Suite": ("https://business.facebook.com", "Facebook and Instagram pages"),
    "Descript": ("https://www.descript.com", "Podcast and video editing"),
    "HubSpot": ("https://app.hubspot.com", "Contacts, deals and the pipeline"),
    "Help Scout": ("https://secure.helpscout.net", "Support inbox and help centre"),
    "Zendesk": ("https://www.zendesk.com", "Tickets from the product line"),
    "Intercom": ("https://app.intercom.com", "Website chat"),
    "Trello": ("https://trello.com", "Project boards with clients"),
    "Notion": ("https://www.notion.so", "Team wiki and meeting notes"),
    "Workable": ("https://www.workable.com", "Job posts and candidates"),
    "DocuSign": ("https://www.docusign.com", "Contracts and signatures"),
    "Airtable": ("https://airtable.com", "Inventory and supplier database"),
    "Google Admin console": ("https://admin.google.com", "User accounts and devices"),
    "Backblaze": ("https://www.backblaze.com", "Off-site backups of laptops"),
    "Microsoft 365": ("https://www.office.com", "Documents shared with corporate clients"),
}

GENERIC_TOOLS = ["Gmail", "Slack", "Google Drive", "1Password", "Zoom", "Loom", "Google Sheets"]

ACCESS = [
    "Own login; the owner sends the invitation on day 1",
    "Shared login in the 1Password vault '{vault}'",
    "Read-only during month 1, then editor",
    "Admin rights after the first monthly review",
    "Ask the owner for an invitation",
    "Guest account, renewed every 90 days",
    "Single sign-on with the company Google account",
    "Own seat on the team plan",
]


@dataclass(frozen=True)
class Domain:
    """One area of the business: the roles that work in it and what they do."""

    key: str
    roles: list[tuple[str, str]]
    rate: tuple[int, int]
    tasks: list[str]
    tools: list[str]
    tags: list[str]
    summary: str
    responsibilities: list[str]
    skills: list[str]
    folder: str


DOMAINS: list[Domain] = [
    Domain(
        key="finance",
        roles=[("bookkeeper", "Bookkeeper"),
               ("payroll-administrator", "Payroll administrator"),
               ("accounts-assistant", "Accounts assistant"),
               ("credit-controller", "Credit controller")],
        rate=(25, 55),
        tasks=["Reconcile|supplier statements", "Send|client invoices",
               "Categorize|bank transactions", "Chase|overdue invoices", "File|expense receipts",
               "Prepare|sales tax return", "Run|contractor payroll",
               "Review|credit card statements", "Update|cash-flow forecast",
               "Process|refund requests", "Count|petty cash", "Close|monthly books",
               "Pay|approved supplier bills", "Reconcile|Stripe payouts", "Archive|purchase orders",
               "Check|subscription charges", "Prepare|profit & loss report",
               "Match|client payments", "Update|fixed-asset register", "Collect|missing receipts"],
        tools=["QuickBooks Online", "Xero", "Stripe", "Gusto", "Expensify", "Dext", "PayPal",
               "Google Sheets"],
        tags=["finance", "billing", "bookkeeping", "payroll", "tax", "month-end"],
        summary="keeps the books current so the owner always knows where the money is",
        responsibilities=[
            "Send every client invoice within **2 business days** of the work being delivered",
            "Keep the bank accounts reconciled to the last business day of each month",
            "Chase overdue invoices politely and escalate anything older than 45 days",
            "Prepare the monthly *profit & loss* summary for the owner",
            "Collect receipts for every card transaction",
            "Keep supplier records and payment terms up to date",
        ],
        skills=[
            "Double-entry bookkeeping and the chart of accounts",
            "QuickBooks Online or Xero at an intermediate level",
            "Careful, friendly written English for payment reminders",
            "Spreadsheets: filters, lookups and pivot tables",
            "Knowing when a question belongs to the accountant",
        ],
        folder="Finance",
    ),
    Domain(
        key="admin",
        roles=[("virtual-assistant", "Virtual assistant"),
               ("executive-assistant", "Executive assistant"),
               ("office-manager", "Office manager"), ("receptionist", "Receptionist")],
        rate=(12, 35),
        tasks=["Triage|shared inbox", "Schedule|client appointments", "Answer|phone inquiries",
               "Confirm|tomorrow's meetings", "Book|business travel",
               "Transcribe|voicemail messages",
               "Update|contact list", "Tidy|shared drive", "Order|office supplies",
               "Send|client welcome packs", "Prepare|weekly agenda", "Write up|meeting notes",
               "Screen|calls for the owner", "Renew|software subscriptions", "Plan|team off-site",
               "Archive|old email threads", "Check|calendar conflicts", "Send|birthday cards",
               "Collect|signed contracts", "Update|out-of-office replies"],
        tools=["Gmail", "Google Calendar", "Calendly", "RingCentral", "Zoom", "Asana", "DocuSign",
               "Google Drive"],
        tags=["admin", "inbox", "calendar", "clients", "gatekeeping"],
        summary="runs the owner's inbox, calendar and phone, and shields her from routine calls",
        responsibilities=[
            "Answer phone inquiries and give callers the right information the first time",
            "Keep the owner's calendar free of conflicts, with buffers between client calls",
            "Bring the inbox to zero by 5 pm on weekdays; flag what only the owner can answer",
            "Schedule client sessions and send the preparation notes",
            "Act as the owner's *gatekeeper*: route, answer or decline routine requests",
            "Keep the contact list and the client folders tidy",
        ],
        skills=[
            "Clear, warm phone manner and written English",
            "Google Workspace: Gmail filters, labels and shared calendars",
            "Judgement about what is urgent for the owner and what can wait",
            "Working across time zones",
            "Discretion with client information",
        ],
        folder="Admin",
    ),
    Domain(
        key="web",
        roles=[("webmaster", "Webmaster"), ("seo-specialist", "SEO specialist"),
               ("web-developer", "Web developer")],
        rate=(30, 75),
        tasks=["Back up|website", "Update|WordPress plugins", "Publish|blog posts",
               "Fix|broken links",
               "Test|contact forms", "Compile|site analytics report", "Renew|SSL certificate",
               "Check|page speed", "Update|sitemap", "Renew|domain names", "Refresh|landing pages",
               "Review|search coverage", "Restore|test backup", "Optimize|product images",
               "Update|legal pages", "Audit|website accessibility", "Moderate|blog comments",
               "Check|uptime alerts"],
        tools=["WordPress", "Cloudflare", "Google Analytics", "Google Search Console",
               "UpdraftPlus",
               "Ahrefs", "Asana"],
        tags=["website", "seo", "backups", "content", "security"],
        summary="organizes, maintains and updates the website,"
                " including content the owner already wrote",
        responsibilities=[
            "Keep the website up, fast and backed up; test a restore every quarter",
            "Publish the owner's articles with images, links and search metadata",
            "Apply plugin and theme updates after checking them on the staging site",
            "Report traffic and leads from the site once a month",
            "Fix broken links and forms within one business day",
        ],
        skills=[
            "WordPress administration, themes and plugins",
            "Basic HTML and CSS",
            "DNS and SSL with Cloudflare",
            "Search basics: titles, descriptions, redirects and sitemaps",
            "Reading Google Analytics reports",
        ],
        folder="Website",
    ),
    Domain(
        key="marketing",
        roles=[("marketing-assistant", "Marketing assistant"),
               ("social-media-manager", "Social media manager"),
               ("content-writer", "Content writer"), ("podcast-producer", "Podcast producer")],
        rate=(20, 60),
        tasks=["Send|monthly newsletter", "Plan|social media calendar", "Compile|campaign report",
               "Edit|podcast episode", "Export|webinar registrations", "Design|lead magnet",
               "Collect|client testimonials", "Review|ad spend", "Schedule|social posts",
               "Reply to|social comments", "Update|media kit", "Repurpose|blog articles",
               "Clean|email list", "Prepare|case study", "Brief|guest speakers",
               "Track|referral partners"],
        tools=["Mailchimp", "Buffer", "Canva", "Meta Business Suite", "Descript", "HubSpot",
               "Google Analytics", "Notion"],
        tags=["marketing", "social", "newsletter", "content", "leads"],
        summary="turns the owner's ideas into posts, emails and episodes, and measures what works",
        responsibilities=[
            "Keep the social media calendar filled three weeks ahead",
            "Send the newsletter on the first Tuesday of the month",
            "Turn each long article into at least **five** short posts",
            "Report campaign results with the cost per lead",
            "Collect testimonials from happy clients after each project",
        ],
        skills=[
            "Writing in the owner's voice (see the style guide)",
            "Canva with the brand templates",
            "Mailchimp audiences, tags and automations",
            "Basic audio editing",
            "Reading campaign numbers without wishful thinking",
        ],
        folder="Marketing",
    ),
    Domain(
        key="support",
        roles=[("customer-support-agent", "Customer support agent"),
               ("client-success-manager", "Client success manager")],
        rate=(18, 40),
        tasks=["Triage|support tickets", "Process|return requests", "Update|help-centre articles",
               "Summarize|customer feedback", "Review|chat transcripts", "Log|complaints",
               "Call|at-risk clients", "Send|satisfaction survey", "Close|stale tickets",
               "Update|canned replies", "Onboard|new clients", "Prepare|quarterly client review"],
        tools=["Help Scout", "Zendesk", "Intercom", "HubSpot", "Loom", "Google Sheets"],
        tags=["support", "clients", "feedback", "retention"],
        summary="answers clients quickly and kindly, and tells the owner what clients keep asking",
        responsibilities=[
            "Answer every ticket within **one business day**",
            "Keep the help centre in step with the product",
            "Spot unhappy clients early and tell the owner",
            "Summarize feedback each month: top five questions and complaints",
        ],
        skills=[
            "Patient, precise writing",
            "Help Scout or Zendesk workflows and saved replies",
            "Knowing the services and their prices by heart",
            "De-escalating an angry caller",
        ],
        folder="Support",
    ),
    Domain(
        key="operations",
        roles=[("project-coordinator", "Project coordinator"), ("recruiter", "Recruiter"),
               ("operations-manager", "Operations manager"), ("hr-assistant", "HR assistant")],
        rate=(25, 65),
        tasks=["Review|supplier contracts", "Send|project status report",
               "Approve|contractor timesheets",
               "Prepare|new hire paperwork", "Post|job openings", "Shortlist|candidates",
               "Prepare|team meeting agenda", "Renew|insurance policies", "Count|inventory",
               "Update|supplier database", "Run|quarterly planning session",
               "Collect|contractor invoices",
               "Update|org chart", "Check|project budgets", "Offboard|departing contractors",
               "Review|SOP library"],
        tools=["Trello", "Notion", "Workable", "DocuSign", "Airtable", "Asana", "Microsoft 365"],
        tags=["operations", "projects", "hiring", "suppliers", "people"],
        summary="keeps projects, suppliers and people moving so nothing waits on the owner",
        responsibilities=[
            "Keep every client project's board current and its next step named",
            "Run hiring one person at a time, from job post to first week",
            "Hold supplier contracts, renewal dates and contacts in one place",
            "Make sure every SOP has a maintainer and a review date",
        ],
        skills=[
            "Project boards (Trello, Asana or Notion)",
            "Interviewing and reference checks",
            "Reading a contract for dates, fees and notice periods",
            "Running a short, useful meeting",
        ],
        folder="Operations",
    ),
    Domain(
        key="it",
        roles=[("it-support", "IT support"), ("systems-administrator", "Systems administrator")],
        rate=(35, 90),
        tasks=["Rotate|shared passwords", "Install|laptop updates", "Create|user accounts",
               "Remove|departed users", "Verify|laptop backups", "Renew|software licences",
               "Review|phishing reports", "Audit|admin rights", "Replace|old devices",
               "Test|disaster recovery plan"],
        tools=["1Password", "Google Admin console", "Backblaze", "Microsoft 365", "Slack",
               "Cloudflare"],
        tags=["it", "security", "accounts", "devices", "backups"],
        summary="keeps accounts, devices and passwords safe so everyone else can work",
        responsibilities=[
            "Create and remove accounts the same day someone joins or leaves",
            "Keep every laptop patched and backed up",
            "Own the password vault and rotate shared logins",
            "Answer the team's IT questions within four working hours",
        ],
        skills=[
            "Google Workspace and Microsoft 365 administration",
            "Password managers and two-factor authentication",
            "Explaining security to non-technical people",
            "Careful records of who has access to what",
        ],
        folder="IT",
    ),
]

OWNER_DOMAIN = Domain(
    key="owner",
    roles=[("owner", "Owner")],
    rate=(250, 250),
    tasks=["Approve|hiring shortlist", "Review|delegation benchmarks", "Sign|supplier contracts",
           "Record|training walkthroughs", "Review|monthly accounts", "Set|quarterly goals",
           "Interview|candidates", "Approve|marketing budget"],
    tools=["Asana", "Google Calendar", "QuickBooks Online", "HubSpot", "DocuSign"],
    tags=["owner", "strategy", "hiring"],
    summary="earns the revenue: advises clients, writes, markets,"
            " and decides what to delegate next",
    responsibilities=[
        "Advise clients and write; this is the work that earns the revenue",
        "Decide what to delegate next, one role at a time",
        "Agree benchmarks with each new hire and review them at day 30, 60 and 90",
        "Record a walkthrough the first time a task is handed over",
    ],
    skills=[
        "Knowing the most valuable use of her own time",
        "Giving clear written instructions",
        "Saying no to routine work",
    ],
    folder="Owner",
)

ENGAGEMENTS = ["part-time contractor", "employee", "freelancer, about 10 hours a week",
               "full-time employee", "agency retainer", "part-time employee, 20 hours a week",
               "contractor, paid monthly"]

TRIGGERS = {
    "daily": ["Start of each working day", "Every weekday at 4 pm", "Before the 10 am stand-up"],
    "weekly": ["Every Monday morning", "Friday before close of business",
               "Every Wednesday after lunch"],
    "monthly": ["First business day of the month", "On the 25th of each month",
                "Last Friday of the month"],
    "quarterly": ["First week of each quarter", "Two weeks before the quarter ends"],
    "yearly": ["Every January", "30 days before the renewal date", "At the end of the fiscal year"],
    "as-needed": ["When a client asks for it", "When a new hire signs the contract",
                  "When the alert email arrives", "When the owner assigns it in Asana"],
}

PERIODS = {
    "daily": "yesterday", "weekly": "the previous week", "monthly": "last month",
    "quarterly": "the last quarter", "yearly": "the last twelve months", "as-needed": "the request",
}

DURATION_RANGES = {  # minutes, in steps of 5
    "daily": (10, 60), "weekly": (20, 150), "monthly": (30, 240),
    "quarterly": (60, 360), "yearly": (60, 480), "as-needed": (15, 120),
}

PEOPLE = ["the owner", "our accountant", "Zoë at the accountant's office",
          "the client's accounts contact", "the project lead",
          "the supplier's account manager", "the webmaster", "the bookkeeper"]

OPENERS = [
    ("Open **{tool}** and sign in with your own account.", "{Tool} open"),
    ("Open the {obj} tracker in **{tool}** and filter it to {period}.", "Tracker filtered"),
    ("Check the task card in **Asana** for notes from {person}.", "Notes read"),
    ("Download the {obj} for {period} from **{tool}**.", "Files downloaded"),
    ("Open the checklist copy for this run in `{folder}/Checklists` and fill in today's date.",
     "Checklist started"),
]

MIDDLES = [
    ("Compare each line of the {obj} with the source record and flag every difference.",
     "Differences flagged"),
    ("Sort the {obj} by date, oldest first.", "Sorted by date"),
    ("Export the list as CSV to `{folder}/{year}/{slug}.csv`.", "CSV exported"),
    ("Tag each item with the client code from the [naming guide]({wiki}/naming).", "Items tagged"),
    ("Check the totals against {period}; a change above 10% needs a one-line note.",
     "Totals checked"),
    ("Fix what you can; for anything else, message {person} in **Slack** with a link.",
     "Open questions sent"),
    ("Update the status column: *done*, *waiting* or *blocked*, with your initials.",
     "Status updated"),
    ("Rename the files to `YYYY-MM-DD_{slug}` so they sort by date.", "Files renamed"),
    ("Attach the supporting documents to each entry in **{tool}**.", "Documents attached"),
    ("Write the reference number on each item before you file it.", "References written"),
    ("Delete duplicates, keeping the most recent version of each.", "Duplicates removed"),
    ("Check that nothing from {period} is still marked *pending*.", "Nothing pending"),
    ("Move finished items to the *Done* list.", "Items moved to Done"),
    ("Add anything unusual to the exceptions log with a short explanation.", "Exceptions logged"),
    ("Ask {person} to approve the items over the approval limit.", "Approvals requested"),
    ("Record the time spent in the timesheet under `{code}`.", "Time recorded"),
]

CLOSERS = [
    ("Save the result in `{folder}/{year}` and share it with the owner.",
     "Result saved and shared"),
    ("Post a three-line summary in **Slack**: what was done, what is blocked, what is next.",
     "Summary posted"),
    ("Tick the task off in **Asana** and set the date of the next run.", "Next run scheduled"),
    ("Archive the processed {obj} in **{tool}**.", "Archived"),
    ("Email {person} a short confirmation that the {obj} are done.", "Confirmation sent"),
]

SUBSTEPS = [
    "Check the date range covers {period}.",
    "Confirm the currency is {currency}.",
    "Look for blank or duplicated rows.",
    "Compare the count with the last run.",
    "Open each attachment once to be sure it is readable.",
    "Write the total in the tracker.",
    "Copy the reference into the comment field.",
    "Mark the row green when it matches.",
    "Leave a note on anything older than 30 days.",
    "Use the template in `{folder}/Templates`.",
]

DETAILS = [
    "The {obj} usually arrive by email; some suppliers only post them in their portal.",
    "If the list is longer than usual, do the oldest half today and the rest tomorrow.",
    "The tracker has one tab per year. Start a new tab in January and copy the headers.",
    "Use the saved view called *{Verb} - {period}*; it already hides the finished rows.",
    "A typical run has 20-40 items. More than 60 usually means something was missed last time.",
    "Filters:\n\n- status is *open*\n- owner is blank or you\n- dated within {period}\n",
    "What to check:\n\n1. the amount\n2. the date\n3. the reference\n4. the attachment\n",
    "If **{tool}** asks you to sign in again, use the login in the 1Password vault. Do not reset "
    "the password: other people share it, and a reset locks them out.",
    "Work from the top of the list down. When an item needs someone else, leave it marked "
    "*waiting*, add their name, and move on; do not wait for the answer.",
    "The first time, this step takes longer. After three or four runs it should take less than "
    "ten minutes; if it does not, tell the owner so the SOP can be simplified.",
]

TIPS = [
    "Keyboard shortcut: press `/` in **{tool}** to jump to search.",
    "Pin the tracker tab in your browser; you will open it every run.",
    "Batch the messages: one message with five questions beats five messages.",
    "Record a short **Loom** when something is unclear; the owner answers videos faster.",
    "Keep the previous run's file open side by side for comparison.",
    "Copy the text from the template instead of typing it; it keeps the wording consistent.",
]

WARNINGS = [
    "Never delete the original {obj}; archive them instead.",
    "Do not send anything to a client before the owner has approved it the first three times.",
    "Check the recipient twice: client data must never go to the wrong person.",
    "Payments above {currency} 1,000 need the owner's written approval.",
    "Do not change the {tool} settings; ask first.",
    "Never share the screen while the {obj} are open on a call with someone outside the team.",
]

WHYS = [
    "Late {obj} cost money and goodwill; on time, they cost nothing.",
    "The owner decides from this number, so it has to be right, not fast.",
    "Doing it the same way every time makes mistakes easy to spot.",
    "Clients judge the business by small things like this.",
    "It keeps the next step short: tomorrow's run starts where today's ended.",
    "Our accountant relies on this record at year end; gaps here become expensive questions later.",
]

PURPOSE_SENTENCES = [
    "Up-to-date {obj} let the owner see at a glance where the business stands.",
    "When the {obj} slip, clients notice and cash comes in late.",
    "Doing this {freq_word} keeps the work small: a few minutes instead of a lost afternoon.",
    "This run takes about {duration} and frees roughly **{hours} hours** of the owner's month.",
    "It is one of the first tasks a new {role_title} takes over,"
    " because it is routine and easy to check.",
    "A clean record here makes the year-end work with our accountant quick and cheap.",
    "Most runs finish in one sitting; allow 2–3 business days when suppliers are slow to answer.",
    "Mistakes found here are cheap; the same mistakes found by a client are not.",
    "The result feeds the [monthly dashboard]({wiki}/dashboard) that the owner reviews.",
]

DONE_WHEN = [
    "Every item from {period} is marked *done* or has a note",
    "The summary is posted in **Slack**",
    "The files are in `{folder}/{year}` with the agreed names",
    "The owner has nothing to add after reading the summary",
    "The tracker totals match the {tool} totals",
    "The next run is in the calendar",
]

BENCHMARKS = [
    ("{Obj} done within {n} business days", "share done on time", "{pct}%"),
    ("No errors found in the monthly spot check", "errors per 50 items checked", "0"),
    ("Owner spends no time on {obj}", "owner minutes per week", "under 10"),
    ("Questions to the owner go down", "questions per run", "at most {n}"),
    ("{Obj} complete and filed", "items with all documents attached", "{pct}%"),
]

BY = ["day 30", "day 60", "day 90", "week 6", "end of the first quarter", "month 4"]

PHASES = [["Day 1", "Week 1", "Month 1"], ["Days 1-30", "Days 31-60", "Days 61-90"],
          ["Week 1", "Weeks 2-4", "Months 2-3"]]

PHASE_GOALS = [
    ["Get access to every tool and read the role manual", "Meet the owner and agree the benchmarks",
     "Shadow one run of each daily task"],
    ["Run the first SOPs with the owner watching", "Record questions in the shared FAQ",
     "Deliver the first weekly summary"],
    ["Run every SOP of the role alone", "Review the benchmarks with the owner",
     "Suggest one improvement to an SOP"],
]

TRAINING_METHODS = [
    "Read the SOP, watch the recording, then do the task while the owner watches. "
    "From the third run on, work alone and send a summary.",
    "Shadow the owner for one week, then take over one task a day. "
    "Every Friday a **30-minute** review call goes through questions and mistakes.",
    "Work through the [training board]({wiki}/training) in order. Each card links a SOP and a "
    "recording; tick it off when you have run the task twice without help.",
]

ORG_NAMES = ["Harbor Lane Consulting", "Northfield Advisory", "Bright Ledger Studio",
             "Maple & Finch Consulting", "Clearwater Coaching", "Kestrel Business Advisors"]

QUESTION_FOLDERS = ["`{folder}/{year}`", "The owner's desktop", "An email to yourself",
                    "`Downloads`"]


# ---------------------------------------------------------------------------
# YAML emitter
# ---------------------------------------------------------------------------

_RESERVED_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "="])
# Anything that YAML 1.1 (PyYAML) or 1.2 (core schema) might read as a number,
# a date, a boolean or a null: quote it. Deliberately broader than necessary.
_NUMBER_OR_DATE = re.compile(
    r"[-+]?(\.?[0-9][0-9a-fA-FxXoObB_.:eE+-]*|\.(inf|Inf|INF|nan|NaN|NAN))"
    r"|\d{4}-\d\d?-\d\d?([Tt ].*)?"
)
_PLAIN_FIRST = re.compile(r"[A-Za-z0-9(]")
_FLOW_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._'&-]*")


def _plain_ok(text: str) -> bool:
    """Whether ``text`` can be written as a plain (unquoted) block scalar and read back as-is."""
    return bool(
        text
        and _PLAIN_FIRST.match(text)
        and text == text.strip()
        and text.isprintable()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in _RESERVED_WORDS
        and not _NUMBER_OR_DATE.fullmatch(text)
    )


def _scalar(value: Any) -> str:
    """One-line YAML for a scalar value."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("cannot write inf or nan")
        text = repr(value)
        # YAML 1.1 floats need a dot: 1e+16 would read back as a string.
        return text.replace("e", ".0e") if "." not in text else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if _plain_ok(value):
            return value
        # A JSON string is a valid YAML double-quoted scalar.
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _literal_ok(text: str) -> bool:
    """Whether a multi-line string round-trips through a ``|`` or ``|-`` block."""
    if "\n" not in text.rstrip("\n") or text.endswith("\n\n") or text[:1] in (" ", "\t"):
        return False
    return all(line.isprintable() and line == line.rstrip() for line in text.split("\n"))


def _flow(value: list[Any] | dict[str, Any]) -> str | None:
    """A short flow collection (``[a, b]`` or ``{min: 1, max: 2}``), or None if not safe."""
    if isinstance(value, dict):
        if len(value) <= 3 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                   for v in value.values()):
            return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
        return None
    if len(value) <= 6 and all(isinstance(v, str) and _FLOW_ITEM.fullmatch(v) and _plain_ok(v)
                               for v in value):
        text = "[" + ", ".join(value) + "]"
        return text if len(text) <= 70 else None
    return None


def _emit_value(head: str, value: Any, indent: int, out: list[str], *, flow_lists: bool) -> None:
    """Write ``value`` after ``head`` (``"key:"`` or ``"-"``, already indented)."""
    if isinstance(value, dict):
        flow = _flow(value)
        if not value or flow is not None:
            out.append(f"{head} {flow or '{}'}")
        else:
            out.append(head)
            _emit_mapping(value, indent + 2, out)
    elif isinstance(value, list):
        flow = _flow(value) if flow_lists else None
        if not value or flow is not None:
            out.append(f"{head} {flow or '[]'}")
        else:
            out.append(head)
            _emit_sequence(value, indent + 2, out)
    elif isinstance(value, str) and "\n" in value and _literal_ok(value):
        out.append(f"{head} |" if value.endswith("\n") else f"{head} |-")
        pad = " " * (indent + 2)
        out.extend(pad + line if line else "" for line in value.rstrip("\n").split("\n"))
    else:
        out.append(f"{head} {_scalar(value)}")


def _emit_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        _emit_value(f"{pad}{key}:", value, indent, out, flow_lists=key in ("tags", "tools"))


def _emit_sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            start = len(out)
            _emit_mapping(item, indent + 2, out)
            out[start] = f"{pad}- {out[start][indent + 2:]}"
        else:
            _emit_value(f"{pad}-", item, indent, out, flow_lists=False)


def to_yaml(document: dict[str, Any]) -> str:
    """Render a document (dicts, lists, str, int, float, bool, date) as block-style YAML."""
    out: list[str] = []
    _emit_mapping(document, 0, out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------

def slugify(text: str) -> str:
    """Turn a title into an id: ``Profit & loss report 0042`` -> ``profit-loss-report-0042``.

    Runs of anything but ``a-z0-9`` become one hyphen, so the result matches
    ``^[a-z0-9]+(-[a-z0-9]+)*$`` whenever the text holds a letter or a digit.
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def format_duration(minutes: int) -> str:
    """``45`` -> ``45m``, ``240`` -> ``4h``, ``90`` -> ``1h30m``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest}m" if rest else f"{hours}h"


@dataclass
class Role:
    """A role being generated, and the tasks it performs."""

    id: str
    title: str
    domain: Domain
    index: int
    tools: list[str]
    task_ids: list[str]


@dataclass
class TaskPlan:
    """What must be known about a task before any file is written."""

    index: int
    id: str
    title: str
    verb: str
    obj: str
    role: Role
    position: int  # index of this task among its role's tasks


class CorpusGenerator:
    """Builds the documents of one corpus from a seed. Call :meth:`documents`."""

    def __init__(self, *, tasks: int, roles: int, seed: int) -> None:
        self.rng = Random(seed)
        self.task_count = tasks
        self.role_count = roles
        self.org_name = self.rng.choice(ORG_NAMES)
        self.currency = "USD"
        self.wiki = "https://wiki.example.com/handbook"
        self.roles = self._plan_roles()
        self.tasks = self._plan_tasks()
        self.task_by_id = {p.id: p for p in self.tasks}

    # -- planning ----------------------------------------------------------

    def _plan_roles(self) -> list[Role]:
        rng = self.rng
        roles = [Role("owner", "Owner", OWNER_DOMAIN, 0, [], [])]
        templates = [(d, rid, title) for d in DOMAINS for rid, title in d.roles]
        # Breadth first: the first roles are the ones a small business hires first.
        firsts = [(d, *d.roles[0]) for d in DOMAINS]
        order = firsts + [t for t in templates if t not in firsts]
        for i in range(1, self.role_count):
            domain, rid, title = order[(i - 1) % len(order)]
            round_ = (i - 1) // len(order)
            if round_:
                rid, title = f"{rid}-{round_ + 1}", f"{title} {round_ + 1}"
            roles.append(Role(rid, title, domain, i, [], []))
        for role in roles:
            count = rng.randint(3, 6)
            own = rng.sample(role.domain.tools, min(len(role.domain.tools), count - 1))
            extra = [t for t in rng.sample(GENERIC_TOOLS, 3) if t not in own]
            role.tools = (own + extra)[:count]
        return roles

    def _plan_tasks(self) -> list[TaskPlan]:
        rng = self.rng
        width = max(4, len(str(self.task_count)))
        others = self.roles[1:] or self.roles
        # Every role gets at least one task when there are enough tasks to go round.
        first_pass = list(self.roles[1:]) + [self.roles[0]]
        plans = []
        for i in range(self.task_count):
            if i < len(first_pass):
                role = first_pass[i]
            elif rng.random() < 0.03:
                role = self.roles[0]
            else:
                # Earlier roles (the first hires) carry more of the work.
                role = others[min(int(rng.paretovariate(1.2)) - 1, len(others) - 1)] \
                    if rng.random() < 0.5 else rng.choice(others)
            verb, obj = rng.choice(role.domain.tasks).split("|")
            title = f"{verb} {obj} {i + 1:0{width}d}"
            plan = TaskPlan(i, slugify(title), title, verb, obj, role, len(role.task_ids))
            role.task_ids.append(plan.id)
            plans.append(plan)
        return plans

    # -- text helpers ------------------------------------------------------

    def _fill(self, template: str, ctx: dict[str, str]) -> str:
        return template.format(**ctx)

    def _context(self, plan: TaskPlan, frequency: str, duration: str, hours: str) -> dict[str, str]:
        rng = self.rng
        # The tool the task is about: one of the role's own tools rather than Slack or Gmail.
        own = [t for t in plan.role.tools if t in plan.role.domain.tools]
        tool = rng.choice(own or plan.role.tools)
        return {
            "obj": plan.obj, "Obj": plan.obj[:1].upper() + plan.obj[1:], "Verb": plan.verb,
            "tool": tool, "Tool": tool, "period": PERIODS[frequency], "person": rng.choice(PEOPLE),
            "folder": plan.role.domain.folder, "slug": slugify(plan.obj),
            "year": str(REFERENCE_DATE.year - rng.randint(0, 1)), "wiki": self.wiki,
            "code": f"{plan.role.domain.key.upper()}-{rng.randint(100, 999)}",
            "currency": self.currency, "duration": duration, "hours": hours,
            "role_title": plan.role.title.lower(),
            "freq_word": {"as-needed": "as soon as it is needed"}.get(frequency, frequency),
            "n": str(rng.randint(1, 5)), "pct": str(rng.choice([80, 90, 95, 98, 100])),
        }

    def _step(self, template: tuple[str, str], ctx: dict[str, str], notes: dict[str, list[str]],
              *, nested: bool) -> dict[str, Any]:
        """One step; ``notes`` holds this task's unused details, tips... so none repeats."""
        rng = self.rng
        step: dict[str, Any] = {"do": self._fill(template[0], ctx)}
        for key, chance in (("details", 0.35), ("why", 0.15), ("tip", 0.15), ("warning", 0.1)):
            if notes[key] and rng.random() < chance:
                step[key] = self._fill(notes[key].pop(), ctx)
        if rng.random() < 0.04:
            step["video"] = f"https://videos.example.com/{ctx['slug']}/{rng.randint(1, 99)}"
        if nested:
            subs = rng.sample(SUBSTEPS, rng.randint(2, 4))
            step["steps"] = [{"do": self._fill(s, ctx)} for s in subs]
        return step

    # -- documents ---------------------------------------------------------

    def task_document(self, plan: TaskPlan) -> dict[str, Any]:
        """The content of ``sops/tasks/<id>.yml`` for one planned task."""
        rng = self.rng
        frequency = rng.choices(FREQUENCIES, FREQUENCY_WEIGHTS)[0]
        low, high = DURATION_RANGES[frequency]
        minutes = rng.randrange(low, high + 1, 5)
        duration = format_duration(minutes)
        runs_per_month = {"daily": 21.7, "weekly": 4.33, "monthly": 1.0, "quarterly": 1 / 3,
                          "yearly": 1 / 12, "as-needed": 2.0}[frequency]
        hours = f"{max(0.5, round(runs_per_month * minutes / 60 * 2) / 2):g}"
        ctx = self._context(plan, frequency, duration, hours)

        doc: dict[str, Any] = {"title": plan.title, "role": plan.role.id}
        pool = PURPOSE_SENTENCES if plan.role.id != "owner" else PURPOSE_SENTENCES[:4]
        sentences = [self._fill(s, ctx) for s in rng.sample(pool, rng.randint(1, 3))]
        if len(sentences) == 3 and rng.random() < 0.5:
            doc["purpose"] = " ".join(sentences[:2]) + "\n\n" + sentences[2] + "\n"
        else:
            doc["purpose"] = " ".join(sentences)
        roll = rng.random()
        status = "draft" if roll < 0.06 else "retired" if roll < 0.09 else "active"
        if status != "active" or rng.random() < 0.3:
            doc["status"] = status
        doc["frequency"] = frequency
        doc["duration"] = duration
        if frequency == "as-needed" and rng.random() < 0.6:
            doc["hours_per_week"] = rng.choice([0.25, 0.5, 1, 1.5, 2, 3])
        elif rng.random() < 0.03:
            doc["hours_per_week"] = rng.choice([1, 2, 2.5, 4])
        doc["trigger"] = rng.choice(TRIGGERS[frequency])
        prerequisites = self._prerequisites(plan)
        if prerequisites:
            doc["prerequisites"] = prerequisites
        if rng.random() < 0.92:
            others = [t for t in plan.role.tools if t != ctx["tool"]]
            doc["tools"] = [ctx["tool"]] + rng.sample(others, rng.randint(0, min(2, len(others))))

        count = rng.randint(4, 10)
        templates = ([rng.choice(OPENERS)] + rng.sample(MIDDLES, count - 2) + [rng.choice(CLOSERS)])
        nested = set(rng.sample(range(count), rng.randint(1, 2))) if rng.random() < 0.3 else set()
        notes = {key: rng.sample(pool, len(pool)) for key, pool in
                 (("details", DETAILS), ("why", WHYS), ("tip", TIPS), ("warning", WARNINGS))}
        steps = [self._step(t, ctx, notes, nested=i in nested) for i, t in enumerate(templates)]
        doc["steps"] = steps
        if rng.random() < 0.35:
            doc["checklist"] = [self._fill(t[1], ctx) for t in templates]
        doc["done_when"] = [self._fill(s, ctx) for s in rng.sample(DONE_WHEN, rng.randint(2, 4))]
        if rng.random() < 0.3:
            # distinct objectives: a benchmark's id is the slug of its objective, unique in its file
            doc["benchmarks"] = [self._benchmark(kind, ctx) for kind in rng.sample(BENCHMARKS, rng.randint(1, 2))]
        if rng.random() < 0.4:
            doc["quiz"] = self._quiz(plan, frequency, ctx)
        if rng.random() < 0.4:
            doc["maintainer"] = rng.choice([plan.role.id, "owner"])
        if rng.random() < 0.85:
            doc["reviewed"] = REFERENCE_DATE - dt.timedelta(days=rng.randint(0, 900))
        if rng.random() < 0.1:
            doc["review_every"] = rng.choice(["3 months", "12 months", "8 weeks"])
        doc["tags"] = rng.sample(plan.role.domain.tags, rng.randint(1, 3))
        self._top_up(doc, notes, ctx)
        return doc

    def _top_up(self, doc: dict[str, Any], notes: dict[str, list[str]],
                ctx: dict[str, str]) -> None:
        """Give short SOPs more explanation until the file is about 1.5 KB, like real ones."""
        rng = self.rng
        while len(to_yaml(doc)) < MIN_TASK_BYTES:
            candidates = [(step, key) for step in doc["steps"] for key in ("details", "why", "tip")
                          if key not in step and notes[key]]
            if not candidates:
                return
            step, key = rng.choice(candidates)
            step[key] = self._fill(notes[key].pop(), ctx)

    def _prerequisites(self, plan: TaskPlan) -> list[str]:
        rng = self.rng
        if plan.index == 0 or rng.random() >= 0.35:
            return []
        same_role = plan.role.task_ids[max(0, plan.position - 20): plan.position]
        pool = same_role if same_role and rng.random() < 0.85 else \
            [p.id for p in self.tasks[max(0, plan.index - 50): plan.index]]
        return rng.sample(pool, min(len(pool), rng.randint(1, 2)))

    def _benchmark(self, kind: tuple[str, str, str], ctx: dict[str, str]) -> dict[str, str]:
        rng = self.rng
        objective, measure, target = (self._fill(s, ctx) for s in kind)
        bench = {"objective": objective, "measure": measure, "target": target}
        if rng.random() < 0.7:
            bench["by"] = rng.choice(BY)
        return bench

    def _quiz(self, plan: TaskPlan, frequency: str, ctx: dict[str, str]) -> list[dict[str, Any]]:
        rng = self.rng
        pool: list[tuple[str, list[str], int]] = [
            ("How often does this task run?", list(FREQUENCIES), FREQUENCIES.index(frequency)),
            (f"Where do you save the finished {plan.obj}?",
             [self._fill(f, ctx) for f in QUESTION_FOLDERS], 0),
            (f"Something in the {plan.obj} does not match. What do you do first?",
             ["Fix it silently", "Flag it and note the reason in the tracker", "Skip the run",
              "Delete the item"], 1),
            (f"Which tool holds the {plan.obj}?", list(plan.role.tools),
             plan.role.tools.index(ctx["tool"])),
            ("When is this task done?", ["When the time box is up", "When the owner says so",
                                         self._fill(DONE_WHEN[0], ctx)], 2),
        ]
        questions = []
        for question, choices, answer in rng.sample(pool, rng.randint(1, 3)):
            if len(choices) > 4:  # keep the correct answer, drop others
                wrong = [i for i in range(len(choices)) if i != answer]
                keep = sorted([answer, *rng.sample(wrong, 3)])
                answer, choices = keep.index(answer), [choices[i] for i in keep]
            if question != "How often does this task run?":  # that one reads best in order
                correct = choices[answer]
                choices = rng.sample(choices, len(choices))
                answer = choices.index(correct)
            questions.append({"question": question, "choices": choices, "answer": answer})
        return questions

    def role_document(self, role: Role) -> dict[str, Any]:
        """The content of ``sops/roles/<id>.yml``."""
        rng = self.rng
        domain = role.domain
        doc: dict[str, Any] = {"title": role.title}
        cadence = rng.choice(["weekly", "every Friday", "daily in Slack"])
        doc["summary"] = (f"The **{role.title}** {domain.summary}."
                          f" Works from the SOPs below and reports {cadence}.")
        if role.id != "owner":
            boss = self.roles[0] if role.index < 3 or rng.random() < 0.7 else \
                self.roles[rng.randint(1, role.index - 1)]
            doc["reports_to"] = boss.id
            doc["engagement"] = rng.choice(ENGAGEMENTS)
            low, high = domain.rate
            if rng.random() < 0.5:
                lo = rng.randint(low, (low + high) // 2)
                doc["rate"] = {"min": lo, "max": rng.randint(lo + 5, high + 10)}
            else:
                doc["rate"] = rng.randint(low, high)
        else:
            doc["engagement"] = "owner-operator"
            doc["rate"] = 250
        doc["responsibilities"] = rng.sample(
            domain.responsibilities, rng.randint(3, min(5, len(domain.responsibilities))))
        doc["skills"] = rng.sample(domain.skills, rng.randint(3, min(5, len(domain.skills))))
        doc["tools"] = [self._tool(name) for name in role.tools]
        recordings = []
        for n in range(rng.randint(2, 5)):
            title = (f"Walkthrough: {self.task_by_id[role.task_ids[n]].title}"
                     if n < len(role.task_ids) else f"{role.title} orientation, part {n + 1}")
            rec: dict[str, Any] = {"title": title,
                                   "url": f"https://www.loom.com/share/{role.id}-{n + 1:02d}"}
            if rng.random() < 0.8:
                rec["minutes"] = rng.randint(3, 45)
            recordings.append(rec)
        doc["training"] = {"method": rng.choice(TRAINING_METHODS).format(wiki=self.wiki),
                           "recordings": recordings}
        doc["onboarding"] = self._onboarding(role)
        doc["benchmarks"] = [
            {"objective": f"Runs every {role.title.lower()} SOP without help", "measure":
             "SOPs run alone twice in a row", "target": "all", "by": "day 90"},
            {"objective": "Weekly summary on time", "measure": "summaries sent by Friday 5 pm",
             "target": f"{rng.choice([90, 95, 100])}%", "by": rng.choice(BY)},
        ][: rng.randint(1, 2)]
        return doc

    def _tool(self, name: str) -> dict[str, str]:
        rng = self.rng
        url, purpose = TOOLS[name]
        tool = {"name": name, "url": url, "purpose": purpose}
        if rng.random() < 0.85:
            tool["access"] = rng.choice(ACCESS).format(vault=self.rng.choice(
                [d.folder for d in DOMAINS]))
        return tool

    def _onboarding(self, role: Role) -> list[dict[str, Any]]:
        rng = self.rng
        names = rng.choice(PHASES)
        # The role's first tasks in order; later phases take later ones.
        candidates = role.task_ids[:12]
        per_phase = max(1, min(4, len(candidates) // 3))
        phases = []
        for n, name in enumerate(names):
            goals = rng.sample(PHASE_GOALS[n], rng.randint(2, 3))
            phase: dict[str, Any] = {"phase": name, "goals": goals}
            chunk = candidates[n * per_phase:(n + 1) * per_phase]
            if chunk:
                phase["tasks"] = chunk
            phases.append(phase)
        return phases

    def documents(self) -> list[tuple[str, str]]:
        """Every file of the corpus as ``(relative path, text)``, in a fixed order."""
        files = [
            ("mkdocs.yml",
             f"site_name: Generated handbook ({self.task_count} tasks)\n"
             "theme:\n  name: material\nplugins:\n  - search\n  - sopgen\n"),
            ("sops/organization.yml", to_yaml({
                "name": self.org_name, "owner": "owner", "currency": self.currency,
                "review_every": "6 months"})),
        ]
        files += [(f"sops/roles/{r.id}.yml", to_yaml(self.role_document(r))) for r in self.roles]
        files += [(f"sops/tasks/{p.id}.yml", to_yaml(self.task_document(p))) for p in self.tasks]
        return files


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def default_roles(tasks: int) -> int:
    """``max(3, tasks // 50)``, capped at 200."""
    return min(MAX_DEFAULT_ROLES, max(3, tasks // 50))


def write_corpus(out: Path, files: list[tuple[str, str]], *, force: bool) -> int:
    """Write ``files`` under ``out``; return the number of bytes written."""
    if out.exists() and not out.is_dir():
        raise SystemExit(f"make_corpus: {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"make_corpus: {out} is not empty;"
                             f" pass --force to replace {out / 'sops'}")
        sops = out / "sops"
        if sops.is_symlink() or sops.is_file():
            sops.unlink()
        elif sops.is_dir():
            shutil.rmtree(sops)
    for sub in ("sops/roles", "sops/tasks"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    total = 0
    for rel, text in files:
        data = text.encode("utf-8")
        (out / rel).write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, generate the corpus and print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, required=True, help="number of tasks (SOPs)")
    parser.add_argument("--roles", type=int, help="number of roles, owner included "
                        f"(default: max(3, tasks // 50), at most {MAX_DEFAULT_ROLES})")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--out", type=Path, required=True, help="project directory to write")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty directory, replacing its sops/ folder")
    args = parser.parse_args(argv)
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")
    roles = default_roles(args.tasks) if args.roles is None else args.roles
    if roles < 1:
        parser.error("--roles must be at least 1 (the owner)")

    files = CorpusGenerator(tasks=args.tasks, roles=roles, seed=args.seed).documents()
    total = write_corpus(args.out, files, force=args.force)
    print(f"make_corpus: wrote {len(files)} files ({roles} roles, {args.tasks} tasks), "
          f"{total} bytes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
