# LabelKit Makefile. Rules:
#   make setup     install the system libraries a fresh Debian machine lacks (libpng, libjpeg, sqlite3)
#   make run       the main job on SampleImages: encode every sample mask (LS + COCO RLE), print a table,
#                  export SampleImages/annotations.json to every format under out/samples/, then serve
#                  SampleImages (IIIF, Deep Zoom, thumbnails, viewer with overlays) on PORT (8080) and
#                  print the URLs to open
#   make test      build and run every test (what CI runs) with a private PostgreSQL cluster (Scripts/postgres.sh:
#                  installed from Debian's packages when missing, initdb in a temp folder, loopback port 55432,
#                  stopped at the end) for the frame-store suites and `make replicas`; installs the Python reference tools
#                  (pycocotools, label-studio-converter) into .venv-compare for Tests/Scripts/check_export.py,
#                  then runs the official IIIF validator against `labelkit serve` (make iiif-validate),
#                  schemathesis against the offload API (make schemathesis), the short hostile mix,
#                  the round trip through a real Label Studio (make label-studio-roundtrip) and
#                  10 s of each fuzzer (make fuzz-ci)
#   make schemathesis  fuzz the offload API (/v1) of `labelkit serve` on loopback against its own
#                  /openapi.json with schemathesis (PyPI, .venv-schemathesis; skipped without network)
#   make label-studio-roundtrip  a real Label Studio server (PyPI label-studio 1.23.2 in .venv-labelstudio, made
#                  by make label-studio; skipped without network) on loopback: imports tasks with every image shape,
#                  exports JSON, COCO, YOLO, VOC, BRUSH_TO_PNG and BRUSH_TO_NUMPY through its API and compares them with
#                  `labelkit export` of its JSON export (Tests/Scripts/label-studio-roundtrip.py, debug build)
#   make replicas  three `labelkit serve` replicas on one PostgreSQL database, 50 annotators round-robin over HTTP,
#                  overlap 2, 10% skips, one replica killed with SIGKILL and restarted (Tests/Scripts/replicas.py)
#   make offload-bench  POST /v1/rasterize throughput vs Flask + OpenCV + label-studio-converter (wrk)
#   make serve-bench    cached Deep Zoom tiles from `labelkit serve` (quiet and with default logging) vs nginx
#                  serving the same files and vs the HTTP layer alone (`labelkit bench http-cap`) (wrk)
#   make frames-bench   the label stream over HTTP at human pace beside GET /healthz: SQLite, PostgreSQL x1, x3
#   make gigapixel-bench  labelkit tiles vs vips dzsave on a generated 40000x40000 JPEG: time, peak memory, files
#   make gigapixel-serve-bench  labelkit serve on that JPEG: the tile store's build, random tile p50/p99,
#                  IIIF regions, XYZ tiles, peak resident memory (Scripts/gigapixel-serve-bench.sh)
#   make hostile-mix    Tests/Scripts/hostile-mix.py for 30 s against a release `labelkit serve` (p99 < 100 ms, memory back)
#   make hostile-mix-short  the same for 6 s against the debug build (2,000 idle connections, 64 renders;
#                  p99 limit 1 s: a debug build is 5-10x slower; part of make test)
#   make tsan      the server and frames test suites under ThreadSanitizer (.build-tsan; not in CI: slow)
#   make build     release build of the labelkit tool
#   make bench     package-benchmark suites in Benchmarks/ (release)
#   make fuzz      build the libFuzzer targets in Fuzz/ (release, -sanitize=fuzzer + AddressSanitizer) and
#                  run each for FUZZ_SECONDS (300); prints executions, exec/s and coverage per target
#   make fuzz-ci   the same for FUZZ_CI_SECONDS (10) per target (what `make test` runs)
#   make fuzz-corpus  regenerate the seed corpora in Fuzz/Corpus from the test fixtures
#   make compare   LabelKit against label-studio-converter and pycocotools (local venv), ratio table;
#                  then the 40000x40000 Deep Zoom row against vips dzsave (Scripts/gigapixel-bench.sh)
#                  and the service on that image (Scripts/gigapixel-serve-bench.sh)
#   make format    format the sources with swift-format
#   make lint      check formatting (strict)
#   make clean     remove build products
# `run` and `test` call `setup` first, so each works alone on a fresh clone.

