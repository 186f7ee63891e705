# The two commands a newcomer needs (see README.md): `make run` and `make test`.
# Both install what is missing first (Debian/Ubuntu, as root or through sudo).

GO       ?= go
GOFLAGS  ?=
BINARY   := cnie-reader

.PHONY: run test deps pcscd build short bench vet fmt

deps:
	@packaging/dev/install-deps.sh

build: deps
	$(GO) build -trimpath -o $(BINARY) .

# Starts the application. For now this is the CLI read of the built-in
# virtual card (CAN 123456); the GUI replaces it when it lands.
run: build
	./$(BINARY) read --sim

pcscd: deps
	@packaging/dev/start-pcscd.sh

# Every test, including those that go through real pcscd + vpcd.
test: deps pcscd
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# The quick edit-test loop: no pcscd, no long tests.
short:
	$(GO) test -short ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./reader/...
