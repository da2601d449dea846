# Thin wrapper over `python -m pipeline`. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RAW    := data/raw
OUT    := data/processed
STAMPS := $(OUT)/.stages
GOLD   := ../shared/gold
SETUP  := $(VENV)/.installed
# The raw folder's listing (every file's hash, every other entry, the code fingerprint), rewritten by
# `pipeline status --stamp` only when it changed: a removed, added or `cp -p`-ed file, or a code change,
# re-runs the stages; nothing else does.
LISTING := $(STAMPS)/raw.listing
TABLES  := documents rejected sentences tokens mentions entities amounts times relations

.DEFAULT_GOAL := help
.PHONY: help setup run ingest segment tag link test evaluate evaluate-vlsp bench clean status FORCE

# The stage targets are listed from pipeline/stages.py (STAGES), the one declaration of the stage graph.
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-18s %s\n", $$1, $$2}'
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -c 'from pipeline.stages import STAGES; print("\n".join(f"  make {s.name:<18} {s.help}" for s in STAGES))' 2>/dev/null || true

setup: $(SETUP) ## create .venv and install the package (idempotent)
$(SETUP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# SCHEDULER=tcp://HOST:8786 runs the batches on a Dask cluster (SCHEDULER=local: a LocalCluster here); FULL=1 --full.
SCHEDULER ?=
FULL      ?=
run: $(SETUP) ## set up, then run every stage on data/raw → data/processed (only new or changed documents; FULL=1, SCHEDULER=)
	$(PY) -m pipeline run --raw $(RAW) --out $(OUT) $(if $(FULL),--full) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

status: $(SETUP) ## what `make run` would do: new, changed and removed files, code changes
	$(PY) -m pipeline status --raw $(RAW) --out $(OUT)

ingest: $(STAMPS)/ingest
segment: $(STAMPS)/segment
tag: $(STAMPS)/tag
link: $(STAMPS)/link

$(LISTING): FORCE | $(SETUP)
	+@$(PY) -m pipeline status --raw $(RAW) --out $(OUT) --stamp $@
$(STAMPS)/ingest: $(LISTING) | $(SETUP)
	$(PY) -m pipeline ingest --raw $(RAW) --out $(OUT)
	@mkdir -p $(STAMPS) && touch $@
$(STAMPS)/segment: $(STAMPS)/ingest
	$(PY) -m pipeline segment --out $(OUT)
	@touch $@
$(STAMPS)/tag: $(STAMPS)/segment
	$(PY) -m pipeline tag --out $(OUT)
	@touch $@
$(STAMPS)/link: $(STAMPS)/tag
	$(PY) -m pipeline link --out $(OUT)
	@touch $@

test: $(SETUP) ## run the test suite
	$(PY) -m pytest

evaluate: $(SETUP) ## score on the dev, dev2 and seed gold, beside underthesea's ner()
	$(PY) -m pipeline evaluate --gold $(GOLD)/dev.jsonl --gold $(GOLD)/dev2.jsonl --gold $(GOLD)/seeds.jsonl --baseline underthesea

# VLSP ?= empty: the CLI then takes $$VLSP_DIR or config.VLSP_DIR (../vlsp2018/VLSP2018-NER-train-Jan14).
VLSP ?=
evaluate-vlsp: $(SETUP) ## score on VLSP-2018 NER train (tune and check, per domain), beside underthesea
	$(PY) -m pipeline evaluate --format vlsp2018 $(if $(VLSP),--gold "$(VLSP)") --baseline underthesea

N ?= 2000
REPEAT ?= 3
bench: $(SETUP) ## N articles (default 2000, N=; REPEAT=3 times 1 and all workers, best kept) from data/raw and ../shared/gold/raw: 1 and all workers, 2N, re-runs, Dask, vs underthesea → $(OUT)/bench.json
	$(PY) -m pipeline bench --raw $(RAW) --gold $(GOLD)/raw -n $(N) --repeat $(REPEAT) --json $(OUT)/bench.json

# --- analysis (issue 10): SQL, one article, the report, its screenshots -----------------------------------
.PHONY: sql show report report-screenshot
Q   ?=
DOC ?=
REPORT := $(OUT)/report

sql: $(SETUP) ## DuckDB over the tables (each a view): make sql Q="SELECT * FROM entities LIMIT 5"
	@test -n "$(Q)" || { echo 'usage: make sql Q="SELECT canonical FROM entities WHERE label = '"'"'LEADER'"'"'"'; exit 2; }
	$(PY) -m pipeline sql --out $(OUT) "$(Q)"

show: $(SETUP) ## one article with its entities marked: make show DOC=000_dbd9b23d20324659
	$(PY) -m pipeline show --out $(OUT) "$(DOC)"

report: $(SETUP) ## static HTML report of the tables → data/processed/report/index.html (works offline)
	$(PY) -m pipeline report --out $(OUT) --report $(REPORT)

report-screenshot: report ## PNG screenshots of the report's overview and one article (headless Chromium)
	$(PY) -m pipeline report-screenshot --out $(OUT) --report $(REPORT)

clean: ## remove the output tables and snapshots (keeps .venv)
	rm -rf $(addprefix $(OUT)/,$(TABLES)) $(OUT)/*.parquet $(OUT)/current $(OUT)/previous $(OUT)/snapshots \
		$(OUT)/.lock $(OUT)/.*.tmp $(STAMPS) $(REPORT)
