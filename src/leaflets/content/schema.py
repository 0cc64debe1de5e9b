"""Model classes in, JSON Schema out: what editors use for completion, hover help and squiggles.

One source of truth: the schema is generated from the same pydantic classes the loader
validates with (`model.py`), whose field descriptions are the hover help. This module only
adds what pydantic cannot know: an `examples` list on every field (taken from the sample
content), a title per file kind, and the `$schema` dialect. `leaflets.schema.json` at the
repository root is this module's output for leaflet files; a test keeps it current.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .model import BlockLibrary, Clinic, Leaflet, Project, SourceList

#: The committed schema of leaflet files, at the project root (editors find it there).
SCHEMA_FILE = "leaflets.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: File kind -> (model, title shown by editors).
KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "leaflet": (Leaflet, "leaflets: a leaflet file (content/leaflets/ID.yaml)"),
    "project": (Project, "leaflets: the project file (leaflets.yaml)"),
    "clinic": (Clinic, "leaflets: a clinic file (clinics/ID/clinic.yaml)"),
    "blocks": (BlockLibrary, "leaflets: shared blocks (content/blocks/*.yaml)"),
    "sources": (SourceList, "leaflets: the source list (content/sources.yaml)"),
}

_EASY = "About 69 out of 100 people felt much better with the spray."
_PER_LEVEL: list[Any] = [
    {
        "easy": "Ketamine and esketamine",
        "plain": "Ketamine and esketamine for depression",
        "detailed": "Ketamine and esketamine for depression: what the evidence shows",
    },
    {"all": "What are the risks?"},
]

#: Description of a model (or field) that model.py has none for yet: (model, field or "").
#: Each entry is a gap to close in model.py; the generated schema must explain every key.
FALLBACK_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("Logo", ""): "The clinic's logo: an image file next to clinic.yaml, with its alt text.",
    ("BlockLibrary", "blocks"): "Blocks that leaflets reuse with `- use: block-id`.",
    ("SourceList", "sources"): "Sources by id (e.g. S11): every number and claim cites one.",
}

#: Examples per model and field, mostly from the sample content (content/, leaflets.yaml).
EXAMPLES: dict[str, dict[str, list[Any]]] = {
    "Leaflet": {
        "id": ["ketamine-esketamine-depression"],
        "version": ["1.0", "2.1"],
        "language": ["en-GB", "cy-GB"],
        "levels": [["easy", "plain", "detailed"], ["plain"]],
        "title": _PER_LEVEL[:1],
        "summary": [
            {
                "easy": "Esketamine is a nose spray for depression.\n\n" + _EASY,
                "plain": "Esketamine nasal spray is a licensed treatment for adults whose "
                "depression has not improved after at least 2 antidepressants.",
            }
        ],
        "evidence_checked": ["2026-11-24"],
        "next_review": ["2027-11-24"],
        "pagination": [
            {"allow": ["short-last-page"], "reason": "The last page is the contact details."}
        ],
        "kind": ["decision", "treatment", "information"],
        "clinics": [["riverside"]],
        "about": [
            {
                "authors": ["Leaflets editorial team"],
                "funding": "No external funding.",
                "conflicts": "The authors declare none.",
                "update_policy": "Checked every year, and sooner when the evidence changes.",
            }
        ],
        "sources": [
            {
                "ear-S1": {
                    "title": "Glue ear",
                    "organisation": "NHS website",
                    "accessed": "2026-11-27",
                    "url": "https://www.nhs.uk/conditions/glue-ear/",
                }
            }
        ],
        "glossary": [
            [{"term": "placebo", "meaning": {"all": "A dummy treatment with no medicine in it."}}]
        ],
        "sections": [
            [
                {
                    "id": "benefits",
                    "kind": "benefits",
                    "heading": {"all": "What are the benefits?"},
                    "blocks": [{"use": "esketamine-response"}],
                }
            ]
        ],
        "reviews": [
            [
                {
                    "by": "Leaflets editorial team",
                    "role": "editor",
                    "date": "2026-11-27",
                    "next_review": "2027-11-27",
                    "fingerprint": "sha256:" + "0" * 64,
                }
            ]
        ],
    },
    "Section": {
        "id": ["benefits", "who-should-not"],
        "kind": ["benefits", "uncertainty", "risks", "general"],
        "heading": [
            {"easy": "How can it help?", "plain": "What are the benefits?"},
            {"all": "What do we not know?"},
        ],
        "blocks": [[{"use": "esketamine-no-driving"}, {"id": "risk-misuse", "text": {"all": "…"}}]],
        "options": [["wait", "grommets"]],
    },
    "About": {
        "authors": [["Leaflets editorial team"], ["Dr A Writer", "B Editor"]],
        "funding": ["No external funding."],
        "conflicts": ["The authors declare none."],
        "update_policy": ["Checked every year, and sooner when the evidence changes."],
    },
    "Option": {
        "id": ["wait", "grommets"],
        "name": [{"all": "Wait and see"}, {"easy": "Tiny tubes", "plain": "Grommets"}],
        "involves": [{"all": "Check the hearing again in 3 months."}],
        "like": [{"all": "Nothing is done to your child while you wait."}],
    },
    "OptionGrid": {
        "options": [["wait", "hearing-aids", "grommets"]],
        "rows": [
            [
                {
                    "question": {"all": "Does my child need an operation?"},
                    "answers": {
                        "wait": {"text": {"all": "No"}},
                        "grommets": {"text": {"all": "Yes, a short one"}},
                    },
                }
            ]
        ],
    },
    "GridRow": {
        "question": [{"all": "How long does it take?"}],
        "answers": [{"wait": {"text": {"all": "3 months"}}, "grommets": {"numbers": "ear-better"}}],
    },
    "GridAnswer": {
        "text": [{"all": "No"}, {"easy": "A short stay", "plain": "A day in hospital"}],
        "numbers": ["ear-better"],
    },
    "Block": {
        "id": ["benefit-response", "risk-dissociation"],
        "kind": ["text", "list", "warning", "frequencies", "decision", "option", "option_grid"],
        "intro": [{"all": "Get help now if:"}],
        "option": [
            {
                "id": "wait",
                "name": {"all": "Wait and see"},
                "involves": {"all": "Check again in 3 months."},
                "like": {"all": "Nothing is done while you wait."},
            }
        ],
        "grid": [
            {
                "options": ["wait", "grommets"],
                "rows": [
                    {
                        "question": {"all": "Is there an operation?"},
                        "answers": {
                            "wait": {"text": {"all": "No"}},
                            "grommets": {"text": {"all": "Yes"}},
                        },
                    }
                ],
            }
        ],
        "options": [["wait"], ["wait", "grommets"]],
        "text": [
            {
                "easy": _EASY + "\n\nAbout 52 out of 100 people felt much better without it.",
                "plain": "Out of 100 adults, about 69 felt much better after 4 weeks with "
                "esketamine added, compared with about 52 out of 100 with a placebo spray.",
            },
            {"all": "Do not drive until the next day, after a night's sleep."},
        ],
        "items": [
            {"all": ["Could esketamine help me?", "What happens if I stop?"]},
        ],
        "frequencies": [
            {
                "out_of": 100,
                "who": {"all": "people"},
                "time": {"all": "after 4 weeks"},
                "outcome": {"all": "felt much better"},
                "groups": [
                    {"label": {"all": "with the spray"}, "count": 69},
                    {"label": {"all": "with a dummy spray"}, "count": 52},
                ],
            }
        ],
        "certainty": [
            {"rating": "low", "reason": "Only one of three short-term trials met its main goal."}
        ],
        "levels": [["plain", "detailed"], ["detailed"]],
        "image": [{"path": "images/clock.svg", "alt": "A clock"}],
        "sources": [["S11", "S13"]],
        "reviews": [
            [
                {
                    "by": "Dr Jane Smith",
                    "role": "consultant psychiatrist",
                    "date": "2026-11-25",
                    "next_review": "2027-11-25",
                    "clinical": True,
                    "fingerprint": "sha256:" + "0" * 64,
                }
            ]
        ],
        "readability": [
            {"reason": "The trial's name must be given in full.", "sentence_words_max": 20}
        ],
    },
    "BlockUse": {"use": ["esketamine-no-driving", "questions-any-treatment"]},
    "Frequencies": {
        "out_of": [100, 1000],
        "who": [{"easy": "people", "plain": "adults in the short-term trials"}],
        "time": [{"all": "after 4 weeks"}, {"all": "on treatment days"}],
        "outcome": [{"easy": "got much better", "plain": "improved a lot"}],
        "outcome_not": [{"all": "did not"}],
        "groups": [
            [
                {"label": {"all": "with the spray"}, "count": 41},
                {"label": {"all": "with a dummy spray"}, "count": 9},
            ]
        ],
    },
    "Group": {
        "label": [{"easy": "with the spray", "plain": "with esketamine"}],
        "count": [69, 52],
        "option": ["wait", "grommets"],
    },
    "CertaintyRating": {
        "rating": ["high", "moderate", "low", "very_low"],
        "reason": ["Side-effect rates from the pooled randomised short-term trials (S2, S3)."],
    },
    "Image": {
        "path": ["images/clock.svg", "images/nasal-spray.svg"],
        "alt": ["A clock", "A nasal spray bottle"],
    },
    "GlossaryEntry": {
        "term": ["dissociation", "treatment-resistant depression"],
        "forms": [["antidepressants"], ["TRD"]],
        "meaning": [
            {"easy": "Feeling cut off from yourself.", "plain": "Feeling disconnected."},
            {"all": "A medicine for depression."},
        ],
    },
    "PaginationOverride": {
        "allow": [["short-last-page"], ["orphan-heading", "lonely-page"]],
        "reason": ["The last page is the notes page the clinic asked for."],
    },
    "ReadabilityOverride": {
        "reason": ["The trial's name must be given in full."],
        "smog_max": [9],
        "sentence_words_max": [20],
    },
    "Review": {
        "by": ["Dr Jane Smith", "Leaflets editorial team"],
        "role": ["consultant psychiatrist", "editorial check against sources"],
        "date": ["2026-11-25"],
        "next_review": ["2027-11-25"],
        "clinical": [True, False],
        "levels": [["plain", "detailed"], ["easy"]],
        "fingerprint": ["sha256:" + "0" * 64],
    },
    "Project": {
        "pagination": [{"min_last_page_lines": 6}],
        "name": ["Leaflets sample library"],
        "publisher": ["Riverside Mood Clinic patient information team"],
        "language": ["en-GB"],
        "paper": ["a4", "letter"],
        "feedback": ["Tell us what you think of this leaflet at https://example.org/feedback."],
        "other_formats": ["Ask the clinic for easy read, plain, detailed or large print."],
        "levels": [
            {
                "easy": {
                    "label": "Easy read",
                    "font_size_pt": 16,
                    "easy_read": True,
                    "targets": {"smog_max": 6, "sentence_words_max": 15},
                },
                "plain": {"label": "Plain", "font_size_pt": 12},
            }
        ],
        "certainty_phrases": [{"plain": {"low": "We are not sure. The studies were small."}}],
        "outputs": [{"papers": ["a4", "letter"], "large_print": True, "formats": ["pdf", "html"]}],
    },
    "Pagination": {"min_last_page_lines": [6, 4], "edge_mm": [5, 6]},
    "Level": {
        "max_pages": [12, 8],
        "label": ["Easy read", "Plain", "Detailed"],
        "description": ["Short sentences, everyday words and a picture beside each idea."],
        "font_size_pt": [16, 12],
        "line_height": [1.6, 1.5],
        "easy_read": [True],
        "certainty_style": ["plain", "grade"],
        "targets": [{"smog_max": 8, "sentence_words_max": 25}],
        "flag_jargon": [False],
        "references": [True],
    },
    "Targets": {
        "smog_max": [6, 8, 12],
        "fk_max": [6],
        "sentence_words_max": [15, 25, 30],
        "inflesz_min": [65, 55, 40],
    },
    "Outputs": {
        "booklet": [True, False],
        "papers": [["a4"], ["a4", "letter"]],
        "large_print": [True],
        "formats": [["pdf"], ["pdf", "html"]],
        "clinics": [["clinics/riverside/clinic.yaml"]],
        "languages": [["en", "es", "ar"]],
    },
    "Clinic": {
        "id": ["riverside"],
        "name": ["Riverside Mood Clinic"],
        "logo": [{"path": "logo.svg", "alt": "Riverside Mood Clinic logo"}],
        "address": [["1 River Street", "Townsville TS1 1AA"]],
        "phone": ["01632 960000"],
        "opening_hours": ["Monday to Friday, 9am to 5pm"],
        "web": ["https://example.org/riverside"],
        "leaflet_url": ["https://example.org/riverside/leaflets/{leaflet}/{level}"],
        "leaflets": [["ketamine-esketamine-depression"]],
        "urgent_help": [
            [{"name": "Riverside crisis line", "phone": "01632 960001", "when": "day or night"}]
        ],
    },
    "UrgentRoute": {
        "name": ["Riverside crisis line"],
        "phone": ["01632 960001"],
        "when": ["any time, day or night"],
    },
    "Logo": {"path": ["logo.svg"], "alt": ["Riverside Mood Clinic logo"]},
    "Source": {
        "title": ["Benefit-risk assessment of esketamine nasal spray"],
        "organisation": ["Clinical Pharmacology & Therapeutics", "NICE"],
        "year": [2021],
        "accessed": ["2026-11-27"],
        "url": ["https://pmc.ncbi.nlm.nih.gov/articles/PMC7894501/"],
        "animal_study": [True],
    },
    "SourceList": {
        "sources": [
            {"S11": {"title": "Benefit-risk assessment", "organisation": "NICE", "year": 2021}}
        ]
    },
    "BlockLibrary": {
        "blocks": [
            [{"id": "no-driving", "kind": "warning", "text": {"all": "Do not drive today."}}]
        ]
    },
}


def json_schema(kind: str = "leaflet") -> dict[str, Any]:
    """The JSON Schema of one kind of file (`KINDS`), with examples on every field."""
    model, title = KINDS[kind]
    generated = model.model_json_schema()
    schema: dict[str, Any] = {"$schema": DIALECT, **generated, "title": title}
    for name, definition in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        _annotate(name, definition)
    return schema


def schema_text(kind: str = "leaflet") -> str:
    """The schema as the committed file holds it: stable key order, one trailing newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _annotate(name: str, definition: dict[str, Any]) -> None:
    if not definition.get("description") and (name, "") in FALLBACK_DESCRIPTIONS:
        definition["description"] = FALLBACK_DESCRIPTIONS[(name, "")]
    examples = EXAMPLES.get(name, {})
    for field, prop in definition.get("properties", {}).items():
        if not prop.get("description") and (name, field) in FALLBACK_DESCRIPTIONS:
            prop["description"] = FALLBACK_DESCRIPTIONS[(name, field)]
        if field in examples:
            prop["examples"] = examples[field]
