# 明察 Mingcha. On a fresh Debian/Ubuntu machine:
#   make run    install what is missing, build, open the app on the default database
#   make test   the whole suite (installs poppler-utils, xvfb, … when missing)
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
GO ?= go
BIN := bin/mingcha
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_PKGS := $(BUILD_PKGS) poppler-utils xvfb xdotool imagemagick xauth x11-utils
FUZZTIME ?= 10s
# The Debian font packages assets/fonts is made from (make fonts).
FONT_PKGS := fonts-wqy-microhei fonts-droid-fallback fonts-babelstone-han fonts-dejavu-core fonts-symbola fonts-arphic-uming fonts-arphic-ukai

.PHONY: run build deps deps-test fonts test test-go fuzz smoke bench bench-office screenshots crash-long clean

run: deps build
	./$(BIN) $(if $(DB),--db $(DB))

build:
	$(GO) build -o $(BIN) ./cmd/mingcha

# Install the Debian packages Fyne's OpenGL driver needs, only when missing.
deps:
	@missing=""; for p in $(BUILD_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@command -v $(GO) >/dev/null || { echo "Go is missing: install Go 1.24 or newer from https://go.dev/dl/"; exit 1; }

deps-test:
	@missing=""; for p in $(TEST_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

# Rebuild the bundled fonts from Debian's packages (assets/fonts/README.md).
fonts:
	@missing=""; for p in $(FONT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	sh tools/subsetfont/bundled.sh

test: deps-test
	$(GO) mod download
	$(GO) vet ./...
	$(MAKE) test-go fuzz build smoke

# Everything but cmd/mingcha builds and tests without cgo or a display.
test-go:
	CGO_ENABLED=0 $(GO) test -count=1 $$($(GO) list ./... | grep -v /cmd/)
	$(GO) test -count=1 ./cmd/...
	# The store under the race detector: a bbolt check beside a committing
	# writer once killed the process with a concurrent map access.
	$(GO) test -race -short -count=1 ./store/... ./inspect/...

fuzz:
	$(GO) test ./inspect -run '^$$' -fuzz '^FuzzParseTemplate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzRosterCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzRosterXLSX$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s
	$(GO) test ./store -run '^$$' -fuzz '^FuzzImportPayload$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s
	@if grep -qs 'func FuzzVerify' report/*_test.go; then \
	  $(GO) test ./report -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 1s; fi

# The real binary in a real X window (Xvfb): start, screenshot, close.
smoke: build
	./scripts/smoke.sh $(BIN)

crash-long:
	$(GO) test ./store -run TestCrashKeepsAcknowledgedSaves -crash.runs 1000 -v -timeout 30m

bench:
	$(GO) test ./store -run '^$$' -bench 'Autosave|Bare' -benchtime 2000x -count 3

# 效能办: import of 500 signed reports, overview of 5,000 inspections.
bench-office:
	./bench/office.sh

screenshots: build
	./scripts/screenshots.sh $(BIN)

clean:
	rm -rf bin
