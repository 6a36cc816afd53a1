"""Tree-sitter query rules: what they capture, what they replace, and when they parse at all."""
from __future__ import annotations

import ast

import pytest

from conftest import fake
from reposcrub.detect import Scanner
from reposcrub.detect.queries import QueryRunner
from reposcrub.model import ContentItem, Rule
from reposcrub.redact import Pseudonyms, rewrite
from reposcrub.ruleset import RuleSet

RULESET = RuleSet.load()
SCANNER = Scanner(RULESET, b"test-key")
A, B = fake("{{alnum:20}}", "a"), fake("{{alnum:20}}", "b")


def secrets(path: str, text: str):
    return [f for f in SCANNER.detect(ContentItem(path, text.encode())) if f.kind == "secret"]


def values(path: str, text: str) -> list[str]:
    return [f.value.decode() for f in secrets(path, text)]


@pytest.mark.parametrize("path,text", [
    ("a.py", f'SECRET_KEY = r"{A}"'),
    ("a.py", f"SECRET_KEY = '''{A}'''"),
    ("a.js", f"const apiKey = `{A}`;"),
    ("a.go", f"package a\nconst apiToken = `{A}`"),
    ("a.cs", f'class C {{ const string ApiKey = @"{A}"; }}'),
    ("a.rb", f"@api_token = '{A}'"),
    ("a.json", f'{{"client_secret": "{A}"}}'),
    ("a.yaml", f"db:\n  password: '{A}'\n"),
])
def test_only_the_string_content_is_captured(path, text):
    assert values(path, text) == [A]


def test_a_concatenation_is_one_secret_in_pieces_and_stays_code():
    src = f'AUTH_TOKEN = ("{A}"\n              "{B}")\nprint(AUTH_TOKEN)\n'
    found = secrets("settings.py", src)
    assert [f.value.decode() for f in found] == [A, B]
    assert {f.rule for f in found} == {"generic-query-python"}
    out = rewrite(src.encode(), found, Pseudonyms()).decode()
    ast.parse(out)                                   # still Python
    assert A not in out and B not in out and out.count('"REDACTED-secret-') == 2


def test_a_multiline_literal_keeps_its_delimiters_and_lines():
    src = f'const privateKeyPassphrase = `{A}\n{B}`;\nexport default privateKeyPassphrase;\n'
    found = secrets("key.js", src)
    assert len(found) == 1 and found[0].value.decode() == f"{A}\n{B}"
    out = rewrite(src.encode(), found, Pseudonyms()).decode()
    assert out.startswith("const privateKeyPassphrase = `REDACTED-secret-1") and out.count("\n") == src.count("\n")


@pytest.mark.parametrize("path,text", [
    ("a.py", f'api_key = f"{{prefix}}{A}"'),                  # interpolation: built at run time
    ("a.js", f"this.apiKey = `${{prefix}}{A}`;"),
    ("a.rb", f'config.secret_key_base = "#{{base}}{A}"'),
    ("a.py", f'token = "Bearer " + {A.lower()}'),            # a string plus a name
    ("a.java", 'class A { String password = System.getenv("DB_PASSWORD"); }'),
    ("a.go", "package a\ntype Creds struct { Password string `json:\"password\"` }"),
    ("a.ts", "interface Login { password: string; token: string }"),
    ("a.py", f'TOKEN_URL = "https://auth.example.com/{A}"'),  # the name says it is a URL
])
def test_what_is_not_a_literal_credential(path, text):
    assert not [f for f in secrets(path, text) if f.rule.startswith("generic-query")]


@pytest.mark.parametrize("path,text", [
    ("a.py", f'# password = "{A}"\n'),
    ("a.js", f'// const apiKey = "{A}";\n'),
    ("a.yaml", f"# password: {A}\nname: app\n"),
])
def test_a_credential_in_a_comment_is_only_low(path, text):
    found = secrets(path, text)
    assert found and all(f.confidence == "low" for f in found)