SWIFT ?= swift
APT_PACKAGES := libpng-dev zlib1g-dev libjpeg-dev libsqlite3-dev libmagic1
VENV := .venv-compare
VENV_IIIF := .venv-iiif
LABELKIT := .build/release/labelkit

.PHONY: setup run test swift-test replicas build bench compare format lint clean python-refs iiif-validator iiif-validate responsiveness \
	schemathesis offload-bench serve-bench frames-bench gigapixel-bench gigapixel-serve-bench

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "setup: system libraries present ($(APT_PACKAGES))"; \
	elif [ "$$(id -u)" = 0 ]; then echo "setup: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "setup: missing$$missing; run 'sudo apt-get install$$missing' (or make setup as root)" >&2; exit 1; fi
	@command -v $(SWIFT) >/dev/null || { echo "setup: swift not found on PATH (Swift 6.1 or newer is needed)" >&2; exit 1; }

build: setup
	$(SWIFT) build -c release --product labelkit

EXPORT_FORMATS := png semantic coco yolo yolo-seg yolo-obb voc numpy

PORT ?= 8080

run: build
	@echo "== labelkit rle summary SampleImages/masks"
	@$(LABELKIT) rle summary SampleImages/masks
	@echo "== labelkit export SampleImages/annotations.json"
	@for f in $(EXPORT_FORMATS); do \
		$(LABELKIT) export SampleImages/annotations.json --to $$f -o out/samples/$$f --config SampleImages/config.xml --annotations all --force --quiet || exit 1; \
		echo "  $$f -> out/samples/$$f ($$(ls out/samples/$$f | wc -l) files)"; \
	done
	@echo "== labelkit serve SampleImages (Ctrl-C stops it)"
	@echo "  viewer with overlay: http://127.0.0.1:$(PORT)/view/astronaut?overlay=annotations.json"
	@echo "  IIIF info.json:      http://127.0.0.1:$(PORT)/iiif/3/astronaut/info.json"
	@echo "  IIIF image:          http://127.0.0.1:$(PORT)/iiif/3/astronaut/full/max/0/default.jpg"
	@echo "  thumbnail:           http://127.0.0.1:$(PORT)/thumb/coffee?w=256&h=256&fit=fill"
	@echo "  Deep Zoom:           http://127.0.0.1:$(PORT)/dzi/rocket.dzi"
	@mkdir -p out
	@$(LABELKIT) serve --root SampleImages --db out/serve-cache.sqlite --port $(PORT)

# Every Swift test; the frame-store suites also run on PostgreSQL when LABELKIT_TEST_POSTGRES names a server.
swift-test:
	$(SWIFT) test

# Three `labelkit serve` replicas on one PostgreSQL database, 50 annotators over HTTP, one replica killed
# with SIGKILL and restarted mid-run (Tests/Scripts/replicas.py; starts a private cluster when none is given).
replicas:
	@test -x .build/debug/labelkit || $(SWIFT) build --product labelkit
	bash Scripts/postgres.sh run $$( [ -x $(VENV)/bin/python ] && echo $(VENV)/bin/python || echo python3 ) \
		Tests/Scripts/replicas.py --labelkit .build/debug/labelkit

# schemathesis against `labelkit serve` on loopback: every check but positive_data_acceptance
# (a schema cannot say that an RLE stream must decode). Tests/Scripts/schemathesis.sh installs it
# into .venv-schemathesis itself and prints "skipped" without network.
SCHEMATHESIS_EXAMPLES ?= 100
schemathesis:
	@$(SWIFT) build --product labelkit && Tests/Scripts/schemathesis.sh .build/debug/labelkit $(SCHEMATHESIS_EXAMPLES)

