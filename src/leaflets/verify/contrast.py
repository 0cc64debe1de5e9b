"""CSS text in, measured colour contrast out: every text/background pair of a theme.

WCAG 2.x contrast (SC 1.4.3, standards CC1 and CC2; SC 1.4.11 for graphics, CC3),
computed from the CSS alone, without a browser. What counts as a pair is kept simple,
so that the result can be checked by hand:

- A rule that sets `color` is text in that colour on the rule's own `background-color`
  (or the colour inside its `background` shorthand); without one, on the page background.
- A rule that sets a background but no `color` holds text in the page's text colour on
  that background (`.warning` boxes: body text on a tint).
- A rule that sets a border colour draws a graphic that carries meaning (the box around a
  warning, CC4), judged as a graphic (3:1) against the rule's background or the page's.
- The page text colour and background come from the `html`, `:root` and `body` rules
  (later ones win); without them, black on white.

Nesting of elements is not inferred: a rule whose text sits inside another rule's
tinted box is judged on the page background. Custom properties declared on
`:root`/`html`/`body` are resolved; colours that cannot be resolved (unknown names,
unresolved `var()`) are reported as failures with a note, never passed. CSS is parsed and
colours are read by tinycss2 (installed with WeasyPrint), which knows every CSS Color 4 form.
`inherit` and `currentColor` text is skipped (the rule that sets the colour is judged).

Text is "large" (3:1 instead of 4.5:1) when `large_text=True`, or when the rule itself
sets an absolute font size (directly or through a custom property) of at least 18 pt, or
14 pt in bold. Relative sizes (`em`, `%`) depend on the level's body size and are judged
as normal text: the stricter case. To check a page, pass its style sheets joined in
cascade order (theme file, then `style_blocks(html)`), so custom properties resolve.

Graphics: `check_graphics` reads the `fill` and `stroke` colours of SVG markup (or a
Jinja template of it, such as the icon arrays) and checks each against the background
at 3:1 (CC3). A colour equal to the background is the "paper" of an empty shape whose
outline carries it (the empty figures of an icon array), so it is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tinycss2
import tinycss2.color4

NORMAL_TEXT = 4.5
"""WCAG SC 1.4.3 (AA) for normal text (CC1)."""
LARGE_TEXT = 3.0
"""WCAG SC 1.4.3 (AA) for large text, >= 18 pt or >= 14 pt bold (CC2)."""
GRAPHICS = 3.0
"""WCAG SC 1.4.11 for graphics that carry meaning (CC3)."""

DEFAULT_TEXT = "#000000"
DEFAULT_BACKGROUND = "#ffffff"
ROOT_SELECTORS = ("html", ":root", "body")

_NOT_SET = {"transparent", "none", "inherit", "initial", "unset", "revert", "currentcolor"}
_BORDER_PROPERTIES = (
    "border",
    "border-color",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-top-color",
    "border-right-color",
    "border-bottom-color",
    "border-left-color",
    # logical sides (issue 17: the theme mirrors for right-to-left languages)
    "border-inline",
    "border-inline-start",
    "border-inline-end",
    "border-block",
    "border-block-start",
    "border-block-end",
    "border-inline-start-color",
    "border-inline-end-color",
    "outline",
    "outline-color",
)


@dataclass(frozen=True)
class Rgb:
    """An sRGB colour, each channel 0-255, with alpha 0-1."""

    r: float
    g: float
    b: float
    alpha: float = 1.0

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in (self.r, self.g, self.b)))

    def over(self, background: Rgb) -> Rgb:
        """This colour composited over an opaque background."""
        a = self.alpha
        return Rgb(
            self.r * a + background.r * (1 - a),
            self.g * a + background.g * (1 - a),
            self.b * a + background.b * (1 - a),
        )


@dataclass(frozen=True)
class CssRule:
    """One rule: its selector (with enclosing at-rules, e.g. `@page @bottom-left`)."""

    selector: str
    declarations: dict[str, str]


@dataclass(frozen=True)
class ContrastResult:
    selector: str
    fg: str
    bg: str
    ratio: float
    required: float
    passed: bool
    kind: str = "text"
    """`text`, `large text` or `graphic`."""
    standard: str = "CC1"
    """Id in docs/standards.md: CC1 normal, CC2 large text, CC3."""
    note: str = ""

    def describe(self) -> str:
        verdict = "passes" if self.passed else "fails"
        text = (
            f"{self.selector}: {self.kind} {self.fg} on {self.bg} is {self.ratio:.2f}:1, "
            f"{verdict} {self.required:g}:1 ({self.standard})"
        )
        return f"{text}; {self.note}" if self.note else text


# --- colours -----------------------------------------------------------------------------


def parse_colour(value: str) -> Rgb:
    """Any CSS Color 4 colour tinycss2 reads (hex, names, `rgb()`, `hsl()`, `hwb()` ...)."""
    try:
        colour = tinycss2.color4.parse_color(value.strip())
    except (ValueError, TypeError, ZeroDivisionError):  # malformed arguments
        colour = None
    if not isinstance(colour, tinycss2.color4.Color):  # None, or 'currentcolor'
        raise ValueError(f"cannot read colour {value!r}")
    r, g, b = (min(max(channel, 0.0), 1.0) * 255 for channel in colour.to("srgb").coordinates)
    return Rgb(r, g, b, min(max(colour.alpha, 0.0), 1.0))


def relative_luminance(colour: Rgb) -> float:
    """WCAG 2.x relative luminance of an opaque sRGB colour."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast_ratio(foreground: str | Rgb, background: str | Rgb) -> float:
    """WCAG contrast ratio, 1 to 21; a translucent foreground is composited first."""
    bg = background if isinstance(background, Rgb) else parse_colour(background)
    bg = bg.over(Rgb(255, 255, 255)) if bg.alpha < 1 else bg
    fg = foreground if isinstance(foreground, Rgb) else parse_colour(foreground)
    fg = fg.over(bg) if fg.alpha < 1 else fg
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- CSS ---------------------------------------------------------------------------------


