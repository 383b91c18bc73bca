#!/usr/bin/env python3
"""Lists the stages of CRS regression tests (ftw / go-ftw YAML) as TSV for crs_check.

Usage: crs_stages.py CORPUS_DIR RULE_ID [RULE_ID ...]

Reads <CORPUS_DIR>/*/<RULE_ID>.yaml and prints one line per stage whose output asserts on that
rule's id in the WAF log (log_contains / no_log_contains matching `id "<RULE_ID>"`):

  stage  rule  expect  method  uri  version  headers  data  autocomplete  raw

`stage` is "<test_title>#<stage index>" (the baseline TSV's key), `expect` is "fires" or
"silent". The other fields are base64 of the stage's input as written, so tabs and line breaks
survive: headers as "Name: value\\r\\n" lines, data with a list's lines joined by CRLF, raw the
decoded encoded_request (empty if none). `autocomplete` is 0 when the stage turns go-ftw's header
completion off (stop_magic, autocomplete_headers: false). Only the YAML is read here; building
the request, decoding it, transforming and detecting are crs_check's (C++).
"""
import base64
import os
import re
import sys

import yaml


def b64(text):
    if isinstance(text, str):
        text = text.encode('utf-8', 'surrogateescape')
    return base64.b64encode(text).decode('ascii')


def expectation(output, rule):
    """'fires', 'silent' or None for a stage's output, as far as `rule` is concerned."""
    log = output.get('log') or {}
    mention = f'id "{rule}"'
    if 'log_contains' in output and re.search(output['log_contains'], mention):
        return 'fires'
    if 'no_log_contains' in output and re.search(output['no_log_contains'], mention):
        return 'silent'
    if int(rule) in [int(i) for i in log.get('expect_ids') or []]:
        return 'fires'
    if int(rule) in [int(i) for i in log.get('no_expect_ids') or []]:
        return 'silent'
    return None


def rule_files(corpus, rule):
    for folder in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, folder, f'{rule}.yaml')
        if os.path.isfile(path):
            yield path


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, rules = sys.argv[1], sys.argv[2:]
    for rule in rules:
        paths = list(rule_files(corpus, rule))
        if not paths:
            sys.exit(f'crs_stages: no {rule}.yaml under {corpus}')
        for path in paths:
            with open(path, encoding='utf-8') as f:
                doc = yaml.safe_load(f)
            for test in doc.get('tests') or []:
                title = test.get('test_title') or f"{rule}-{test.get('test_id')}"
                for index, stage in enumerate(test.get('stages') or []):
                    stage = stage.get('stage', stage)
                    expect = expectation(stage.get('output') or {}, rule)
                    if expect is None:
                        continue
                    given = stage.get('input') or {}
                    headers = ''.join(f'{k}: {v}\r\n' for k, v in (given.get('headers') or {}).items())
                    data = given.get('data')
                    data = '\r\n'.join(data) if isinstance(data, list) else ('' if data is None else str(data))
                    autocomplete = not given.get('stop_magic', False) and given.get('autocomplete_headers', True)
                    raw = base64.b64decode(given['encoded_request']) if given.get('encoded_request') else b''
                    print('\t'.join([
                        f'{title}#{index}', rule, expect,
                        b64(str(given.get('method', 'GET'))), b64(str(given.get('uri', '/'))),
                        b64(str(given.get('version', 'HTTP/1.1'))), b64(headers), b64(data),
                        '1' if autocomplete else '0', b64(raw),
                    ]))


if __name__ == '__main__':
    main()
