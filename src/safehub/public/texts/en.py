"""The public question pages in English (``safehub.public.texts``)."""

from __future__ import annotations

from typing import Any

from safehub.services.community import PUBLIC_STATUS
from safehub.services.community.reports import ABOUT, SEEN_TIMES, SIGNS

TEXTS: dict[str, Any] = {
    "language_name": "English",
    "other_language": "cy",
    "other_language_name": "Cymraeg",
    "switch_button": "Save and read this page in Welsh (Cymraeg)",
    "continue_button": "Continue",
    "back": "Back",
    "change": "Change",
    "warning": "Warning",
    "call_999": "If a child is in danger now, call 999.",
    "titles": {
        "about": "What are you worried about?",
        "what": "What did you see or hear?",
        "signs": "Do any of these apply?",
        "when": "When did you see or hear it?",
        "where": "Where did it happen?",
        "identifiers": "Do you know anything that could identify the people or vehicle?",
        "you": "Do you want to tell us who you are?",
        "check": "Check your answers before sending your report",
        "sent": "Report sent",
    },
    "about_choices": ABOUT,
    "sign_choices": SIGNS,
    "time_choices": SEEN_TIMES,
    "months": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "about_hint": "Choose the one that fits best. You can say more on the next pages.",
    "what_hint": "Say what happened and who was there, in your own words. Describe what the "
    "adults did. You can write up to 3,000 characters.",
    "signs_hint": "Select all that apply, or none. This tells the team what to look at first.",
    "when_intro": "If you are not sure, leave these empty.",
    "date_legend": "Date",
    "date_hint": "For example, 27 3 2026",
    "day": "Day",
    "month": "Month",
    "year": "Year",
    "time_legend": "Time of day",
    "not_sure": "Not sure",
    "where_intro": "If you do not know, leave these empty.",
    "postcode": "Postcode",
    "place_label": "Describe the place",
    "place_hint": "For example, the name of a hotel or shop, a street, a park. Up to 500 "
    "characters.",
    "identifiers_intro": "Only if you know them. Do not try to find out more yourself.",
    "vehicle": "Vehicle registration",
    "phone": "Phone number",
    "handle": "Username or profile online",
    "handle_hint": "And which app or website, for example Snapchat",
    "subject_name": "Their name",
    "subject_age": "Their age or date of birth",
    "subject_age_hint": "For example, about 40, or 27 3 1985",
    "other": "Anything else, such as a nickname or what someone looks like",
    "other_hint": "Up to 300 characters",
    "you_hint": "You do not have to. Without your name you can still come back to your report "
    "with its reference and secret phrase, and answer our questions.",
    "stay_anonymous": "No, I want to stay anonymous",
    "yes": "Yes",
    "if_yes": "If you chose Yes:",
    "your_name": "Your name",
    "contact": "A phone number or email address we can contact you on",
    "contact_hint": "Only if it is safe for us to contact you there",
    "share_legend": "May the team see the exact postcode and day?",
    "share_hint": "Unless you say yes, the team sees only the area (for example LS1) and the "
    "week, so that where and when you were cannot point to you. What you wrote in your own "
    "words is shown as you wrote it.",
    "share_no": "No, only the area and the week",
    "share_yes": "Yes, the exact postcode and day",
    "check_keys": {
        "about": "What you are worried about",
        "what": "What you saw or heard",
        "signs": "What applies",
        "when": "When",
        "where": "Where",
        "identifiers": "What could identify them",
        "you": "Who you are",
        "share": "The team may see",
    },
    "none_of_these": "None of these",
    "not_known": "Not known",
    "nothing": "Nothing",
    "anonymous": "Anonymous",
    "exact": "The exact postcode and day",
    "area_week": "Only the area and the week",
    "send_heading": "Now send your report",
    "send_body": "When you send it you will get a reference and a secret phrase. Write them "
    "down: with them you can come back to see what is happening, add information and answer "
    "our questions.",
    "send_button": "Send report",
    "your_reference": "Your reference",
    "danger_said": "You said a child is in danger now. Call 999 now if you have not already.",
    "phrase_heading": "Your secret phrase",
    "phrase_body": "Write down your reference and secret phrase and keep them somewhere safe. "
    "We cannot show the phrase again, and nobody at the hub knows it.",
    "next_heading": "What happens next",
    "next_before_link": "A member of the local safeguarding team will read your report. They "
    "may ask you a question: to read it and answer,",
    "next_link": "come back to your report",
    "next_after_link": "with your reference and secret phrase.",
    "not_tell": "We will not tell anyone you made this report. We do not keep your internet "
    "address.",
    # Every page
    "error_word": "Error",
    "skip_link": "Skip to main content",
    "success": "Success",
    "problem": "There is a problem",
    "error_prefix": "Error: ",
    "language_label": "Language",
    "footer": "Safehub is open source under the MIT licence.",
    "privacy_link": "How we use what you tell us",
    # Coming back to a report
    "return_title": "Come back to your report",
    "return_intro": "Enter the reference and secret phrase you were given when you sent your "
    "report.",
    "reference": "Reference",
    "reference_hint": "For example, CR-7K3M-9PQD",
    "phrase": "Secret phrase",
    "phrase_hint": "Four words",
    "report_title": "Your report",
    "message_added": "Thank you. Your message was added to your report.",
    "sent_at": "Sent",
    "happening": "What is happening",
    "statuses": PUBLIC_STATUS,
    "messages": "Messages",
    "from_team": "The safeguarding team",
    "from_you": "You",
    "no_messages": "No messages yet. If the team has a question, it will appear here.",
    "answer_label": "Answer the team's question",
    "add_label": "Add information to your report",
    "message_hint": "Up to 2,000 characters",
    "send": "Send",
    "leave": "Leave your report",
    "at": "at",
    "am": "am",
    "pm": "pm",
    # The slow-down page
    "slow_title": "Please wait a few minutes, then try again",
    "slow_why": "A lot has been sent from your internet connection in the last few minutes. "
    "This can happen on a shared connection, such as at a school or a library.",
    "slow_before_link": "Nothing you typed has been lost. Wait a few minutes, then",
    "slow_link": "go back and try again",
    "slow_call": "If you cannot wait, call the police on 101.",
    # The shared error pages (public.app.error_page)
    "not_found_title": "Page not found",
    "not_found_body": "If you typed the web address, check it is correct. If you pasted the web "
    "address, check you copied the entire address.",
    "expired_title": "Your form could not be sent",
    "expired_body": "The page had expired. Go back, reload the page and try again.",
    "broken_title": "Sorry, there is a problem with the service",
    "broken_body": "Nothing you sent has been lost or half-saved. Try again later. If a child is "
    "in danger now, call 999.",
    "problem_title": "Sorry, there is a problem",
    "problem_body": "Something you sent could not be read. Go back and try again.",
    "error_reference": "Reference:",
    "error_start_link": "Go to the start page",
    # The privacy notice
    "privacy_title": "How we use what you tell us",
    "privacy_who": "This service is run by the local safeguarding partnership: the council's "
    "children's services, the police and health services working together to protect children.",
    "privacy_kept_heading": "What we keep",
    "privacy_kept": [
        "What you tell us in the form, and the messages between you and the team.",
        "Your name and how to contact you, only if you choose to give them.",
        "A scrambled form of your secret phrase, which cannot be turned back into the phrase.",
    ],
    "privacy_not_kept_heading": "What we do not keep",
    "privacy_not_kept": [
        "Your internet (IP) address, or anything about your device.",
    ],
    "privacy_blurred": "Unless you agree otherwise, the team sees only the area (for example "
    "LS1) and the week of what you saw, not the exact postcode and day. Nothing on this site is "
    "loaded from, or sent to, another company: there are no analytics or advertising cookies. "
    "The only cookie keeps your answers together while you write them and ends when you close "
    "your browser.",
    "privacy_how_long_heading": "How long we keep it",
    "privacy_how_long": [
        "Your answers, if you stop before sending: deleted within 2 hours.",
        "A scrambled form of your internet address, used only to slow down floods of reports: "
        "deleted within 24 hours.",
        "If the team adds your report to the shared record (as a referral, an intelligence "
        "record or a note on a case), it is kept as long as that record. A record about the "
        "sexual abuse of a child is reviewed 75 years after its last entry, as the Independent "
        "Inquiry into Child Sexual Abuse recommended, and a person decides whether to keep it.",
        "A report that is not added to the shared record, and its messages, are reviewed "
        "{period} after the last message on it (the partnership's data protection officer sets "
        "this period). A person then decides whether to keep it for longer, remove the details "
        "that could identify anyone, or delete it. Nothing is deleted without that decision, and "
        "every decision is recorded.",
    ],
    "privacy_why_heading": "Why we use it",
    "privacy_why": "To protect children from harm (a public task, and the safeguarding of "
    "children under the Data Protection Act 2018). Staff who read reports are safeguarding "
    "leads, and every time a report is read it is recorded.",
    # The services' messages are English already: nothing to translate.
    "errors": {},
    "too_long": "{what} must be {most} characters or fewer",
    "field_names": {},
}
