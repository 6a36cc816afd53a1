"""What a byte of a file is: comment, string, identifier, code or prose, in many languages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reposcrub.detect.syntax import Kind, classify


def kind_of(path: str, src: str, needle: str, nth: int = 0) -> Kind:
    data = src.encode()
    at = -1
    for _ in range(nth + 1):
        at = data.index(needle.encode(), at + 1)
    return classify(path, data).kind_at(at)


@pytest.mark.parametrize("path,src,needle,kind", [
    # tree-sitter languages
    ("a.py", "x = 1  # acme note\n", "acme", Kind.COMMENT),
    ("a.py", "x = 'acme'\n", "acme", Kind.STRING),
    ("a.py", "acme_client = 1\n", "acme", Kind.IDENTIFIER),
    ("a.py", "x = f'{acme_id}!'\n", "acme", Kind.IDENTIFIER),     # code inside an f-string
    ("a.py", "x = f'{1 + 2} acme'\n", "+", Kind.CODE),
    ("a.py", "x = f'{1 + 2} acme'\n", "acme", Kind.STRING),
    ("a.js", "const s = `a ${acmeUrl} b`;\n", "acmeUrl", Kind.IDENTIFIER),
    ("a.js", "/* acme */ let x;\n", "acme", Kind.COMMENT),
    ("a.ts", "let x: AcmeType = 'acme';\n", "Acme", Kind.IDENTIFIER),
    ("a.tsx", "const v = <p>acme</p>;\n", "v", Kind.IDENTIFIER),
    ("a.go", "var s = `acme`\n", "acme", Kind.STRING),
    ("a.go", "import \"acme.io/x\"\n", "acme", Kind.STRING),
    ("a.rs", "/// acme docs\nfn acme() {}\n", "acme", Kind.COMMENT),
    ("a.cs", "var s = @\"acme\";\n", "acme", Kind.STRING),
    ("a.java", "String acme = \"x\";\n", "acme", Kind.IDENTIFIER),
    ("a.c", "#include \"acme.h\"\n", "acme", Kind.STRING),
    ("a.cpp", "auto s = R\"(acme)\";\n", "acme", Kind.STRING),
    ("a.rb", "s = \"x #{acme} y\"\n", "acme", Kind.IDENTIFIER),
    ("a.rb", "=begin\nacme\n=end\nx = 1\n", "acme", Kind.COMMENT),
    ("a.php", "<?php\n$acme = 'acme';\n", "acme", Kind.IDENTIFIER),
    ("a.sh", "echo \"acme $HOME\"  # acme\n", "acme", Kind.STRING),
    ("a.yaml", "name: acme  # acme\n", "acme", Kind.STRING),
    ("a.toml", "acme = \"acme\"\n", "acme", Kind.IDENTIFIER),
    ("a.json", "{\"acme\": 1}\n", "acme", Kind.STRING),
    ("a.html", "<!-- acme --><p class=\"acme\">acme</p>\n", "acme", Kind.COMMENT),
    # pygments languages
    ("a.sql", "-- acme\nSELECT 'acme' FROM acme_t;\n", "acme", Kind.COMMENT),
    ("a.sql", "-- acme\nSELECT 'acme' FROM acme_t;\n", "acme_t", Kind.IDENTIFIER),
    ("a.lua", "--[[ acme\n]] local s = \"acme\"\n", "acme", Kind.COMMENT),
    ("a.css", "/* acme */ .acme { color: red; }\n", "acme", Kind.COMMENT),
    ("a.kt", "val s = \"acme\" // acme\n", "acme", Kind.STRING),
    ("Makefile", "# acme\nall:\n\techo hi\n", "acme", Kind.COMMENT),
    ("Dockerfile", "# acme\nFROM python\n", "acme", Kind.COMMENT),
    ("a.ini", "; acme\n[s]\n", "acme", Kind.COMMENT),
    ("a.xml", "<a><!-- acme --></a>\n", "acme", Kind.COMMENT),
    ("a.hs", "{- acme -}\nmain = 1\n", "acme", Kind.COMMENT),
    # ERB templates (Rails views): the language inside, plus Ruby between <% %>
    ("a.html.erb", "<!-- acme -->\n<p><%= acme_path %></p>\n", "acme", Kind.COMMENT),
    ("a.html.erb", "<!-- x -->\n<p><%= acme_path %></p>\n", "acme_path", Kind.IDENTIFIER),
    ("a.js.erb", "// acme\nlet x = 1;\n", "acme", Kind.COMMENT),
    ("a.yml.erb", "<%# acme %>\nkey: 1\n", "acme", Kind.TEXT),     # no lexer for YAML+ERB
    # no lexer, or prose
    (".gitignore", "# acme\nacme/\n", "acme", Kind.COMMENT),
    (".env", "# acme\nNAME=acme\n", "NAME", Kind.TEXT),
    ("README.md", "<!-- acme -->\n# acme\n", "acme", Kind.COMMENT),
    ("notes.txt", "acme notes\n", "acme", Kind.TEXT),
    ("data.unknownext", "acme\n", "acme", Kind.TEXT),
])
def test_kind_at(path, src, needle, kind):
    assert kind_of(path, src, needle) is kind


def test_the_second_occurrence_can_differ():
    src = "/// acme docs\nfn acme() {}\n"
    assert kind_of("a.rs", src, "acme", 0) is Kind.COMMENT
    assert kind_of("a.rs", src, "acme", 1) is Kind.IDENTIFIER
    sql = "-- acme\nSELECT 'acme' FROM t;\n"
    assert kind_of("a.sql", sql, "acme", 1) is Kind.STRING


@pytest.mark.parametrize("path,src,expected", [
    ("a.py", "# one\n# two\nx = 1  # three\n", [b"# one", b"# two", b"# three"]),
    ("a.rs", "// one\n/// two\nfn f() {}\n", [b"// one", b"/// two"]),            # newline not included
    ("a.c", "/* one\n * two */\nint x; // three\n", [b"/* one\n * two */", b"// three"]),
    ("a.sql", "-- one\n/* two\n three */\nSELECT 1;\n", [b"-- one", b"/* two\n three */"]),
    ("Makefile", "# one\n# two\nall:\n", [b"# one", b"# two"]),
])
def test_comments_are_byte_spans_one_per_line_comment(path, src, expected):
    data = src.encode()
    assert [data[s:e] for s, e in classify(path, data).comments()] == expected


def test_offsets_are_bytes_after_multibyte_text():
    src = "-- café ünïcödé 日本\nSELECT 'naïve' AS x; -- acme\n".encode()
    smap = classify("q.sql", src)
    assert [src[s:e] for s, e in smap.comments()] == ["-- café ünïcödé 日本".encode(), b"-- acme"]
    assert smap.kind_at(src.index("naïve".encode())) is Kind.STRING
    assert smap.kind_at(src.index(b"acme")) is Kind.COMMENT


def test_invalid_utf8_does_not_shift_offsets():
    src = b"-- caf\xe9\nSELECT 1; -- acme\n"
    smap = classify("q.sql", src)
    assert [src[s:e] for s, e in smap.comments()] == [b"-- caf\xe9", b"-- acme"]


def test_crlf_line_endings():
    src = b"# one\r\n# two\r\nx = 1\r\n"
    assert [src[s:e] for s, e in classify("a.py", src).comments()] == [b"# one", b"# two"]
    sql = src.replace(b"#", b"--")
    assert [sql[s:e] for s, e in classify("a.sql", sql).comments()] == [b"-- one", b"-- two"]


def test_identifier_at_returns_the_whole_token():
    src = b"def get_acme_client(acme_id):\n    return AcmeClient(acme_id)\n"
    smap = classify("a.py", src)
    at = src.index(b"acme_client")
    assert src[slice(*smap.identifier_at(at))] == b"get_acme_client"
    assert src[slice(*smap.identifier_at(src.index(b"AcmeClient") + 3))] == b"AcmeClient"
    assert smap.identifier_at(src.index(b"return")) is None
    sql = b"SELECT acme_id FROM acme_orders;\n"
    smap = classify("a.sql", sql)
    assert sql[slice(*smap.identifier_at(sql.index(b"orders")))] == b"acme_orders"


def test_docstrings():
    src = b'"""Module docs."""\n\ndef f():\n    """Only statement."""\n\nclass C:\n    """Doc."""\n    x = 1\n\ny = "not a docstring"\n'
    smap = classify("m.py", src)
    mod = smap.docstring_at(src.index(b"Module"))
    assert mod.module and src[mod.body_start:mod.body_end] == b"Module docs."
    assert src[mod.start:mod.end] == b'"""Module docs."""'
    only = smap.docstring_at(src.index(b"Only"))
    assert not only.module and only.sole
    doc = smap.docstring_at(src.index(b"Doc."))
    assert not doc.module and not doc.sole
    assert smap.docstring_at(src.index(b"not a docstring")) is None
    assert classify("m.js", b'"use strict";\n').docstring_at(2) is None


def test_shebang_picks_the_grammar_of_an_extensionless_script():
    src = b"#!/usr/bin/env python3\n# acme\nprint('acme')\n"
    smap = classify("bin/tool", src)
    assert smap.engine == "tree-sitter" and smap.language == "python"
    assert smap.kind_at(src.index(b"'acme'") + 1) is Kind.STRING
    perl = b"#!/usr/bin/perl\n# acme\nprint 'x';\n"
    smap = classify("bin/tool2", perl)
    assert smap.engine == "pygments" and smap.kind_at(perl.index(b"acme")) is Kind.COMMENT


def test_classify_is_lazy_and_shared():
    data = b"# acme\nx = 1\n"
    smap = classify("lazy.py", data)
    assert "_real" not in smap.__dict__          # nothing parsed yet
    assert classify("lazy.py", data) is smap      # detectors asking about one blob share it
    smap.kind_at(0)
    assert "_real" in smap.__dict__


def test_binary_and_huge_files_are_not_lexed():
    assert classify("a.sql", b"-- x\0\n").engine is None
    assert classify("a.sql", b"-- x\n" + b"x" * (3 * 1024 * 1024)).engine is None


def test_a_deeply_nested_file_does_not_recurse():
    src = b"x = " + b"[" * 3000 + b"'acme'" + b"]" * 3000 + b"\n"
    smap = classify("deep.py", src)
    assert smap.strings() and smap.kind_at(src.index(b"acme")) is Kind.STRING


LINE_TEXT = st.text(st.characters(blacklist_characters="\r\n'\\\x00", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), LINE_TEXT), min_size=1, max_size=8))
def test_pygments_comment_spans_are_exact_bytes(lines):
    """Whatever characters precede it, a comment's span slices the file's bytes exactly."""
    parts, expected = [], []
    pos = 0
    for is_comment, text in lines:
        line = (f"-- {text}" if is_comment else f"SELECT '{text}';").encode()
        if is_comment:
            expected.append((pos, pos + len(line)))
        parts.append(line + b"\n")
        pos += len(line) + 1
    data = b"".join(parts)
    got = classify("prop.sql", data).comments()
    assert [data[s:e] for s, e in got] == [data[s:e] for s, e in expected]


@pytest.mark.parametrize("path,src", [
    ("a.rs", b"// one\n/// two\nfn f() { /* three */ let s = \"// no\"; }\n//! four\n"),
    ("a.py", b"#!/usr/bin/env python\n# one\nx = '# no'  # two\n\"\"\"# no\"\"\"\n"),
    ("a.c", b"/* one\n * two */\nint x; // three\nchar *s = \"/* no */\";\n"),
    ("a.html", b"<!-- one -->\n<p title=\"<!-- no -->\">x</p>\n"),
])
def test_comment_at_agrees_with_the_list_of_comments(path, src):
    smap = classify(path, src)
    spans = smap.comments()
    for offset in range(len(src)):
        want = next((s for s in spans if s[0] <= offset < s[1]), None)
        assert smap.comment_at(offset) == want, (offset, src[offset:offset + 10])


def test_the_tree_is_shared_with_other_tree_sitter_users():
    data = b"x = 1\n"
    smap = classify("share.py", data)
    assert smap.syntax_tree is not None and smap.syntax_tree is classify("share.py", data).syntax_tree
    assert classify("share.sql", b"SELECT 1;\n").syntax_tree is None


def test_a_lexer_that_fails_means_no_syntax_not_a_crash(monkeypatch):
    import reposcrub.detect.syntax as syntax

    def boom(*_a):
        raise RuntimeError("lexer bug")
    monkeypatch.setattr(syntax, "_pygments_intervals", boom)
    smap = classify("crash.sql", b"-- x\nSELECT 1;\n")
    assert smap.comments() == [] and smap.kind_at(0) is Kind.TEXT