def test_files_are_parsed_only_where_the_prefilter_matches():
    runner = QueryRunner([r for r in RULESET.rules if r.query])
    assert runner.parse("a.py", b"tokens = tokenize(text)\nfor t in tokens: print(t)\n")[1] is None
    assert runner.parse("README.md", f'password = "{A}"'.encode())[1] is None     # no grammar
    assert runner.parse("a.py", f'password = "{A}"'.encode())[1] is not None


def _rule(query: str, **kw) -> Rule:
    return Rule(id="generic-test", kind="secret", name="t", query=query, languages=("python",), **kw)


def test_a_query_that_does_not_compile_names_the_rule():
    with pytest.raises(ValueError, match="generic-test.*does not compile"):
        QueryRunner([_rule("(assignment left: @key")]).validate()


def test_a_query_without_the_value_capture_is_refused():
    with pytest.raises(ValueError, match="no @value capture"):
        QueryRunner([_rule("(assignment left: (identifier) @key)")]).validate()


def test_query_rules_need_languages():
    from reposcrub.ruleset import RuleError, rule_from_dict
    with pytest.raises(RuleError, match="needs languages"):
        rule_from_dict({"id": "q", "query": "(string) @value"}, "x.yaml")


def test_a_yaml_block_scalar_is_replaced_and_stays_yaml():
    import yaml
    src = f"service:\n  client_secret: |\n    {A}\n    {B}\n  port: 8080\n"
    found = secrets("values.yaml", src)
    assert [f.rule for f in found] == ["generic-query-yaml"]
    out = rewrite(src.encode(), found, Pseudonyms()).decode()
    doc = yaml.safe_load(out)
    assert doc["service"]["port"] == 8080 and doc["service"]["client_secret"].startswith("REDACTED-secret-")
    assert A not in out and B not in out


def test_a_syntax_error_elsewhere_keeps_the_query_authority_here():
    src = f'# password = "{A}"\n\ndef broken(:\n    pass\n'
    found = secrets("a.py", src)
    assert found and all(f.confidence == "low" for f in found)
    inside = f'def broken(password = "{A}" :\n'          # the candidate sits in the error itself
    assert any(f.confidence != "low" for f in secrets("b.py", inside))


@pytest.mark.parametrize("path,text", [
    (".env", f"# DB_PASSWORD={A}\n"),
    ("app.properties", f"# db.password={A}\n"),
    ("Main.kt", f'// val apiKey = "{A}"\n'),
    ("init.sql", f"-- password: {A}\n"),
])
def test_a_commented_line_is_low_without_a_grammar(path, text):
    found = secrets(path, text)
    assert found and all(f.confidence == "low" for f in found)
    assert secrets(path, text.split(" ", 1)[1])[0].confidence != "low"    # uncommented: not low


def test_a_continued_command_line_is_not_a_comment():
    found = secrets("deploy.sh", f"docker login registry.example.com \\\n  --password {A}\n")
    assert found and found[0].confidence != "low"


def test_a_hostile_concatenation_does_not_exhaust_the_stack():
    deep = "password = " + " + ".join(['"ab"'] * 5000) + "\n" + "token = " + "(" * 3000 + f'"{A}"' + ")" * 3000
    secrets("gen.py", deep)            # no RecursionError; generated code is not a credential
    assert not [f for f in secrets("gen.py", deep.split("\n")[0]) if f.rule.startswith("generic-query")]


def test_author_fields_do_not_send_a_file_to_the_parser():
    """`author_name: "…"` is no credential name: such files are not parsed (a quarter of
    rails' parsed files were), while `authorization`/`auth_token` still are."""
    import re

    from reposcrub.ruleset import RuleSet
    rules = [r for r in RuleSet.load().rules if r.prefilter]
    assert rules
    for rule in rules:
        pf = re.compile(rule.prefilter.encode(), re.M)
        assert not pf.search(b'author_name = "Jane"\nauthors: "x"\n"author": "Jane"\n'), rule.id
        for name in (b"authorization", b"auth_token", b"auth"):
            forms = b'%s = "abc"\n%s: abc\n"%s": "abc"\n' % (name, name, name)
            assert pf.search(forms), (rule.id, name)