def parse_css(css_text: str) -> list[CssRule]:
    """The rules of a style sheet (tinycss2), nested at-rules flattened (`@page @bottom-left`).

    Declarations later in a rule win and `!important` is dropped; blocks without a
    selector (`@font-face` descriptors aside) are kept with their at-rule as selector.
    """
    rules: list[CssRule] = []
    top = tinycss2.parse_stylesheet(css_text, skip_comments=True, skip_whitespace=True)
    _collect(top, "", rules)
    return rules


def _collect(nodes: list[Any], context: str, rules: list[CssRule]) -> None:
    for node in nodes:
        if node.type == "qualified-rule":
            selector = " ".join(tinycss2.serialize(node.prelude).split())
            _add_rule(node.content, f"{context} {selector}".strip(), rules)
        elif node.type == "at-rule" and node.content is not None:
            prelude = " ".join(tinycss2.serialize(node.prelude).split())
            name = f"{context} @{node.at_keyword} {prelude}".strip()
            if node.lower_at_keyword in ("media", "supports", "layer", "document"):
                nested = tinycss2.parse_rule_list(
                    node.content, skip_comments=True, skip_whitespace=True
                )
                _collect(nested, name, rules)
            else:  # @page, @font-face ...: declarations and nested at-rules (@bottom-left)
                _add_rule(node.content, name, rules)


def _add_rule(content: list[Any], selector: str, rules: list[CssRule]) -> None:
    declarations: dict[str, str] = {}
    nested = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            name = item.name if item.name.startswith("--") else item.lower_name
            declarations[name] = tinycss2.serialize(item.value).strip()
        elif item.type in ("at-rule", "qualified-rule"):
            nested.append(item)
    rules.append(CssRule(selector, declarations))
    _collect(nested, selector, rules)


def _selectors(rule: CssRule) -> list[str]:
    return [s.strip() for s in rule.selector.split(",")]


def _resolve(value: str, variables: dict[str, str], depth: int = 0) -> str:
    """Replace `var(--name, fallback)` with the value declared on the root rules."""
    match = re.search(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)", value)
    if not match or depth > 10:
        return value
    name, fallback = match.group(1), match.group(2)
    replacement = variables.get(name, fallback if fallback is not None else match.group(0))
    if replacement == match.group(0):
        return value
    resolved = value[: match.start()] + replacement + value[match.end() :]
    return _resolve(resolved, variables, depth + 1)


def _colour_in(value: str) -> str | None:
    """The colour token of a shorthand (`background: url(x) #fff`, `border: 3px solid red`)."""
    found = None
    for token in tinycss2.parse_component_value_list(value, skip_comments=True):
        if token.type in ("whitespace", "literal"):
            continue
        text = tinycss2.serialize([token])
        if text.lower() in _NOT_SET:
            continue
        try:
            parse_colour(text)
        except ValueError:
            if token.type == "function" and token.lower_name.startswith(("rgb", "hsl", "var")):
                found = text  # a colour we cannot read is reported, never passed
            elif token.type == "hash":
                found = text
            continue
        found = text
    return found


def _background(declarations: dict[str, str], variables: dict[str, str]) -> str | None:
    for name in ("background-color", "background"):
        if name in declarations:
            value = _resolve(declarations[name], variables)
            colour = value if name == "background-color" else _colour_in(value)
            if colour and colour.strip().lower() not in _NOT_SET:
                return colour.strip()
            return None
    return None


