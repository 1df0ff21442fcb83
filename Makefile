# The two commands of the README: `make run` and `make test`.
JOBS ?= $(shell nproc)
CONFIG ?= config/demo.yaml

.PHONY: all deps build release asan run test bench fuzz clean format

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

clean:
	rm -rf build

format:
	find src tests fuzz bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i
