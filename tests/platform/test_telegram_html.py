import html
import itertools

import pytest
from aiogram.types import MessageEntity
from aiogram.utils import formatting as fmt
from aiogram.utils.text_decorations import html_decoration

from bot.telegram.html import TelegramHtmlError, parse_html, utf16_length


def entity(type_: str, offset: int, length: int, **extra: str) -> MessageEntity:
    return MessageEntity(type=type_, offset=offset, length=length, **extra)


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_simple_tags(tag: str, kind: str) -> None:
    assert parse_html(f"x <{tag}>yz</{tag}>!") == ("x yz!", [entity(kind, 2, 2)])


@pytest.mark.parametrize("source", ["<B>x</B>", "<Strong>x</sTRONG>", "<b>x</>", "<b >x</b >"])
def test_tag_names_are_case_insensitive_and_may_have_spaces(source: str) -> None:
    assert parse_html(source) == ("x", [entity("bold", 0, 1)])


@pytest.mark.parametrize(
    "source",
    [
        '<span class="tg-spoiler">s</span>',
        "<span class='tg-spoiler'>s</span>",
        "<span class=tg-spoiler>s</span>",
        "<span class=TG-Spoiler>s</span>",  # an unquoted value is a case-insensitive token
        '<span id="x" class = "tg-spoiler" >s</span>',
    ],
)
def test_span_spoiler(source: str) -> None:
    assert parse_html(source) == ("s", [entity("spoiler", 0, 1)])


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ('<a href="https://example.com/a?b=1">link</a>', "https://example.com/a?b=1"),
        ("<a href='https://example.com/\"q\"'>link</a>", 'https://example.com/"q"'),
        ("<a href=example.com>link</a>", "example.com"),
        ('<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">link</a>', 'https://e.com/?a=1&b="2"'),
        # Telegram keeps an undecodable "&" in an attribute, and aiogram's link() relies on it
        ('<a href="https://e.com/?a=1&b=2">link</a>', "https://e.com/?a=1&b=2"),
        ('<a title="t" href="tg://user?id=1">link</a>', "tg://user?id=1"),
    ],
)
def test_links(source: str, url: str) -> None:
    assert parse_html(source) == ("link", [entity("text_link", 0, 4, url=url)])


def test_aiogram_link_decoration_parses() -> None:
    source = html_decoration.link("go", "https://e.com/?a=1&b=2")
    assert parse_html(source) == ("go", [entity("text_link", 0, 2, url="https://e.com/?a=1&b=2")])


def test_aiogram_formatting_round_trip() -> None:
    content = fmt.Text(
        "😀 ",
        fmt.Bold("Привет ", fmt.Italic("мир")),
        fmt.TextLink(" l&nk ", url="https://e.com/?a=1&b=2"),
        fmt.Code("c<"),
        fmt.Spoiler("s"),
        fmt.BlockQuote("q"),
        fmt.ExpandableBlockQuote("e"),
        fmt.CustomEmoji("👍", custom_emoji_id="5368324170671202286"),
        fmt.Underline("u"),
        fmt.Strikethrough("s"),
        fmt.Pre("x = 1", language="python"),
    )
    expected = content.as_kwargs()
    # aiogram renders the language as <code language="language-python">, an attribute
    # Telegram ignores: the pre loses its language, as it would on the real Bot API
    pre = expected["entities"][-1]
    expected_entities = [*expected["entities"][:-1], pre.model_copy(update={"language": None})]
    assert parse_html(content.as_html()) == (expected["text"], expected_entities)


