// Command mingcha is 明察: with no arguments it opens the window; with a
// subcommand it serves scripts and the 效能办 (run "mingcha help").
// It is the only importer of fyne.io/fyne/v2/app.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	_ "mingcha/cmd/mingcha/internal/localeenv" // before Fyne reads the locale
	"mingcha/desk"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/store"
)

// AppID is the Fyne application id; FyneApp.toml carries the same.
const AppID = "cn.mingcha.desktop"

// command is one subcommand. Files of this package register theirs in init.
type command struct {
	Name  string // e.g. "templates validate"
	Usage string // arguments after the name
	// Summary is the one-line description in the user's language; a func
	// because the translations are loaded after the commands register.
	Summary func() string
	Run     func(e *env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.Name] = c }

// env is what a command works with.
type env struct {
	dbPath string
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	cmd    command
}

// DefaultDBPath is the database in <data root>/fyne/<app id>, as Fyne's
// desktop driver lays out its app storage (the data root: datadir_*.go).
func DefaultDBPath() string {
	dir, err := dataRoot()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "fyne", AppID, "mingcha.db")
}

// flags returns a flag set for the current command with --db bound.
func (e *env) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("mingcha "+e.cmd.Name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.dbPath, "db", e.dbPath, "database file")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "%s\n\n%s\n\n%s\n", usageLine(e.cmd), e.cmd.Summary(), lang.L("flags:"))
		printFlags(fs)
	}
	return fs
}

// printFlags prints the flags with their help in the user's language: each
// flag's usage text is a key of the translation files (the CLI key test
// checks that every one is there).
func printFlags(fs *flag.FlagSet) {
	// flag.PrintDefaults' layout, with "(default …)" in the user's words.
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if kind != "" {
			line += " " + kind
		}
		line += "\n    \t" + strings.ReplaceAll(lang.Localize(usage), "\n", "\n    \t")
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" {
			if kind == "string" {
				def = strconv.Quote(def)
			}
			line += lang.L(" (default {{.Value}})", map[string]any{"Value": def})
		}
		fmt.Fprintln(fs.Output(), line)
	})
}

// usageLine is "usage: mingcha NAME [--db PATH] ARGS" in the user's language.
func usageLine(c command) string {
	return lang.L("usage: mingcha {{.Command}} [--db PATH] {{.Args}}", map[string]any{"Command": c.Name, "Args": c.Usage})
}

// parse parses flags wherever they stand among the arguments.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		// flag prints its own English reason before the usage: both are
		// held back, and the reason said in the user's language first.
		usage, out := fs.Usage, fs.Output()
		fs.Usage = func() {}
		fs.SetOutput(io.Discard)
		err := fs.Parse(args)
		fs.Usage = usage
		fs.SetOutput(out)
		if err != nil {
			if !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(out, flagError(err))
			}
			usage()
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// flagError is the flag package's reason for refusing the command line
// ("flag provided but not defined: -x"), in the user's language.
func flagError(err error) string {
	text := err.Error()
	if f, ok := strings.CutPrefix(text, "flag provided but not defined: "); ok {
		return lang.L("there is no option {{.Flag}}", map[string]any{"Flag": f})
	}
	if f, ok := strings.CutPrefix(text, "flag needs an argument: "); ok {
		return lang.L("the option {{.Flag}} needs a value", map[string]any{"Flag": f})
	}
	if a, ok := strings.CutPrefix(text, "bad flag syntax: "); ok {
		return lang.L("{{.Arg}} is not an option as written", map[string]any{"Arg": a})
	}
	// invalid value "x" for flag -n: parse error (invalid boolean value … for -b: …)
	if rest, ok := strings.CutPrefix(text, "invalid "); ok {
		if i := strings.Index(rest, " for "); i >= 0 {
			if j := strings.Index(rest[i:], ": "); j >= 0 {
				value := rest[strings.Index(rest, " value ")+len(" value ") : i]
				f := strings.TrimPrefix(rest[i+len(" for "):i+j], "flag ")
				reason := rest[i+j+2:]
				switch reason {
				case "parse error", "value out of range", `strconv.ParseBool: parsing ` + value + `: invalid syntax`:
					return lang.L("{{.Value}} is not a valid value for {{.Flag}}", map[string]any{"Value": value, "Flag": f})
				}
				return lang.L("{{.Value}} is not a valid value for {{.Flag}}: {{.Reason}}", map[string]any{"Value": value, "Flag": f, "Reason": reason})
			}
		}
	}
	return text
}

