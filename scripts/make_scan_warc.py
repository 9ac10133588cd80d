"""Build a WARC for measuring ``unspin scan``: real news pages plus copies on farm hosts.

    python scripts/make_scan_warc.py ../shared/data/extraction /tmp/scan.warc.gz --repeat 4

Writes, for each page of the extraction set (read in place, never copied into the project),
``--repeat`` times: the page itself at its URL, and on three farm hosts its gold text as a
bare page verbatim and spun by unspin's spinner at 15% and 30%. Then:

    unspin index add ../shared/data/extraction/html --db /tmp/scan-src.db
    unspin scan /tmp/scan.warc.gz --db /tmp/scan-src.db --out /tmp/scan.jsonl --summary /tmp/sites.csv
"""

from __future__ import annotations

import gzip
import html
import io
import json
from pathlib import Path

import click
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.spinner.spin import spin
from unspin.thesaurus import load_thesaurus

RATES = (0.0, 0.15, 0.3)  # one farm host per rate


def bare_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<html><head><title>{html.escape(title)}</title></head><body><article>"
            f"<h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>").encode()


@click.command()
@click.argument("extraction", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--repeat", type=click.IntRange(1), default=4, show_default=True)
@click.option("--thesaurus", default="wordnet", show_default=True)
def main(extraction: Path, out: Path, repeat: int, thesaurus: str) -> None:
    truth = json.loads((extraction / "ground-truth.json").read_text(encoding="utf-8"))
    synonyms = load_thesaurus(thesaurus)
    records = 0
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)

        def put(uri: str, body: bytes) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))

        for round_ in range(repeat):
            for key, entry in sorted(truth.items()):
                put(entry["url"] + (f"?r={round_}" if round_ else ""), gzip.open(extraction / "html" / f"{key}.html.gz").read())
                text = entry["articleBody"]
                title = text.split("\n", 1)[0][:80]
                for farm, rate in enumerate(RATES):
                    copy = spin(text, rate, synonyms, seed=round_ * 1000 + farm).text if rate else text
                    put(f"https://farm{farm}.example/{round_}/{key}", bare_page(title, copy))
                records += 1 + len(RATES)
    click.echo(f"{records} records in {out}", err=True)


if __name__ == "__main__":
    main()
