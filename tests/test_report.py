import json

from tests.conftest import FERRY, swap_words
from unspin.check import Checker
from unspin.document import Document, ReadError
from unspin.report import html_report, result_json


def checked(index, text):
    list(index.add([Document("ferry", FERRY, title="Ferry halted")]))
    return Checker(index).check(Document("suspect", text))


def test_json_follows_the_contract(index):
    spun = swap_words(FERRY, share=1.0)
    data = json.loads(json.dumps(result_json(checked(index, spun))))
    assert data["id"] == "suspect" and data["verdict"] == "spun"
    [match] = data["matches"]
    assert match["source_id"] == "ferry"
    assert {"score", "coverage", "spin_rate", "passages"} <= match.keys()
    for passage in match["passages"]:
        s0, s1 = passage["suspect"]
        t0, t1 = passage["source"]
        assert spun[s0:s1].split()[0] == FERRY[t0:t1].split()[0] or passage["substitutions"]
        for sub in passage["substitutions"]:
            assert spun[slice(*sub["suspect"])] == sub["suspect_text"]
            assert FERRY[slice(*sub["source"])] == sub["source_text"]


def test_read_errors_become_error_objects():
    assert result_json(ReadError("x.bin", "binary content, not text")) == {"id": "x.bin", "error": "binary content, not text"}


def test_html_report_is_self_contained_and_marks_swaps(index):
    page = html_report([checked(index, swap_words(FERRY, share=1.0)), ReadError("bad.bin", "binary")])
    assert page.startswith("<!doctype html>")
    assert "<mark" in page and "<ins" in page and "<del" in page
    assert "http://" not in page and "https://" not in page  # no external assets
    assert "bad.bin" in page


def test_html_escapes_text(index):
    list(index.add([Document("x", FERRY + "\n<script>alert(1)</script>")]))
    page = html_report([Checker(index).check(Document("s", FERRY + "\n<script>alert(1)</script>"))])
    assert "<script>alert(1)" not in page


def test_a_rewritten_stretch_is_reported_as_a_rewrite_not_among_the_swapped_words(index):
    from rich.console import Console

    from unspin.report import print_result

    long_old = "after an engine failure on Tuesday left 212 passengers stranded at sea for four hours"
    long_new = "after the motor had broken down for good on that Tuesday, with 212 of its riders kept out on the water for four hours"
    spun = swap_words(FERRY.replace(long_old, long_new), share=1.0)
    result = checked(index, spun)
    subs = [s for p in json.loads(json.dumps(result_json(result)))["matches"][0]["passages"] for s in p["substitutions"]]
    assert {s["kind"] for s in subs} <= {"swap", "rewrite", "insertion", "deletion"}
    rewrites = [s for s in subs if s["kind"] == "rewrite"]
    assert rewrites and all(len(s["suspect_text"].split()) > 3 for s in rewrites)
    console = Console(record=True, width=500)
    print_result(console, result, swaps=100)
    swapped = console.export_text().split("swapped:")[1]
    assert all(s["suspect_text"] not in swapped for s in rewrites)
    assert "halted" in swapped  # a plain swap is shown


def test_every_result_carries_the_suspects_own_spin_score(index):
    data = result_json(checked(index, FERRY))
    assert set(data["intrinsic"]) >= {"spin_score", "spun", "words"}
    assert data["intrinsic"]["spun"] is False


def test_html_report_marks_the_tells_of_a_page_that_says_it_was_spun(index):
    text = "All content has been processed with publicly available content spinners.\n\n" + FERRY
    page = html_report([checked(index, text)])
    assert "intrinsic spin score 1.00" in page and 'class="tell"' in page
