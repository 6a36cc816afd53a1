"""Archive members are content: read within fixed limits, whatever the archive claims."""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

from conftest import fake
from reposcrub.detect.archives import MAX_MEMBERS, describe, kind_of, unpack
from reposcrub.model import ContentItem


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def tarred(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def item(data: bytes, path: str = "a.zip") -> ContentItem:
    return ContentItem(path, data)


def test_formats_are_told_by_their_magic_not_their_name():
    assert kind_of(zipped({"a": b"x"})) == "zip"
    assert kind_of(tarred({"a": b"x"})) == "gzip"
    assert kind_of(b"plain text") is None


def test_zip_tar_gz_and_nested_members_are_named_by_their_path_inside():
    inner = zipped({"conf/app.properties": b"password=x\n"})
    outer = tarred({"lib/inner.jar": inner, "README": b"hi\n"})
    got = unpack(item(outer, "dist/app.tar.gz"))
    assert {m.path for m in got.members} == {"dist/app.tar.gz!/lib/inner.jar", "dist/app.tar.gz!/README",
                                             "dist/app.tar.gz!/lib/inner.jar!/conf/app.properties"}
    single = unpack(item(gzip.compress(b"dump\n"), "db/dump.sql.gz"))
    assert [(m.path, m.data) for m in single.members] == [("db/dump.sql.gz!/dump.sql", b"dump\n")]


def test_nesting_stops_at_two_levels():
    deep = zipped({"l3.txt": b"deep"})
    for _ in range(3):
        deep = zipped({"next.zip": deep})
    got = unpack(item(deep))
    assert len(got.members) == 2 and any("nested archive" in u for u in got.unread)


def test_limits_hold_against_bombs_and_lies():
    bomb = zipped({"zeros": b"\0" * (40 << 20)})          # 40 MB unpacked, 40 KB packed
    assert unpack(item(bomb)).members == [] and "not scanned" in describe(item(bomb))
    many = zipped({f"f{i}": b"" for i in range(MAX_MEMBERS + 1)}, zipfile.ZIP_STORED)
    assert unpack(item(many)).unread == [f"more than {MAX_MEMBERS} members"]
    cut = zipped({"a.txt": b"x" * 1000})[:-30]              # no end record: never opened
    assert unpack(item(cut)).members == []
    assert describe(item(b"PK\x03\x04" + b"\xff" * 100)).startswith("archive (zip): 0 member(s)")


def test_encrypted_members_are_reported_not_read():
    data = bytearray(zipped({"secret.txt": b"k=v"}))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1                                  # the 'encrypted' flag bit
    got = unpack(item(bytes(data)))
    assert got.members == [] and got.unread == ["encrypted member(s)"]


def test_a_secret_in_a_member_is_a_finding_of_the_archive():
    from reposcrub.context import RunContext
    ctx = RunContext.build(None)
    secret = fake("AKIA{{[A-Z2-7]:16}}", "member")
    found = ctx.scanner.detect(item(zipped({"deploy/.env": f"AWS={secret}\n".encode()}), "ship.zip"))
    assert [(f.rule, f.path, f.value) for f in found] == [("aws-access-key-id", "ship.zip!/deploy/.env",
                                                          secret.encode())]