offload-bench: setup
	Scripts/offload-bench.sh

serve-bench: setup
	Scripts/serve-bench.sh

# The label stream over HTTP at human pace beside GET /healthz: SQLite, PostgreSQL x1 and x3.
frames-bench:
	Scripts/frames-bench.sh

# labelkit tiles (strip by strip) vs vips dzsave on a generated 40000x40000 JPEG (SIZE=... for another side).
gigapixel-bench:
	Scripts/gigapixel-bench.sh

# labelkit serve on a generated 40000x40000 JPEG: build in the background, random tiles, peak memory.
gigapixel-serve-bench:
	Scripts/gigapixel-serve-bench.sh

# The reference tools are optional for `make test`: without them (no network) the
# Python checks report "skipped" and the Swift tests still run.
$(VENV)/.test-installed: Tests/Scripts/requirements.txt
	@python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r Tests/Scripts/requirements.txt && touch $@ \
		|| echo "test: could not install the Python reference tools; check_export.py will be skipped" >&2

python-refs: $(VENV)/.test-installed

test: setup python-refs iiif-validator
	bash Scripts/postgres.sh run $(MAKE) --no-print-directory swift-test replicas
	@$(MAKE) --no-print-directory responsiveness
	@$(MAKE) --no-print-directory iiif-validate
	@$(MAKE) --no-print-directory schemathesis
	@$(MAKE) --no-print-directory hostile-mix-short
	@$(MAKE) --no-print-directory label-studio-roundtrip
	@$(MAKE) --no-print-directory fuzz-ci

# /healthz and a cached tile within 50 ms (p99) while 40 label-stream calls and 8 cold
# 6000x4000 renders are in flight (Tests/LabelKitServerTests/ResponsivenessTests.swift),
# run alone so that no other test competes for the cores.
responsiveness:
	LABELKIT_RESPONSIVENESS=1 $(SWIFT) test --filter ResponsivenessTests

# The official IIIF validator (PyPI iiif-validator) against `labelkit serve` on
# loopback, three runs at level 2 (it samples squares and sizes at random).
# Skipped with a message when the validator could not be installed (no network).
$(VENV_IIIF)/.installed: Tests/Scripts/iiif-requirements.txt
	@python3 -m venv $(VENV_IIIF) && $(VENV_IIIF)/bin/pip install -q -r Tests/Scripts/iiif-requirements.txt && touch $@ \
		|| echo "test: could not install iiif-validator; the IIIF validation will be skipped" >&2

iiif-validator: $(VENV_IIIF)/.installed

iiif-validate: iiif-validator
	@if [ -x $(VENV_IIIF)/bin/iiif-validate.py ]; then \
		$(SWIFT) build --product labelkit && Tests/Scripts/iiif-validate.sh .build/debug/labelkit $(VENV_IIIF) 3; \
	else echo "iiif-validate: skipped (iiif-validator is not installed)"; fi

bench: setup
	cd Benchmarks && BENCHMARK_DISABLE_JEMALLOC=true $(SWIFT) package --allow-writing-to-package-directory benchmark

$(VENV)/.installed: Scripts/compare-requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r Scripts/compare-requirements.txt
	touch $@

compare: build $(VENV)/.installed
	$(VENV)/bin/python Scripts/compare.py --labelkit $(LABELKIT)
	LABELKIT=$(LABELKIT) Scripts/gigapixel-bench.sh
	LABELKIT=$(LABELKIT) Scripts/gigapixel-serve-bench.sh

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build .build-* Benchmarks/.build

# The hostile mix: heavy overlays, the scan bomb, 20 MiB bodies, distinct renders and idle
# connections against `labelkit serve` while a prober times GET /healthz and one cached tile
# (p99 under 100 ms) and memory must come back to within 100 MB of its start within 10 s.
.PHONY: hostile-mix hostile-mix-short
hostile-mix: setup
	$(SWIFT) build -c release --product labelkit
	python3 Tests/Scripts/hostile-mix.py $(LABELKIT)

