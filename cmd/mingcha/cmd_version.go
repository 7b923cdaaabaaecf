package main

import (
	"flag"
	"fmt"
	"runtime"

	"fyne.io/fyne/v2/lang"
)

// version and build are FyneApp.toml's Version and Build, the single
// source: the release builds set them with -ldflags "-X main.version=…
// -X main.build=…" (Makefile, scripts/build-linux.sh); a plain go build
// says "dev".
var version, build = "dev", "0"

func init() {
	register(command{Name: "version",
		Summary: func() string { return lang.L("print the program's version, build and platform") },
		Run:     cmdVersion})
}

func cmdVersion(e *env, args []string) error {
	fs := flag.NewFlagSet("mingcha version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintf(e.stderr, "mingcha version\n\n%s\n", e.cmd.Summary()) }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Name}} {{.Version}} (build {{.Build}}, {{.Platform}})", map[string]any{
		"Name": lang.L("Mingcha"), "Version": version, "Build": build, "Platform": runtime.GOOS + "/" + runtime.GOARCH}))
	return nil
}
