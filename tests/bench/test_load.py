"""The load run works end to end (its figures are the benchmark's business, not a test's)."""

from tests.conftest import SAMPLES
from unspin.bench.load import run_load


def test_a_short_load_run_has_no_server_errors_and_loses_no_write():
    figures = run_load(SAMPLES / "sources", SAMPLES / "suspects", clients=2, seconds=3).summary()
    assert figures["checks"] > 0 and figures["writes"] > 0
    assert figures["server_errors"] == 0 and figures["transport_errors"] == 0
    assert figures["lost_writes"] == 0
