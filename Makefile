# The two commands a newcomer needs: `make run` and `make test`.
# Everything is installed into .venv by this file; nothing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format dist dist-check bench clean install-desktop reliability

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dist]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lga-desktop --demo

test: $(STAMP)
	$(BIN)/ruff check lga_desktop tests benchmarks
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check lga_desktop tests benchmarks
	$(BIN)/ruff format --check lga_desktop tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format lga_desktop tests benchmarks
	$(BIN)/ruff check --fix lga_desktop tests benchmarks

# The folder an officer receives: dist/lga-desktop/ (see README).
dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

# CI: build the bundle, then run its own self-test from outside the checkout.
dist-check: dist
	cd dist && QT_QPA_PLATFORM=offscreen ./lga-desktop/lga-desktop --self-test
	@du -sh dist/lga-desktop

# kill -9 at random moments and at every file-system step of each file operation
# (>= 200 runs per operation; ~1 hour on two shared cores): docs/reliability.md
reliability: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/reliability.py --runs 200 --out docs/reliability.json

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench.py

# Linux: the launcher, icon and file types for this user (double-click a .lgaws,
# .lgareturn or .lgaprog to open it); EXEC=dist/lga-desktop/lga-desktop for the bundle.
install-desktop: $(STAMP)
	scripts/install_desktop.sh "$(if $(EXEC),$(abspath $(EXEC)),$(abspath $(BIN))/lga-desktop)"

clean:
	rm -rf build dist .pytest_cache
