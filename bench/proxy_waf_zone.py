#!/usr/bin/env python3
"""Writes a zone config with N custom WAF rules of mixed shapes (prefixes, substrings, regexes,
header lookups, IP sets), none of which matches the benchmark's request: the proxy pays for
evaluating them all and still forwards every request.

Usage: proxy_waf_zone.py ORIGIN_PORT N > zone.json
"""
import json
import sys

port, count = int(sys.argv[1]), int(sys.argv[2])
shapes = [
    'starts_with(http.request.uri.path, "/admin{i}/")',
    'http.request.uri.path contains "/wp-{i}.php"',
    'http.request.uri.path matches "^/api/v{i}/[a-z]+/delete$"',
    'lower(http.request.uri.query) contains "union select {i}"',
    'http.host eq "attack{i}.bench.test"',
    'http.request.uri.path wildcard "/static/{i}/*.exe"',
    'ends_with(http.request.uri.path, ".bak{i}")',
    'http.user_agent contains "scanner-{i}"',
    'http.request.method eq "PURGE" and http.request.uri.path eq "/p{i}"',
    'ip.src in {{10.{a}.{b}.0/24}}',
]
rules = []
for i in range(count):
    expression = shapes[i % len(shapes)].format(i=i, a=(i // 256) % 256, b=i % 256)
    rules.append({"id": f"r{i}", "expression": expression, "action": "block"})
print(json.dumps({
    "zone": "bench.test",
    "hostnames": ["bench.test"],
    "origins": [{"name": "app", "servers": [f"127.0.0.1:{port}"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": rules}],
}, indent=1))
