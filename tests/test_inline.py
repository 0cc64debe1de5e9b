"""format_inline: bold, emphasis and safe links only; everything else stays escaped text."""

from __future__ import annotations

import html as html_lib
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from leaflets.text.inline import format_inline, is_allowed_link, plain_text, unsafe_links


def html(text: str) -> str:
    result = format_inline(text)
    assert isinstance(result, Markup)
    return str(result)


def assert_literal(text: str) -> None:
    """`text` comes out as text: no tag at all, and it reads back exactly as written."""
    result = html(text)
    assert "<" not in result
    assert html_lib.unescape(result) == text


# --- what writers may use -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("**very** important", "<strong>very</strong> important"),
        ("*not* a cure", "<em>not</em> a cure"),
        ("*a **b** c*", "<em>a <strong>b</strong> c</em>"),
        ("5 * 3 and 2 * 4", "5 * 3 and 2 * 4"),
        ("**unclosed", "**unclosed"),
        (
            "see [the NHS page](https://www.nhs.uk/medicines/)",
            'see <a href="https://www.nhs.uk/medicines/">the NHS page</a>',
        ),
        ("[**bold**](http://a.example)", '<a href="http://a.example"><strong>bold</strong></a>'),
        ("[email us](mailto:us@a.example)", '<a href="mailto:us@a.example">email us</a>'),
        ("[call us](tel:+44-20-7946-0000)", '<a href="tel:+44-20-7946-0000">call us</a>'),
        (
            '[a](https://example.org "More")',
            '<a href="https://example.org" title="More">a</a>',
        ),
    ],
)  # fmt: skip
def test_bold_emphasis_and_links(text: str, expected: str) -> None:
    assert html(text) == expected


def test_no_paragraph_wrapper_and_no_trailing_newline() -> None:
    assert html("one") == "one"
    assert html("one\ntwo") == "one\ntwo"  # a soft break stays a break, never <br> or <p>


def test_underscore_is_not_emphasis() -> None:
    assert html("_word_ __word__ snake_case and file_name_here") == (
        "_word_ __word__ snake_case and file_name_here"
    )


# --- what stays text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        "<b>bold</b> <!-- comment --> <?php ?>",
        "&amp; &lt; &#x3C;script&#x3E;",
        "{{ 7*7 }} {% if true %}x{% endif %} {# note #}",
        "# not a heading",
        "- not a list",
        "1. not a list either",
        "`not code`",
        "    not a code block",
        "> not a quote",
        "<https://autolinks.example.org>",
        "https://bare.example.org is not turned into a link",
        "~~not struck~~",
        "| not | a | table |",
        "line\\\nbreak",
    ],
)
def test_everything_else_is_escaped_text(text: str) -> None:
    assert_literal(text)


def test_image_syntax_never_makes_an_image() -> None:
    result = html("![x](https://example.org/pic.png)")
    assert "<img" not in result
    assert result == '!<a href="https://example.org/pic.png">x</a>'


def test_link_text_and_address_are_escaped() -> None:
    assert html("[<script>](https://a.example)") == '<a href="https://a.example">&lt;script&gt;</a>'
    assert html('[x](https://a.example/?q="><script>)') == (
        '<a href="https://a.example/?q=%22%3E%3Cscript%3E">x</a>'
    )
    # A quote in the title cannot end the attribute: it is escaped.
    assert html('[x](https://a.example "t\\" onclick=\'y\'")') == (
        '<a href="https://a.example" title="t&quot; onclick=\'y\'">x</a>'
    )


# --- links: only http(s), mailto and tel ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "page.html",
        "../../etc/passwd",
        "/etc/passwd",
        "//evil.example/x",
        "#top",
        "https:evil.example",
        "https:///etc/passwd",
        "https://nhs.uk@evil.example/",
        "mailto:",
        "mailto:nobody",
        "tel:",
        "tel:call-me",
    ],
)
def test_other_links_become_plain_text_and_are_reported(url: str) -> None:
    text = f"[click here]({url})"
    assert_literal(text)
    assert unsafe_links(text) == [url]
    assert not is_allowed_link(url)


def test_a_link_with_a_space_in_angle_brackets_is_refused() -> None:
    text = "[a](<java script:alert(1)>)"
    assert "<a" not in html(text)
    assert unsafe_links(text) == ["java script:alert(1)"]


def test_unsafe_links_lists_only_refused_links_in_order() -> None:
    text = (
        "[ok](https://ok.example) [bad](javascript:x) **[also ok](tel:111)** "
        "[worse](file:///etc/shadow) [fine](mailto:a@b.example)"
    )
    assert unsafe_links(text) == ["javascript:x", "file:///etc/shadow"]
    assert unsafe_links("no links at all, <a href='javascript:x'>html</a>") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://www.nhs.uk/",
        "HTTPS://WWW.NHS.UK/x?y=1#z",
        "http://example.org:8080/path",
        "http://[::1]/",
        "mailto:clinic@example.org",
        "tel:+442079460000",
        "tel:0800-123-456",
    ],
)
def test_allowed_links(url: str) -> None:
    assert is_allowed_link(url)
    assert unsafe_links(f"[x]({url})") == []


def test_international_domain_is_kept_as_punycode() -> None:
    assert html("[x](https://café.example/)") == '<a href="https://xn--caf-dma.example/">x</a>'


# --- bounded time, never an exception ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["[" * 20000, "*" * 50000, "[a](" * 20000, "**a" * 20000, "*a " * 20000, "(" * 50000],
)
def test_pathological_input_is_fast(text: str) -> None:
    # CPU time of this process, not wall-clock: other processes on the machine do not count.
    start = time.process_time()
    format_inline(text)
    unsafe_links(text)
    assert time.process_time() - start < 2.0


@settings(max_examples=100, deadline=1000, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(
            ["*", "**", "_", "[", "]", "(", ")", "<", ">", "&", '"', "'", "\\", "\n", " ",
             "https://a.example", "javascript:", "mailto:a@b.example", "tel:1", "word", "!"]
        )
        | st.text(max_size=5),
        max_size=40,
    )
)  # fmt: skip
def test_any_text_gives_markup_with_only_allowed_tags(parts: list[str]) -> None:
    text = "".join(parts)
    result = html(text)
    unsafe_links(text)
    assert set(re.findall(r"<([^ >]*)", result)) <= {"strong", "/strong", "em", "/em", "a", "/a"}
    for href in re.findall(r'<a href="([^"]*)"', result):
        assert is_allowed_link(href)
    assert result.count("<a ") == len(re.findall(r'<a href="[^"]*"( title="[^"]*")?>', result))


# --- plain_text: the words without the markup -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**very** [important](https://a.example)", "very important"),
        ("*not* a cure", "not a cure"),
        ("[click](javascript:alert(1)) here", "[click](javascript:alert(1)) here"),
        ("<b>x</b> &amp; {{ y }}", "<b>x</b> &amp; {{ y }}"),
        ("_a_ 5 * 3 **b", "_a_ 5 * 3 **b"),
        ("one\ntwo", "one\ntwo"),
    ],
)
def test_plain_text_drops_only_the_markup(text: str, expected: str) -> None:
    assert plain_text(text) == expected


@settings(max_examples=100, deadline=1000, derandomize=True, database=None)
@given(st.text(alphabet="ab *_[]()<>&:/.\n", max_size=40))
def test_plain_text_is_what_format_inline_shows(text: str) -> None:
    shown = html_lib.unescape(re.sub(r"<[^>]*>", "", str(format_inline(text))))
    assert plain_text(text) == shown