@pytest.mark.parametrize(
    "source",
    [
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "<tg-emoji emoji-id='5368324170671202286'>👍</tg-emoji>",
        "<tg-emoji emoji-id=5368324170671202286>👍</tg-emoji>",
    ],
)
def test_custom_emoji(source: str) -> None:
    assert parse_html(source) == (
        "👍",
        [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    )


@pytest.mark.parametrize(
    "source",
    [
        '<pre><code class="language-python">x = 1</code></pre>',
        "<pre><code class='language-python'>x = 1</code></pre>",
        "<PRE><CODE class=language-Python>x = 1</CODE></PRE>",
        '<code class="language-python"><pre>x = 1</pre></code>',
    ],
)
def test_pre_with_language(source: str) -> None:
    assert parse_html(source) == ("x = 1", [entity("pre", 0, 5, language="python")])


def test_pre_with_plain_code_is_one_pre() -> None:
    assert parse_html("<pre><code>x</code></pre>") == ("x", [entity("pre", 0, 1)])


def test_code_keeps_no_language_outside_pre() -> None:
    assert parse_html('<code class="language-python">x</code>') == ("x", [entity("code", 0, 1)])


def test_code_inside_longer_pre_stays_separate() -> None:
    assert parse_html("<pre>a <code>b</code></pre>") == (
        "a b",
        [entity("pre", 0, 3), entity("code", 2, 1)],
    )


@pytest.mark.parametrize(
    "source",
    [
        "<blockquote expandable>q</blockquote>",
        "<blockquote  expandable >q</blockquote>",
        '<blockquote expandable="">q</blockquote>',
    ],
)
def test_expandable_blockquote(source: str) -> None:
    assert parse_html(source) == ("q", [entity("expandable_blockquote", 0, 1)])


def test_unknown_attributes_are_ignored() -> None:
    assert parse_html("<b class=\"x\" data-y='z'>x</b>") == ("x", [entity("bold", 0, 1)])


def test_nesting() -> None:
    text, entities = parse_html(
        "<b>bold <i>both <u>all</u></i></b> <s>s<tg-spoiler>p</tg-spoiler></s>"
        '<blockquote>q <a href="https://e.com"><b>l</b></a></blockquote>'
    )
    assert text == "bold both all spq l"
    assert entities == [
        entity("bold", 0, 13),
        entity("italic", 5, 8),
        entity("underline", 10, 3),
        entity("strikethrough", 14, 2),
        entity("spoiler", 15, 1),
        entity("blockquote", 16, 3),
        entity("text_link", 18, 1, url="https://e.com"),
        entity("bold", 18, 1),
    ]


def test_same_span_entities_in_telegram_order() -> None:
    # tdlib sorts by offset, then longer first, then by a fixed type priority
    assert parse_html("<i><b>x</b></i>")[1] == [entity("bold", 0, 1), entity("italic", 0, 1)]
    assert parse_html("<b><i>x</i></b>")[1] == [entity("bold", 0, 1), entity("italic", 0, 1)]


def test_entities_decoded() -> None:
    assert parse_html("&lt;b&gt; &amp; &quot;q&quot;") == ('<b> & "q"', [])


def test_numeric_entities() -> None:
    assert parse_html("&#65;&#x42;&#1071;&#x1F600;&#x1f600;") == ("ABЯ😀😀", [])


def test_semicolon_is_optional_as_in_telegram() -> None:
    assert parse_html("&lt&#65 &amp") == ("<A &", [])


def test_bare_greater_than_is_accepted() -> None:
    assert parse_html("a > b <b>></b>") == ("a > b >", [entity("bold", 6, 1)])


def test_newlines_kept() -> None:
    assert parse_html("<b>a\nb</b>\n\nc\r\n") == ("a\nb\n\nc\r\n", [entity("bold", 0, 3)])


def test_empty_entities_dropped() -> None:
    assert parse_html("<b></b>x<i><u></u></i>") == ("x", [])


def test_empty_custom_emoji_is_not_checked() -> None:
    assert parse_html("<tg-emoji></tg-emoji>") == ("", [])


def test_utf16_offsets_cyrillic() -> None:
    assert parse_html("Привет, <b>мир</b>") == ("Привет, мир", [entity("bold", 8, 3)])


def test_utf16_offsets_after_surrogate_pair() -> None:
    text, entities = parse_html("😀 <b>Привет 👋</b> <i>x</i>")
    assert text == "😀 Привет 👋 x"
    assert entities == [entity("bold", 3, 9), entity("italic", 13, 1)]


def test_utf16_offsets_after_numeric_astral_entity() -> None:
    assert parse_html("&#x1F600;<b>x</b>") == ("😀x", [entity("bold", 2, 1)])


def test_utf16_length() -> None:
    assert utf16_length("") == 0
    assert utf16_length("abc") == 3
    assert utf16_length("Привет") == 6
    assert utf16_length("😀") == 2
    assert utf16_length("👨‍👩‍👧") == 8
    assert utf16_length("a😀b") == 4


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("line<br/>", 'Unsupported start tag "br/" at byte offset 4'),
        ("<tg-time unix=1>x</tg-time>", 'Unsupported start tag "tg-time" at byte offset 0'),
        ("Привет <p>", 'Unsupported start tag "p" at byte offset 13'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("1 <2 apples", 'Unsupported start tag "2" at byte offset 2'),
        ("1<2", "Unclosed start tag at byte offset 1"),
        ("x<", "Unclosed start tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("AT&T", 'Unsupported HTML entity or unescaped "&" at byte offset 2'),
        ("a & b", 'Unsupported HTML entity or unescaped "&" at byte offset 2'),
        ("&", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&nbsp;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&apos;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&ampx;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#0;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#X41;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#x110000;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#0000000065;", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#" + "9" * 5000 + ";", 'Unsupported HTML entity or unescaped "&" at byte offset 0'),
        ("&#xD83D;", "Text contains invalid Unicode characters after decoding HTML entities"),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b>x</b></i>", "Unexpected end tag at byte offset 8"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</b y>", "Unclosed end tag at byte offset 4"),
        (
            "<b><i>x</b></i>",
            'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        ),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", "Can't find end tag corresponding to start tag b"),
        ("<b><i>x</i>", "Can't find end tag corresponding to start tag b"),
        ("<pre><code>x</pre>", 'Unmatched end tag at byte offset 12, expected "</code>"'),
        ("<a>x</a>", 'Tag "a" must have a non-empty attribute "href" at byte offset 0'),
        ('<a href="">x</a>', 'Tag "a" must have a non-empty attribute "href" at byte offset 0'),
        ('<a HREF="https://e.com">x</a>', 'Tag "a" must have a non-empty attribute "href"'),
        ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<span class="tg-spoilers">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ('<span class="TG-SPOILER">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<b bold>x</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ("<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
        ("<b =x>x</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("<a href=https://e.com>x</a>", "Unexpected end of name token at byte offset 8"),
        ("<a href=", 'Unclosed start tag "a" at byte offset 0'),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        ("<tg-emoji>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        ('<tg-emoji emoji-id="0">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        (
            '<tg-emoji emoji-id="9223372036854775808">x</tg-emoji>',
            "Invalid custom emoji identifier specified",
        ),
    ],
)
def test_rejected(source: str, reason: str) -> None:
    with pytest.raises(TelegramHtmlError) as caught:
        parse_html(source)
    message = str(caught.value)
    assert message.startswith("can't parse entities: ")
    assert reason in message


def test_error_is_value_error() -> None:
    with pytest.raises(ValueError, match=r"^can't parse entities: Unsupported start tag \"x\""):
        parse_html("<x>")


TRICKY = [
    "",
    " ",
    "plain",
    "<",
    ">",
    "&",
    '"',
    "'",
    "<b>not bold</b>",
    "</b>",
    "a & b < c > d",
    "AT&T",
    "&amp;",
    "&lt;b&gt;",
    "&#65;",
    "&#x1F600;",
    "&nbsp;",
    "Привет, мир",
    "😀👋🏽👨‍👩‍👧",
    "\n\r\t\v\0",
    "\ud83d",  # a lone surrogate
    "<a href='x'>",
    '<span class="tg-spoiler">',
    "<<>>&&;;",
]
PIECES = ["a", "<", ">", "&", '"', "'", "Я", "😀", "\n", "&amp;", "<b>", "</b>", "&#", ";"]


def escaped_samples() -> list[str]:
    combos = ("".join(parts) for n in range(1, 4) for parts in itertools.product(PIECES, repeat=n))
    return [*TRICKY, *combos]


def test_escaped_text_parses_back_exactly() -> None:
    samples = escaped_samples()
    assert len(samples) > 2000
    for sample in samples:
        for escaped in (html.escape(sample), html.escape(sample, quote=False)):
            assert parse_html(escaped) == (sample, []), escaped


def test_escaped_text_inside_tags_keeps_its_utf16_length() -> None:
    for sample in escaped_samples():
        text, entities = parse_html(f"😀<b>{html.escape(sample)}</b>")
        assert text == "😀" + sample
        expected = [entity("bold", 2, utf16_length(sample))] if sample else []
        assert entities == expected, sample