// forceFlag binds --force: replace an existing output file.
func forceFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("force", false, "replace the output file if it exists")
}

// writeOutput writes a file the user pointed a command at: never over the
// database, its backups, stores, a key or a control file (however the path
// is spelled), and over another existing file only with force.
func writeOutput(dbPath, path string, data []byte, force bool) error {
	if err := store.RefuseOutput(dbPath, path); err != nil {
		return err
	}
	return store.WriteOutput(path, data, force)
}

// open opens the database for a command.
func (e *env) open(readOnly bool) (*store.Store, error) {
	return store.Open(e.dbPath, store.Options{ReadOnly: readOnly})
}

// desk is the inspector's use cases over the database (close its Store).
func (e *env) desk(readOnly bool) (*desk.Desk, error) {
	s, err := e.open(readOnly)
	if err != nil {
		return nil, err
	}
	return desk.New(s, desk.Keys{Passphrase: os.Getenv(desk.EnvPassphrase)}), nil
}

// office is the 效能办's use cases over the database (close its Store).
func (e *env) office(readOnly bool) (*office.Office, error) {
	s, err := e.open(readOnly)
	if err != nil {
		return nil, err
	}
	return office.New(s, office.Keys{Passphrase: os.Getenv(desk.EnvPassphrase)}), nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// errUsage marks a failure whose message was already printed by flag.
var errUsage = errors.New("usage")

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = msg.LoadTranslations()
	e := &env{dbPath: DefaultDBPath(), stdout: stdout, stderr: stderr, stdin: stdin}
	// Global --db before the subcommand, and the GUI with no subcommand.
	for len(args) >= 2 && (args[0] == "--db" || args[0] == "-db") {
		e.dbPath, args = args[1], args[2:]
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "--db=") {
		e.dbPath, args = strings.TrimPrefix(args[0], "--db="), args[1:]
	}
	if len(args) == 0 {
		return runGUI(e.dbPath)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	c, rest, ok := lookup(args)
	if !ok && isGroup(args[0]) { // "mingcha office --help": the group's commands
		if len(args) > 1 && (args[1] == "-h" || args[1] == "--help" || args[1] == "help") {
			groupUsage(stdout, args[0])
			return 0
		}
		if len(args) == 1 {
			groupUsage(stderr, args[0])
			return 2
		}
	}
	if !ok {
		fmt.Fprintln(stderr, lang.L("mingcha: unknown command {{.Command}} (see mingcha help)",
			map[string]any{"Command": strconv.Quote(strings.Join(args[:min(2, len(args))], " "))}))
		return 2
	}
	e.cmd = c
	if err := c.Run(e, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "mingcha %s: %s\n", c.Name, oneLine(msg.Detailed(err)))
		}
		return 1
	}
	return 0
}

// lookup finds the longest command name that prefixes args.
func lookup(args []string) (command, []string, bool) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:], true
		}
	}
	c, ok := commands[args[0]]
	return c, args[1:], ok
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "明察 Mingcha — 机关服务效能明查暗访")
	// "usage:" is as wide in Chinese (用法：) as in English.
	fmt.Fprintln(w, "\n"+lang.L("usage:")+" mingcha [--db PATH]            "+lang.L("open the window"))
	fmt.Fprintln(w, "       mingcha COMMAND [--db PATH] ...  "+lang.L("run a command (COMMAND --help for details)"))
	fmt.Fprintln(w, "\n"+lang.L("commands:"))
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-20s %s\n", n, c.Summary())
	}
	fmt.Fprintln(w, "\n"+lang.L("default database: {{.Path}}", map[string]any{"Path": DefaultDBPath()}))
}
