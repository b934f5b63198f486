#!/usr/bin/env python3
"""Writes a large ledger: the sample's valid records repeated under new resident numbers.

    tests/data/make_ledger.py RECORDS OUT.csv [--encoding cp932|utf-8]

CRLF line ends, as municipalities send them; CP932 unless told otherwise.
"""
import argparse
import csv
import io
import pathlib

SAMPLE = pathlib.Path(__file__).with_name('ledger_seto_sample_cp932.csv')
DEFECTIVE = {29, 36, 79, 120, 155, 163}  # record numbers, see docs/operations.md


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('records', type=int)
    parser.add_argument('out')
    parser.add_argument('--encoding', default='cp932', choices=['cp932', 'utf-8'])
    args = parser.parse_args()
    rows = list(csv.reader(io.StringIO(SAMPLE.read_bytes().decode('cp932'))))
    header, data = rows[0], rows[1:]
    valid = [r for i, r in enumerate(data, 1) if i not in DEFECTIVE]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(header)
    for n in range(args.records):
        record = list(valid[n % len(valid)])
        record[0] = str(33204000000 + n)
        writer.writerow(record)
    pathlib.Path(args.out).write_bytes(out.getvalue().encode(args.encoding))


if __name__ == '__main__':
    main()
