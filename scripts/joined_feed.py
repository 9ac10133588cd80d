"""A large JSON lines feed streamed to standard output: a feed's articles joined three to a record,
the whole repeated under new ids, for measuring ``unspin index add`` of a multi-gigabyte feed
without writing it to disk.

    python scripts/make_feed.py 100000 feed100k.jsonl
    python scripts/joined_feed.py feed100k.jsonl 764436 | unspin index add - --db big.db -q

(764,436 records of about 6,500 bytes: 5 GB.)
"""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.argument("feed", type=click.Path(exists=True, dir_okay=False))
@click.argument("records", type=click.IntRange(min=1))
def main(feed: str, records: int) -> None:
    """Write RECORDS records, each three consecutive articles of FEED joined, to standard output."""
    written, rounds = 0, 0
    while written < records:
        group: list[str] = []
        with open(feed, encoding="utf-8") as lines:
            for line in lines:
                group.append(json.loads(line)["text"])
                if len(group) == 3:
                    sys.stdout.write(json.dumps({"id": f"joined/{rounds}/{written}", "text": "\n\n".join(group)}) + "\n")
                    written, group = written + 1, []
                    if written >= records:
                        return
        rounds += 1


if __name__ == "__main__":
    main()
