# The two commands the README names: `make conformance` and `make test`.
GO ?= go
BIN := bin

.PHONY: conformance conformance-ers conformance-hpi test build vet fmt-check clean

## conformance: run every feature against the embedded reference server
conformance:
	$(GO) run ./cmd/conformance run --random

## conformance-ers, conformance-hpi: one API's features only
conformance-ers:
	$(GO) run ./cmd/conformance run --random --tags @ers

conformance-hpi:
	$(GO) run ./cmd/conformance run --random --tags @hpi

## test: unit tests, the feature suite inside go test, and the mutant checks, with -race
test: vet fmt-check
	$(GO) test -race -count=1 -timeout 15m ./...

build:
	$(GO) build -o $(BIN)/conformance ./cmd/conformance
	$(GO) build -o $(BIN)/refserver ./cmd/refserver

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean:
	rm -rf $(BIN) reports