hostile-mix-short: setup
	$(SWIFT) build --product labelkit
	python3 Tests/Scripts/hostile-mix.py .build/debug/labelkit --seconds 6 --idle 2000 --renders 64 --p99-ms 1000

# libFuzzer targets (Fuzz/, a package of its own like Benchmarks/). Every Swift module is built
# with -sanitize=fuzzer (coverage + libFuzzer's main) and, unless FUZZ_SANITIZE is empty,
# AddressSanitizer. Fuzz/Scripts/fuzz.sh runs the targets one after the other with their own
# -max_len and dictionary, -rss_limit_mb=2048, and prints a table; it fails when a target finds
# a crash, leak, timeout or out-of-memory input (saved under Fuzz/.work/artifacts/).
FUZZ_SECONDS ?= 300
FUZZ_CI_SECONDS ?= 10
FUZZ_TARGETS ?= FuzzLabelStudioRLE FuzzCOCORLE FuzzExactJSON FuzzLabelStudioTask FuzzIIIFRequest FuzzImageHeader
FUZZ_SANITIZE ?= address
fuzz_comma := ,
FUZZ_BUILD_FLAGS := --sanitize=fuzzer $(if $(FUZZ_SANITIZE),-Xswiftc -sanitize=fuzzer$(fuzz_comma)$(FUZZ_SANITIZE))

.PHONY: fuzz fuzz-ci fuzz-build fuzz-corpus

fuzz-build: setup
	cd Fuzz && $(SWIFT) build -c release $(FUZZ_BUILD_FLAGS)

fuzz: fuzz-build
	@Fuzz/Scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-ci: fuzz-build
	@Fuzz/Scripts/fuzz.sh $(FUZZ_CI_SECONDS) $(FUZZ_TARGETS)

fuzz-corpus:
	python3 Fuzz/Scripts/make-corpus.py

# The server and frames suites under ThreadSanitizer, in their own scratch path. Not in CI: on two
# shared cores the clean TSan build takes about 45 min and the run about 5 min. A report fails the run
# (TSan exits 66); Tests/tsan-suppressions.txt lists what is not LabelKit's race, and why.
# LABELKIT_TSAN=1 skips the tests that TSan's 5-20x slowdown breaks (latency bounds, renders past the
# test client's 20 s timeout; Tests/LabelKitServerTests/ThreadSanitizerRun.swift), and
# SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=1 runs one test at a time (in parallel they starve
# each other's renders into those timeouts; one at a time is also faster).
TSAN_SCRATCH := .build-tsan
.PHONY: tsan
tsan: setup
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path $(TSAN_SCRATCH)
	TSAN_OPTIONS=halt_on_error=0:second_deadlock_stack=1:suppressions=$(CURDIR)/Tests/tsan-suppressions.txt \
	LABELKIT_TSAN=1 SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=1 \
		$(SWIFT) test --skip-build --sanitize=thread --scratch-path $(TSAN_SCRATCH) \
		--filter 'LabelKitServerTests|LabelKitFramesTests'

# A real Label Studio server against `labelkit export` (Tests/Scripts/label-studio-roundtrip.py).
# Label Studio comes from PyPI into its own venv (about 1 GB); without network the install prints a
# message and the round trip reports "skipped". The first run also migrates an empty database once
# (about a minute) and keeps it in the venv; later runs take about 10 s.
VENV_LS := .venv-labelstudio
.PHONY: label-studio label-studio-roundtrip

$(VENV_LS)/.installed: Tests/Scripts/labelstudio-requirements.txt
	@python3 -m venv $(VENV_LS) && $(VENV_LS)/bin/pip install -q -r Tests/Scripts/labelstudio-requirements.txt && touch $@ \
		|| echo "label-studio: could not install Label Studio; the round trip will be skipped" >&2

label-studio: $(VENV_LS)/.installed

label-studio-roundtrip: label-studio
	@$(SWIFT) build --product labelkit && python3 Tests/Scripts/label-studio-roundtrip.py .build/debug/labelkit