def _is_large(declarations: dict[str, str], variables: dict[str, str]) -> bool:
    size = _resolve(declarations.get("font-size", ""), variables)
    match = re.fullmatch(r"\s*([\d.]+)\s*(pt|px)\s*", size)
    if not match:
        return False
    points = float(match.group(1)) * (0.75 if match.group(2) == "px" else 1.0)
    weight = declarations.get("font-weight", "").strip().lower()
    bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 700)
    return points >= 18 or (bold and points >= 14)


def _result(
    selector: str, fg: str, bg: str, required: float, kind: str, standard: str
) -> ContrastResult:
    try:
        background = parse_colour(bg)
        foreground = parse_colour(fg)
    except ValueError as exc:
        return ContrastResult(selector, fg, bg, 0.0, required, False, kind, standard, str(exc))
    opaque = background.over(Rgb(255, 255, 255)) if background.alpha < 1 else background
    ratio = contrast_ratio(foreground, opaque)
    note = "translucent colour composited" if foreground.alpha < 1 or background.alpha < 1 else ""
    fg_shown = foreground.over(opaque).hex if foreground.alpha < 1 else foreground.hex
    return ContrastResult(
        selector, fg_shown, opaque.hex, ratio, required, ratio >= required, kind, standard, note
    )


def check_contrast(css_text: str, large_text: bool = False) -> list[ContrastResult]:
    """Every text/background and border/background pair the style sheet sets, measured.

    See the module docstring for which pairs are found. Results follow the order of the
    rules; the root rule's pair (page text on page background) is among them.
    """
    rules = parse_css(css_text)
    variables: dict[str, str] = {}
    text, background = DEFAULT_TEXT, DEFAULT_BACKGROUND
    for rule in rules:
        if any(s in ROOT_SELECTORS for s in _selectors(rule)):
            variables.update({k: v for k, v in rule.declarations.items() if k.startswith("--")})
    for rule in rules:
        if any(s in ROOT_SELECTORS for s in _selectors(rule)):
            colour = _resolve(rule.declarations.get("color", ""), variables).strip()
            if colour and colour.lower() not in _NOT_SET:
                text = colour
            background = _background(rule.declarations, variables) or background
    results: list[ContrastResult] = []
    for rule in rules:
        declared = rule.declarations
        own_background = _background(declared, variables)
        bg = own_background or background
        large = large_text or _is_large(declared, variables)
        required, kind, standard = (
            (LARGE_TEXT, "large text", "CC2") if large else (NORMAL_TEXT, "text", "CC1")
        )
        if "color" in declared:
            colour = _resolve(declared["color"], variables).strip()
            if colour.lower() not in _NOT_SET:
                results.append(_result(rule.selector, colour, bg, required, kind, standard))
        elif own_background is not None:
            results.append(_result(rule.selector, text, bg, required, kind, standard))
        for name in _BORDER_PROPERTIES:
            if name not in declared:
                continue
            border = _colour_in(_resolve(declared[name], variables))
            if border is None:
                continue
            backgrounds = dict.fromkeys([background, bg])  # outside and inside the box
            for behind in backgrounds:
                results.append(
                    _result(f"{rule.selector} ({name})", border, behind, GRAPHICS, "graphic", "CC3")
                )
    return results


def check_graphics(markup: str, background: str = DEFAULT_BACKGROUND) -> list[ContrastResult]:
    """The `fill` and `stroke` colours in SVG markup (or its template) against the paper.

    Each distinct colour is one result, at 3:1 (CC3). `none`, `currentColor`, template
    expressions and colours equal to the background (an empty shape's paper) are skipped.
    """
    found: dict[str, str] = {}
    pattern = r"""\b(fill|stroke)\s*(?:=\s*["']|:\s*)([^"';}]+)"""
    for attribute, raw in re.findall(pattern, markup):
        value = raw.strip()
        if value.lower() in _NOT_SET or "{" in value or value.startswith("url("):
            continue
        found.setdefault(value.lower(), f'{attribute}="{value}"')
    results = []
    for value, where in found.items():
        try:
            same = parse_colour(value).hex == parse_colour(background).hex
        except ValueError:
            same = False
        if not same:
            results.append(_result(where, value, background, GRAPHICS, "graphic", "CC3"))
    return results


def style_blocks(html: str) -> list[str]:
    """The text of every `<style>` element of an HTML page, to check with the theme."""
    return re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.DOTALL | re.IGNORECASE)


def contrast_problems(results: list[ContrastResult]) -> list[str]:
    """One message per failing pair."""
    return [result.describe() for result in results if not result.passed]
