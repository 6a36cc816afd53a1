"""Words, boundaries and case styles: how one name is spelled, and respelled."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from reposcrub.naming import (at_end, at_start, caseless, normalize, split_by_lengths, split_words,
                              style_of, term_pattern)


@pytest.mark.parametrize("text,words", [
    ("Acme Widgets", ["Acme", "Widgets"]),
    ("AcmeWidgets", ["Acme", "Widgets"]),
    ("acme_widgets", ["acme", "widgets"]),
    ("ACME-WIDGETS", ["ACME", "WIDGETS"]),
    ("HTTPServer", ["HTTP", "Server"]),
    ("Project1", ["Project1"]),
    ("Web3 Auth", ["Web3", "Auth"]),
])
def test_split_words(text, words):
    assert split_words(text) == words


def _found(term: str, text: str) -> list[str]:
    """The whole-word spellings of term in text, as the identifiers detector sees them."""
    data = text.encode()
    pat = re.compile(term_pattern(split_words(term)).encode())
    return [m.group().decode() for m in pat.finditer(data) if at_start(data, m.start()) and at_end(data, m.end())]


@pytest.mark.parametrize("spelling", [
    "Acme Widgets", "AcmeWidgets", "acmeWidgets", "acme_widgets", "ACME_WIDGETS", "acme-widgets",
    "acmewidgets", "ACMEWIDGETS", "Acme.Widgets", "acme widgets"])
def test_every_spelling_of_a_name_is_found(spelling):
    assert _found("Acme Widgets", f"x = {spelling};") == [spelling]


@pytest.mark.parametrize("text,part", [
    ("class AcmeWidgetsClient:", "AcmeWidgets"),
    ("def get_acme_widgets_url():", "acme_widgets"),
    ("ACME_WIDGETS_URL = 1", "ACME_WIDGETS"),
    ("new HTTPAcmeWidgets()", "AcmeWidgets"),
    ("the AcmeWidgets' team", "AcmeWidgets"),
    ("acmewidgetscorp.example", "acmewidgets"),      # a known suffix glued on
    ("libacmewidgets.so", "acmewidgets"),             # a known prefix glued on
    ("Acme Widgetses", "Acme Widgets"),               # a plural
])
def test_inside_longer_identifiers_at_case_boundaries(text, part):
    assert _found("Acme Widgets", text) == [part]


@pytest.mark.parametrize("term,text", [("Acme", "Acmeology"), ("Acme", "ACMEOLOGY"), ("Acme", "pacme"),
                                       ("Acme", "XACME"), ("Acme", "acmed"), ("Atlas", "Atlassian")])
def test_not_inside_unrelated_words(term, text):
    assert _found(term, text) == []


def test_caseless_is_plain_alternatives():
    assert caseless("a.1") == r"[Aa]\.1"
    assert re.fullmatch(caseless("acme").encode(), b"AcMe")


def test_normalize_ignores_case_and_separators():
    assert normalize("Acme Widgets") == normalize(b"ACME_WIDGETS") == normalize("acme-widgets") == "acmewidgets"


def respell(original: str, replacement: str, before: bytes = b" ", after: bytes = b" ", lengths=None) -> str:
    lengths = lengths or [len(w) for w in split_words(original)]
    words, seps = split_by_lengths(original, lengths)
    return style_of(words, seps, before, after).render(split_words(replacement))


@pytest.mark.parametrize("original,expected", [
    ("AcmePay", "ExamplePay"),
    ("acme_pay", "example_pay"),
    ("ACME_PAY", "EXAMPLE_PAY"),
    ("acme-pay", "example-pay"),
    ("acmepay", "examplepay"),
    ("Acme Pay", "Example Pay"),
    ("acmePay", "examplePay"),
    ("ACMEPAY", "EXAMPLEPAY"),
    ("Acme.Pay", "Example.Pay"),
])
def test_case_style_is_kept(original, expected):
    assert respell(original, "Example Pay", lengths=[4, 3]) == expected


@pytest.mark.parametrize("original,lengths,expected", [
    ("O'Reilly Media", [1, 6, 5], "Example Pay"),      # an apostrophe is part of the name, not its style
    ("Johnson & Johnson", [7, 7], "Example Pay"),
    ("OReillyMedia", [1, 6, 5], "ExamplePay"),
    ("O_REILLY_MEDIA", [1, 6, 5], "EXAMPLE_PAY"),       # a one-letter word of an upper-case spelling is upper
])
def test_apostrophes_and_ampersands_are_not_separators_of_the_replacement(original, lengths, expected):
    assert respell(original, "Example Pay", lengths=lengths) == expected


@pytest.mark.parametrize("original,before,after,expected", [
    ("acme", b"", b"_client", "example_corp"),      # borrows the neighbours' separator
    ("acme", b"my-", b"", "example-corp"),
    ("acme", b"", b"Client", "exampleCorp"),        # camel case before a capital
    ("Acme", b"", b"Client", "ExampleCorp"),
    ("ACME", b"", b"_URL", "EXAMPLE_CORP"),
    ("acme", b"import ", b"\n", "examplecorp"),     # never a space in code
    ("Acme", b"# ", b" is", "ExampleCorp"),     # without a syntax map: no space
])
def test_one_word_original_and_a_two_word_replacement_stay_one_identifier(original, before, after, expected):
    assert respell(original, "Example Corp", before, after) == expected


def test_a_mixed_case_spelling_of_a_one_word_term_keeps_its_humps():
    assert respell("RoadRunner", "Project1", lengths=[10]) == "Project1"
    assert respell("roadRunner", "Project One", lengths=[10]) == "projectOne"


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
CASES = st.sampled_from(["lower", "upper", "title"])
SEPS = st.sampled_from(["", "_", "-", ".", " "])


def _spell(words: list[str], case: str, sep: str, camel: bool = False) -> str:
    out = []
    for i, w in enumerate(words):
        if camel:
            out.append(w if i == 0 else w.title())
        else:
            out.append({"lower": w.lower(), "upper": w.upper(), "title": w.title()}[case])
    return (sep if not camel else "").join(out)


@given(st.lists(WORD, min_size=2, max_size=4), st.lists(WORD, min_size=2, max_size=4), CASES, SEPS, st.booleans())
def test_respelling_a_spelling_gives_the_same_style(term, replacement, case, sep, camel):
    original = _spell(term, case, sep, camel)
    got = respell(original, " ".join(replacement), lengths=[len(w) for w in term])
    assert got == _spell(replacement, case, sep, camel)


@given(st.lists(WORD, min_size=1, max_size=3), CASES, SEPS,
       st.sampled_from(["", "Client", "_url", "-api", ".py", "/x"]), st.sampled_from(["", "my_", "x/", " ", "get"]))
def test_any_spelling_is_found_inside_an_identifier_at_a_boundary(term, case, sep, suffix, prefix):
    spelled = _spell(term, case, sep)
    if prefix == "get" and case != "title":
        return            # "getacme" is one lower-case word: no boundary to stand on
    assert spelled in _found(" ".join(term), prefix + spelled + suffix)


def test_non_ascii_names_are_words_and_match_in_any_case():
    assert split_words("Müller Ölwerke") == ["Müller", "Ölwerke"]
    assert normalize("MÜLLER_ÖLWERKE") == "müllerölwerke"
    pat = re.compile(term_pattern(split_words("Müller Ölwerke")).encode())
    for spelling in ("Müller Ölwerke", "MÜLLER_ÖLWERKE", "müllerölwerke", "MüllerÖlwerke"):
        assert pat.fullmatch(spelling.encode()), spelling


@pytest.mark.parametrize("before,after,context,expected", [
    (b"", b"-client", "code", "examplecorp"),        # a minus in code: do not glue a word to it
    (b"", b"-client", "string", "example-corp"),     # kebab case in a string stays kebab
    (b"", b"-client", "", "example-corp"),           # a file name, a config value
    (b"# ", b" is", "comment", "Example Corp"),      # prose may have spaces
    (b"", b" is", "text", "Example Corp"),
    (b"x = ", b"()", "identifier", "ExampleCorp"),
])
def test_the_syntax_context_decides_how_a_longer_replacement_is_joined(before, after, context, expected):
    words, seps = split_by_lengths("Acme" if expected[0].isupper() else "acme", [4])
    assert style_of(words, seps, before, after, context).render(["Example", "Corp"]) == expected
