# Everyday commands. `make demo` and `make test` install what they need
# (Debian packages via scripts/install-deps.sh) before building.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)

.PHONY: all deps web build demo test test-slow asan tsan fuzz bench clean format tidy install deb

all: build

deps:
	@scripts/install-deps.sh

# Front-end packages (Leaflet, markercluster, uPlot, playwright-core) from the
# npm registry, pinned by web/package-lock.json; reinstalled when it changes.
web: deps web/node_modules/.vigil-stamp

web/node_modules/.vigil-stamp: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# vigil on the PATH with its data and dashboard (PREFIX, default /usr/local).
PREFIX ?= /usr/local
install: build web
	cmake --install $(BUILD) --prefix $(PREFIX) --strip
	@echo "installed: $(PREFIX)/bin/vigil (data and dashboard in $(PREFIX)/share/vigil)"

# A Debian package of the same (build/vigil_VERSION_ARCH.deb): dpkg -i it.
deb: build web
	cd $(BUILD) && cpack -G DEB

demo: build web
	$(BUILD)/src/cli/vigil demo

test: build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

test-slow: build
	cd $(BUILD) && ctest --output-on-failure -L slow

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON -DVIGIL_BUILD_BENCH=OFF

asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --output-on-failure -j $(JOBS) -LE slow

# ThreadSanitizer on the threaded parts: the HTTP server (transport, scheduler,
# alert ticker and deliverer), the importer's parse/write pipeline, the store.
# OpenMP (the model's fits) runs on one thread here: Debian's libgomp is not
# instrumented, so TSan cannot see its barriers and reports every parallel
# loop as a race.
TSAN_BUILD ?= build-tsan
TSAN_TESTS ?= http_test|hostile_http_test|alert_e2e_test|ingest_test|store_test|fault_test
$(TSAN_BUILD)/build.ninja:
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_TSAN=ON -DVIGIL_BUILD_BENCH=OFF

tsan: deps $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && OMP_NUM_THREADS=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  ctest --output-on-failure -j $(JOBS) -R '^($(TSAN_TESTS))$$'

# libFuzzer targets, each for FUZZ_SECONDS (default 60); fuzz/run.sh.
fuzz: deps
	fuzz/run.sh

bench: build
	bench/run_import_bench.sh
	bench/run_http_bench.sh
	bench/run_model_bench.sh
	bench/run_extract_bench.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

tidy: build
	clang-tidy -p $(BUILD) $$(git ls-files 'src/*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-tsan build-fuzz
