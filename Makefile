# LabelKit Makefile. Rules:
#   make setup     install the system libraries a fresh Debian machine lacks (libpng, libjpeg, sqlite3)
#   make run       the main job on SampleImages: encode every sample mask (LS + COCO RLE), print a table,
#                  and export SampleImages/annotations.json to every format under out/samples/
#   make test      build and run every test (what CI runs); installs the Python reference tools
#                  (pycocotools, label-studio-converter) into .venv-compare for Tests/Scripts/check_export.py
#   make build     release build of the labelkit tool
#   make bench     package-benchmark suites in Benchmarks/ (release)
#   make compare   LabelKit against label-studio-converter and pycocotools (local venv), ratio table
#   make format    format the sources with swift-format
#   make lint      check formatting (strict)
#   make clean     remove build products
# `run` and `test` call `setup` first, so each works alone on a fresh clone.

SWIFT ?= swift
APT_PACKAGES := libpng-dev zlib1g-dev libjpeg-dev libsqlite3-dev
VENV := .venv-compare
LABELKIT := .build/release/labelkit

.PHONY: setup run test build bench compare format lint clean python-refs

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "setup: system libraries present ($(APT_PACKAGES))"; \
	elif [ "$$(id -u)" = 0 ]; then echo "setup: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "setup: missing$$missing; run 'sudo apt-get install$$missing' (or make setup as root)" >&2; exit 1; fi
	@command -v $(SWIFT) >/dev/null || { echo "setup: swift not found on PATH (Swift 6.1 or newer is needed)" >&2; exit 1; }

build: setup
	$(SWIFT) build -c release --product labelkit

EXPORT_FORMATS := png semantic coco yolo yolo-seg yolo-obb

run: build
	@echo "== labelkit rle summary SampleImages/masks"
	@$(LABELKIT) rle summary SampleImages/masks
	@echo "== labelkit export SampleImages/annotations.json"
	@for f in $(EXPORT_FORMATS); do \
		$(LABELKIT) export SampleImages/annotations.json --to $$f -o out/samples/$$f --annotations all --force --quiet || exit 1; \
		echo "  $$f -> out/samples/$$f ($$(ls out/samples/$$f | wc -l) files)"; \
	done

# The reference tools are optional for `make test`: without them (no network) the
# Python checks report "skipped" and the Swift tests still run.
$(VENV)/.test-installed: Tests/Scripts/requirements.txt
	@python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r Tests/Scripts/requirements.txt && touch $@ \
		|| echo "test: could not install the Python reference tools; check_export.py will be skipped" >&2

python-refs: $(VENV)/.test-installed

test: setup python-refs
	$(SWIFT) test

bench: setup
	cd Benchmarks && BENCHMARK_DISABLE_JEMALLOC=true $(SWIFT) package --allow-writing-to-package-directory benchmark

$(VENV)/.installed: Scripts/compare-requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r Scripts/compare-requirements.txt
	touch $@

compare: build $(VENV)/.installed
	$(VENV)/bin/python Scripts/compare.py --labelkit $(LABELKIT)

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build .build-* Benchmarks/.build
