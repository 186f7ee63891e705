# The two commands a newcomer needs (see README.md): `make run` and `make test`.
# Both install what is missing first (Debian/Ubuntu, as root or through sudo).

GO       ?= go
GOFLAGS  ?=
BINARY   := cnie-reader
# The version is FyneApp.toml's; the commit comes from the build info.
VERSION  := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS  := -X github.com/cnie-reader/cnie-reader/internal/version.version=$(VERSION) \
            -X github.com/cnie-reader/cnie-reader/internal/version.commit=$(shell git rev-parse HEAD 2>/dev/null)

.PHONY: run test deps pcscd build short bench vet fmt screenshots illustrations walk deb package-test windows windows-test release

deps:
	@packaging/dev/install-deps.sh

build: deps
	$(GO) build -trimpath -buildvcs=true -ldflags '$(LDFLAGS)' -o $(BINARY) .

# Starts the application: the window, which offers the built-in DEMO card
# (CAN 123456) when no reader is plugged in. Without a display (an SSH
# session, a container) it reads the DEMO card on the terminal instead.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then ./$(BINARY); else \
		echo "No display: reading the DEMO card on the terminal instead (cnie-reader read --sim --verify)."; \
		./$(BINARY) read --sim --verify; fi

pcscd: deps
	@packaging/dev/start-pcscd.sh

# Every test, including those that go through real pcscd + vpcd and those
# of the Redis store, which start their own redis-server (installed by deps).
test: deps pcscd
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# Every main screen, in French and English, as PNG files in screenshots/
# (Fyne's software renderer: no display needed).
screenshots: deps
	$(GO) run ./app/gui/screenshots -out screenshots

# The illustrations' PNGs, from their SVGs, at the sizes the screens show
# them (assets/illustrations/sizes.txt), 1x and 2x; commit the result.
illustrations: deps
	$(GO) generate ./assets/illustrations

# The walk: the real window under Xvfb, driven with xdotool through the four
# journeys at 1024x768 and 1366x768, French and English; one PNG per step in
# $(WALK_OUT) (see tools/walk/README.md). Look at them before you stop.
WALK_OUT ?= walk
walk: deps
	$(GO) build -o $(WALK_OUT)/.bin/$(BINARY) .
	WALK_BIN=$(WALK_OUT)/.bin/$(BINARY) tools/walk/walk.sh $(WALK_OUT)

# The Debian/Ubuntu package, reproducible (see packaging/linux/build-deb.sh).
deb: deps
	@packaging/linux/build-deb.sh dist

# Builds the .deb twice (identical), validates, installs, runs, removes.
package-test: deps
	@packaging/linux/package-test.sh

# The Windows executables and MSI, cross-built here (mingw-w64, wixl).
windows: deps
	@packaging/windows/install-deps.sh
	@packaging/windows/build.sh dist

# The Windows command line under wine64: --version, read --sim, seal.
windows-test: windows
	@packaging/windows/wine-test.sh dist

# Everything a release ships, with its checksums.
release: deb windows
	cd dist && sha256sum cnie-reader_* cnie-reader.exe cnie-reader-cli.exe | sort -k2 > SHA256SUMS
	@cat dist/SHA256SUMS

# The quick edit-test loop: no pcscd, no long tests.
short:
	$(GO) test -short ./...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./reader/... ./assertion/store/...
