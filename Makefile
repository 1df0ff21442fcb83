# The two commands of the README: `make run` and `make test`.
JOBS ?= $(shell nproc)
CONFIG ?= config/demo.yaml

.PHONY: all deps build release asan run test bench bench-routed fuzz clean format

all: release

deps:
	scripts/install-deps.sh

release: deps
	cmake --preset release >/dev/null
	cmake --build build/release -j $(JOBS)

asan: deps
	cmake --preset asan >/dev/null
	cmake --build build/asan -j $(JOBS)

build: release

# Build the optimised binary and run ccsip in the foreground on the demo config.
run: release
	build/release/src/app/ccsip --config $(CONFIG)

# Sanitizer build, then every unit, integration and short fuzz test.
test: asan
	cd build/asan && ctest --output-on-failure -j $(JOBS) --timeout 300

bench: release
	bench/run-micro.sh

# SIPp load of the routed inbound call at rising rates (docs/benchmarks.md); minutes, not
# seconds. RATES="1000 2000" narrows it; bench/routed-load/run.sh lists the other settings.
bench-routed: deps
	bench/routed-load/run.sh $(RATES)

clean:
	rm -rf build

format:
	find src tests fuzz bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i
