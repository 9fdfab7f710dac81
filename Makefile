# The two commands the README names: `make conformance` and `make test`.
GO ?= go
BIN := bin
IMAGE ?= healthapi-conformance/refserver:dev
TOOL_IMAGE ?= healthapi-conformance/conformance:dev
# The builder's CA bundle, copied into the tool image for https targets (Debian's path).
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
# make dist: the platforms the binaries are built for.
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
# Builds stamp the VCS revision themselves: `go run` and -buildvcs=false record none.
REV := $(shell git rev-parse HEAD 2>/dev/null)
REVISION := $(REV)$(if $(REV),$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty))
LDFLAGS := -X github.com/healthapi-conformance/conformance/harness/evidence.Revision=$(REVISION)

.PHONY: bench conformance conformance-ers conformance-hpi conformance-image mutants matrix coverage test fuzz build image tool-image dist vet fmt-check clean

## conformance: run every feature against the embedded reference server
conformance:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance run --random

## conformance-ers, conformance-hpi: one API's features only
conformance-ers:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance run --random --tags @ers

conformance-hpi:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance run --random --tags @hpi

## bench: the harness against a raw replay of its own requests (the floor), embedded and --target, with and without --evidence, 1x and 16x the features
bench:
	$(GO) run ./cmd/bench

## mutants: the suite against every mutant of the reference server, with the kill rate
mutants:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance mutants

## matrix: run the suite and write docs/traceability.md (rules, sources, scenarios, results)
matrix:
	-$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance run --format progress,cucumber:reports/cucumber.json
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance matrix --results reports/cucumber.json --out docs/traceability.md

## coverage: account for every documented statement, and write docs/coverage.md
coverage:
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance coverage --markdown docs/coverage.md

## test: unit tests, the feature suite inside go test and a sample of the mutant checks, with -race; then every mutant and choice, and the whole suite at concurrency 4, without it
test: vet fmt-check
	$(GO) test -race -count=1 -timeout 15m ./...
	$(GO) test -count=1 -timeout 10m -run '^(TestKillRateIsComplete|TestConcurrentRunIsTheSequentialRun)$$' ./harness/mutation ./harness

## fuzz: each fuzz target (profile loader, tag filter, reference-server routes) for FUZZTIME, from its committed corpus
FUZZTIME ?= 10s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./profile/
	$(GO) test -run '^$$' -fuzz '^FuzzTags$$' -fuzztime $(FUZZTIME) ./harness/
	$(GO) test -run '^$$' -fuzz '^FuzzRoutes$$' -fuzztime $(FUZZTIME) ./refserver/

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)/conformance ./cmd/conformance
	$(GO) build -o $(BIN)/refserver ./cmd/refserver

## image: the reference server as a FROM-scratch image with a static binary
image:
	mkdir -p $(BIN)/image
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/image/refserver ./cmd/refserver
	cp build/refserver.Dockerfile $(BIN)/image/Dockerfile
	docker build -t $(IMAGE) $(BIN)/image

## tool-image: the harness itself as a FROM-scratch image, features embedded; entry point conformance, default args run
tool-image:
	rm -rf $(BIN)/tool-image && mkdir -p $(BIN)/tool-image/rootfs
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-s -w $(LDFLAGS)' -o $(BIN)/tool-image/rootfs/conformance ./cmd/conformance
	@if [ -f $(CA_BUNDLE) ]; then \
		mkdir -p $(BIN)/tool-image/rootfs/etc/ssl/certs && cp $(CA_BUNDLE) $(BIN)/tool-image/rootfs/etc/ssl/certs/ca-certificates.crt; \
	else echo "tool-image: no CA bundle at $(CA_BUNDLE): the image can test http targets, and https ones only with SSL_CERT_FILE mounted"; fi
	cp build/conformance.Dockerfile $(BIN)/tool-image/Dockerfile
	docker build -t $(TOOL_IMAGE) $(BIN)/tool-image

## dist: static binaries for linux and darwin, amd64 and arm64, in dist/, with dist/SHA256SUMS
dist:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		echo "dist/conformance_$${os}_$${arch}"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '-s -w $(LDFLAGS)' -o dist/conformance_$${os}_$${arch} ./cmd/conformance; \
	done
	cd dist && sha256sum conformance_* > SHA256SUMS

## conformance-image: every feature against the reference server in a container
conformance-image: image
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/conformance run --random --image $(IMAGE)

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean:
	rm -rf $(BIN) reports dist
