# The two commands of the README: `make demo` and `make test`. Everything else is set-up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test serve install dev clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[serve]'
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev,semantic]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: index the bundled sources, check the bundled suspects, write an HTML report
demo: install
	@mkdir -p $(OUT)
	@rm -rf $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm $(OUT)/demo.db-postings
	$(BIN)/unspin index add samples/sources --db $(OUT)/demo.db
	$(BIN)/unspin check samples/suspects --db $(OUT)/demo.db --html $(OUT)/demo-report.html
	@echo "Open $(OUT)/demo-report.html to see each copy beside its source."

## serve: the web page and API over the demo index (after make demo)
serve: install
	$(BIN)/unspin serve --db $(OUT)/demo.db

## test: install the development dependencies and run the test suite
test: dev
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
