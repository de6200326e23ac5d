"""A corpus that attacks the HTML report (tests/unit/test_report_html.py, tests/browser/).

Its own module, imported as ``hostile``: ``from conftest import`` would find whichever of the
suite's several conftest modules was imported last.
"""

from __future__ import annotations

#: Each would run code, or change the page, if a report put it into markup unescaped.
HOSTILE_SNIPPETS = (
    "<script>document.title='pwned';window.pwned=1</script>",
    "</textarea><script>alert('textarea')</script>",
    '<a href="javascript:window.pwned=2">click me</a>',
    '" onmouseover="window.pwned=3" data-x="',
    "' onfocus='window.pwned=4' autofocus '",
    '<img src=x onerror="window.pwned=5">',
    '<svg onload="window.pwned=6"></svg>',
    "{{ 7*7 }} {% if true %}template{% endif %}",
)
HOSTILE_FILE = 'x"><img src=y onerror="window.pwned=7">.txt'
HOSTILE_SKIPPED = "<img src=z onerror=window.pwned=10>.txt"
HOSTILE_ID = "<script>window.pwned=8</script>"
HOSTILE_URL = "javascript:window.pwned=9"

_STORY = (
    "The harbour authority said on Monday that the new container terminal would open in the "
    "spring after two years of delays caused by storms, strikes and a shortage of steel. "
    "Officials expect the terminal to handle twice as many ships as the old quay and to bring "
    "several hundred jobs to the town, which lost its shipyard a decade ago. "
)


def hostile_text(edited: bool = False) -> str:
    """A story with every hostile snippet inside it; ``edited`` changes a few words."""
    story = _STORY.replace("Monday", "Tuesday").replace("storms", "floods") if edited else _STORY
    return story + " ".join(HOSTILE_SNIPPETS) + " " + story
