#!/usr/bin/env python3
"""Writes every request of a CRS regression corpus in the stage format of the libmodsecurity
baseline's modsec_ftw (T/M/U/V/H/B/E lines, base64 fields), for bench/collections_compare.

Requests are built by the baseline's own run_modsec_ftw.py (imported from --baseline, not
copied), so both sides see exactly the requests the baseline's verdicts were computed from.

    bench/crs_corpus_requests.py ../shared/crs-3.3.4-tests \
        [--baseline ../shared/tools/modsec-baseline] > /tmp/crs-requests.txt
"""
import argparse
import base64
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dirs', nargs='+', help='corpus folders (later ones override)')
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--baseline',
                        default=os.path.join(here, '..', '..', 'shared', 'tools', 'modsec-baseline'),
                        help='folder holding run_modsec_ftw.py')
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.baseline))
    import run_modsec_ftw as ftw  # noqa: E402 (the baseline's request builder)

    b64 = lambda data: base64.b64encode(data).decode()
    out = sys.stdout
    for stage_id, _folder, _enabled, legacy, request, _output in ftw.stages(args.dirs):
        method, uri, version, headers, body = ftw.build(request, legacy)
        version = version[5:] if version.startswith(b'HTTP/') else version
        out.write(f'T {stage_id}\nM {b64(method)}\nU {b64(uri)}\nV {b64(version)}\n')
        for name, value in headers:
            out.write(f'H {b64(name)} {b64(value)}\n')
        out.write(f'B {b64(body)}\nE\n')


if __name__ == '__main__':
    main()
