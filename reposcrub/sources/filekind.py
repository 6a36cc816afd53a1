"""Files that are something other than what their bytes say.

A Git LFS pointer is a few lines of text standing in for a large file kept
elsewhere: the pointer is harmless and is kept as it is, but the report says
that the real content was never in the repository, so it was not scanned.
"""
from __future__ import annotations

LFS_SPEC = b"version https://git-lfs.github.com/spec/"
LFS_MAX = 1024     # git-lfs itself treats anything larger as content, not a pointer

LFS_REASON = ("Git LFS pointer, kept as is: the file it points to is not in the repository "
              "and was not scanned")


def is_lfs_pointer(data: bytes) -> bool:
    return len(data) <= LFS_MAX and data.startswith(LFS_SPEC) and b"\noid sha256:" in data
