"""`unspin spin`: make spun copies of a text (for benchmarks, tests and testing other detectors)."""

from __future__ import annotations

import functools
import io
import sys

import click

from unspin.decode import InputError, Limits, checked_text, decode_text, load_bytes
from unspin.thesaurus import BUILTIN, DEFAULT_THESAURUS, ThesaurusNotFound, load_thesaurus


def _read(path: str) -> str:
    """The text of FILE, or of standard input for '-', decoded as `check` decodes a text file
    (UTF-8, else Windows-1252 or the likeliest legacy encoding); a one-line error when unreadable."""
    limits = Limits()
    name = "<stdin>" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        opener = functools.partial(io.BytesIO, data)
    else:
        opener = functools.partial(open, path, "rb")
    try:
        return checked_text(decode_text(load_bytes(name, opener, limits)), limits)
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from None
    except InputError as exc:
        raise click.ClickException(f"{name}: {exc}") from None


def rate_text(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Check that a probability option lies in [0, 1]."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise click.BadParameter("must be between 0 and 1")
    return value


@click.command("spin")
@click.argument("file", type=str)
@click.option("--rate", type=float, default=None, callback=rate_text,
              help="Share of words to replace (1.0 replaces all it can, about 45-50%).  [default: 0.3; 0 with --via]")
@click.option("--seed", type=int, default=None, help="Seed for reproducible output.")
@click.option("--thesaurus", "thesaurus_name", default=DEFAULT_THESAURUS, show_default=True,
              metavar="[" + "|".join(BUILTIN) + "|PATH]",
              help="Synonym source: moby (the Moby Thesaurus, installed with unspin); the Debian "
                   "packages wordnet-base (wordnet), libaiksaurus-1.2-data (aiksaurus) or "
                   "mythes-en-us (mythes); or a file of 'word,synonym,...' lines (or MyThes .dat).")
@click.option("--no-phrases", is_flag=True,
              help="Single-word thesaurus swaps only: no phrase or function-word rewrites.")
@click.option("--reorder", type=float, default=0.0, show_default=True, callback=rate_text,
              help="Probability of swapping each pair of adjacent sentences.")
@click.option("--drop", type=float, default=0.0, show_default=True, callback=rate_text,
              help="Probability of dropping each sentence.")
@click.option("--spintax", "as_spintax", is_flag=True,
              help="Print spintax {original|synonym|...} instead of one spun text.")
@click.option("--expand", is_flag=True,
              help="Treat the input as spintax and print one expansion of it.")
@click.option("--via", metavar="LANG", default=None,
              help="First send the text through a machine-translation round trip, English to LANG and back "
                   "(Apertium: es, ca, gl or eo, each with its Debian package, e.g. apertium-eng-spa); "
                   "--rate then spins the result.")
@click.option("--stats", is_flag=True,
              help="Print the measured share of words changed to standard error.")
def spin(file: str, rate: float | None, seed: int | None, thesaurus_name: str, no_phrases: bool,
         reorder: float, drop: float, as_spintax: bool, expand: bool, via: str | None, stats: bool) -> None:
    """Spin FILE ('-' for standard input) the way content farms do.

    Swaps words and short phrases for synonyms (keeping case and inflection, never numbers,
    number words, dates or names), rewrites stock phrases, and can swap or drop sentences. Use it
    to make labelled copies for testing a detector:

        unspin spin article.txt --rate 0.3 --seed 1 --stats > spun.txt

    or the other trick of content farms, a round trip through another language:

        unspin spin article.txt --via es > round-trip.txt
    """
    # Here, not at the top: the spinner's libraries would slow every other command's start.
    from unspin.spinner.spin import expand_spintax, spin as spin_text, to_spintax, words_changed

    text = original = _read(file)
    if rate is None:
        rate = 0.0 if via else 0.3
    if via and (as_spintax or expand):
        raise click.UsageError("--via makes one text: it cannot be combined with --spintax or --expand")
    if via:
        from unspin.translate import TranslationUnavailable, round_trip

        try:
            text = round_trip(text, via)
        except TranslationUnavailable as exc:
            raise click.ClickException(str(exc)) from None
    if expand:
        try:
            out = expand_spintax(text, seed)
        except ValueError as exc:
            raise click.ClickException(f"{file}: {exc}") from None
        click.echo(out, nl=False)
        return
    try:
        thes = load_thesaurus(thesaurus_name)
    except ThesaurusNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if as_spintax:
        click.echo(to_spintax(text, thes, rate=rate, seed=seed, phrases=not no_phrases), nl=False)
        return
    result = spin_text(text, rate, thes, seed=seed, phrases=not no_phrases,
                       reorder=reorder, drop=drop)
    click.echo(result.text, nl=False)
    if stats:
        click.echo(f"words changed: {words_changed(original, result.text):.3f} "
                   f"({len(result.substitutions)} substitutions, "
                   f"{result.n_words} words)", err=True)


from unspin.cli.app import main  # noqa: E402  (the command stands alone too: tests run it so)

main.add_command(spin)
