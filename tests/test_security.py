"""Facts SECURITY.md relies on, checked on the installed packages."""

from __future__ import annotations

import os

import aiohttp
from aiohttp import http_parser


def test_aiohttp_serves_with_its_c_http_parser():
    # The pure-Python parser carries the request-smuggling advisories listed in SECURITY.md
    # (GHSA-8495-4g3g-x7pr, GHSA-9548-qrrj-x5pj); the C parser does not use that code.
    assert "AIOHTTP_NO_EXTENSIONS" not in os.environ
    assert http_parser.HttpRequestParser is http_parser.HttpRequestParserC
    assert http_parser.HttpRequestParser.__module__ == "aiohttp._http_parser"


def test_pinned_aiohttp_is_the_version_security_md_describes():
    assert aiohttp.__version__ == "3.9.5"
