package cli

// The help layout is fang's (charm.land/fang/v2 v2.0.1, help.go and
// theme.go; MIT License, Copyright (c) 2024-2026 Charmbracelet, Inc), with
// its palette taken from fang itself. It is copied rather than called
// because fang picks light or dark colours by querying the process's own
// terminal, os.Stdin and os.Stdout, with no option to say otherwise: on a
// terminal that never answers, help and every usage error waited about 4 s
// and left the query on the screen, and under `faxwatch serve` an SSH
// client's `help` asked the server's terminal. Here the colours come from
// what is already known, and the writer, width and environment are this
// run's. Fang's command groups are left out: no command here has a group.

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"faxwatch/ui/style"
)

// showHelp is the help of every command: fang's layout, in colour when
// standard output is a terminal that shows colour.
func (r *runner) showHelp(c *cobra.Command, _ []string) {
	out := c.OutOrStdout()
	w, colour := colourWriter(out, r.getenv)
	if !colour {
		w = &colorprofile.Writer{Forward: out, Profile: colorprofile.NoTTY}
	}
	// Help loads no config, so [ui] theme is not known here: "auto".
	st := helpStylesFor(fang.DefaultColorScheme(lipgloss.LightDark(darkBackground("auto", r.getenv))))
	writeHelp(w, c, st, colour, helpWidth(out))
}

// helpWidth is the terminal's width, at most 120 columns; 120 when the
// output is not a terminal, as fang does.
func helpWidth(out io.Writer) int {
	if f, ok := out.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return min(cols, 120)
		}
	}
	return 120
}

// helpStyles are the styles fang's help uses.
type helpStyles struct {
	text, title, flagDescription, flagDefault lipgloss.Style
	block, blockComment                       lipgloss.Style
	blockProgram, program                     programStyles
}

// programStyles colour a command line's parts.
type programStyles struct {
	name, command, flag, argument, dimmedArgument, quotedString lipgloss.Style
}

func helpStylesFor(cs fang.ColorScheme) helpStyles {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	onBlock := func(s lipgloss.Style) lipgloss.Style { return s.Background(cs.Codeblock) }
	prog := programStyles{
		name: fg(cs.Program), command: fg(cs.Command), flag: fg(cs.Flag), argument: fg(cs.Argument),
		dimmedArgument: fg(cs.DimmedArgument), quotedString: fg(cs.QuotedString),
	}
	return helpStyles{
		text:            fg(cs.Base),
		title:           lipgloss.NewStyle().Bold(true).Foreground(cs.Title).Transform(strings.ToUpper).Padding(1, 0).Margin(0, 2),
		flagDescription: fg(cs.Description).Transform(titleFirstWord),
		flagDefault:     fg(cs.FlagDefault),
		block:           lipgloss.NewStyle().Background(cs.Codeblock).Foreground(cs.Base).MarginLeft(2).Padding(1, 2),
		blockComment:    onBlock(fg(cs.Comment)),
		blockProgram: programStyles{
			name: onBlock(prog.name), command: onBlock(prog.command), flag: onBlock(prog.flag), argument: onBlock(prog.argument),
			dimmedArgument: onBlock(prog.dimmedArgument), quotedString: onBlock(prog.quotedString),
		},
		program: prog,
	}
}

// writeHelp lays out c's help as fang does: description, usage and examples
// in a block, then the commands and the flags in aligned columns.
func writeHelp(w io.Writer, c *cobra.Command, st helpStyles, colour bool, width int) {
	if text := cmp.Or(c.Long, c.Short); text != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.text.Width(width).PaddingLeft(2).Render(text))
	}
	usage := styleUsage(c, st.blockProgram, true)
	examples := styleExamples(c, st)
	blockWidth := lipgloss.Width(usage)
	for _, ex := range examples {
		blockWidth = max(blockWidth, lipgloss.Width(ex))
	}
	padding := st.block.GetHorizontalPadding()
	block := st.block.Width(min(width-padding, blockWidth+padding))
	if !colour { // without a background the block's blank lines are noise
		block = block.PaddingTop(0).PaddingBottom(0)
	}
	fmt.Fprintln(w, st.title.Render("usage"))
	fmt.Fprintln(w, block.Render(usage))
	if len(examples) > 0 {
		cw := block.GetWidth() - block.GetHorizontalPadding()
		for i, ex := range examples {
			examples[i] = style.Truncate(ex, cw)
		}
		fmt.Fprintln(w, st.title.Render("examples"))
		fmt.Fprintln(w, block.Render(strings.Join(examples, "\n")))
	}
	cmds, flags := helpCommands(c, st), helpFlags(c, st)
	space := 10 // the key column, as wide as the widest key of both lists
	for _, it := range append(slices.Clone(cmds), flags...) {
		space = max(space, lipgloss.Width(it.key)+2)
	}
	renderGroup(w, st, space, "commands", cmds)
	renderGroup(w, st, space, "flags", flags)
	fmt.Fprintln(w)
}

// helpItem is one line of a help list: a command or a flag, and its help.
type helpItem struct{ key, help string }

func renderGroup(w io.Writer, st helpStyles, space int, name string, items []helpItem) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, st.title.Render(name))
	for _, it := range items {
		fmt.Fprintln(w, lipgloss.JoinHorizontal(lipgloss.Left,
			lipgloss.NewStyle().PaddingLeft(4).Render(it.key), strings.Repeat(" ", space-lipgloss.Width(it.key)), it.help))
	}
}

// helpCommands are the visible sub-commands, styled, in definition order.
func helpCommands(c *cobra.Command, st helpStyles) []helpItem {
	var items []helpItem
	for _, sc := range c.Commands() {
		if !sc.Hidden {
			items = append(items, helpItem{styleUsage(sc, st.program, false), st.flagDescription.Render(sc.Short)})
		}
	}
	return items
}

// helpFlags are the visible flags, with their defaults.
func helpFlags(c *cobra.Command, st helpStyles) []helpItem {
	var items []helpItem
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + " " + name
		}
		key := st.program.flag.Render(name)
		var lines []string
		for i, line := range strings.Split(f.Usage, "\n") {
			switch {
			case line == "":
				lines = append(lines, "")
			case i > 0:
				lines = append(lines, st.flagDescription.UnsetTransform().Render(line))
			default:
				lines = append(lines, st.flagDescription.Render(line))
			}
		}
		help := strings.Join(lines, "\n")
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			help += st.flagDefault.Render(" (" + f.DefValue + ")")
		}
		items = append(items, helpItem{key, help})
	})
	return items
}

var otherArgsRe = regexp.MustCompile(`(\[.*\])`)

// styleUsage styles a usage line: the whole of it (complete), or the
// command's own Use for the list of commands.
func styleUsage(c *cobra.Command, st programStyles, complete bool) string {
	u := c.Use
	if complete {
		u = c.UseLine()
	}
	hasArgs := strings.Contains(u, "[args]")
	hasFlags := strings.Contains(u, "[flags]") || strings.Contains(u, "[--flags]") || c.HasFlags() || c.HasPersistentFlags() || c.HasAvailableFlags()
	hasCommands := strings.Contains(u, "[command]") || c.HasAvailableSubCommands()
	for _, k := range []string{"[args]", "[flags]", "[--flags]", "[command]"} {
		u = strings.ReplaceAll(u, k, "")
	}
	var otherArgs []string
	for _, arg := range otherArgsRe.FindAllString(u, -1) {
		u = strings.ReplaceAll(u, arg, "")
		otherArgs = append(otherArgs, arg)
	}
	u = strings.TrimSpace(u)
	var line []string
	if complete {
		parts := strings.Fields(u)
		line = append(line, st.name.Render(parts[0]))
		if len(parts) > 1 {
			line = append(line, st.command.Render(" "+strings.Join(parts[1:], " ")))
		}
	} else {
		line = append(line, st.command.Render(u))
	}
	if hasCommands {
		line = append(line, st.dimmedArgument.Render(" [command]"))
	}
	if hasArgs {
		line = append(line, st.dimmedArgument.Render(" [args]"))
	}
	for _, arg := range otherArgs {
		line = append(line, st.dimmedArgument.Render(" "+arg))
	}
	if hasFlags {
		line = append(line, st.dimmedArgument.Render(" [--flags]"))
	}
	return lipgloss.JoinHorizontal(lipgloss.Left, line...)
}

// styleExamples styles each line of c.Example as a shell command.
func styleExamples(c *cobra.Command, st helpStyles) []string {
	if c.Example == "" {
		return nil
	}
	var out []string
	lines := strings.Split(c.Example, "\n")
	indent := false
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if (i == 0 || i == len(lines)-1) && line == "" {
			continue
		}
		out = append(out, styleExample(c, line, indent, st))
		indent = len(line) > 1 && (line[len(line)-1] == '\\' || line[len(line)-1] == '|')
	}
	return out
}

// exampleLine is the state of styleExample's walk through one line.
type exampleLine struct {
	quoted, foundProgram, redirecting bool
	words                             []string // the words that may name sub-commands
}

func styleExample(c *cobra.Command, line string, indent bool, st helpStyles) string {
	if strings.HasPrefix(line, "# ") {
		return st.blockComment.Render(line)
	}
	p := st.blockProgram
	var ex exampleLine
	args := strings.Fields(line)
	for i, arg := range args {
		lead := p.dimmedArgument.Render(" ")
		if i == 0 {
			lead = ""
			if indent {
				lead = p.dimmedArgument.Render("  ")
			}
		}
		args[i] = lead + ex.style(c, arg, i == len(args)-1, p)
	}
	return lipgloss.JoinHorizontal(lipgloss.Left, args...)
}

// style colours one word: shell punctuation dim, the program, its
// sub-commands, flags, quoted strings and arguments each their own.
func (ex *exampleLine) style(c *cobra.Command, arg string, last bool, p programStyles) string {
	quoteStart := arg[0] == '"' || arg[0] == '\''
	quoteEnd := arg[len(arg)-1] == '"' || arg[len(arg)-1] == '\''
	flag := arg[0] == '-'
	switch {
	case ex.redirecting:
		ex.redirecting = false
		return p.dimmedArgument.Render(arg)
	case arg == "\\" && last, arg == "|", arg == "||", arg == "-", arg == "&", arg == "&&":
		return p.dimmedArgument.Render(arg)
	case isRedirect(arg):
		ex.redirecting = true
		return p.dimmedArgument.Render(arg)
	}
	if !ex.foundProgram {
		if ex.quoted {
			ex.quoted = !quoteEnd
			return p.quotedString.Render(arg)
		}
		if left, right, ok := strings.Cut(arg, "="); ok {
			if right != "" && right[0] == '"' {
				ex.quoted = true
				return p.flag.Render(left+"=") + p.quotedString.Render(right)
			}
			return p.flag.Render(left+"=") + p.argument.Render(right)
		}
		if arg == c.Root().Name() || slices.Contains(c.Root().Aliases, arg) {
			ex.foundProgram = true
			return p.name.Render(arg)
		}
	}
	if !quoteStart && !ex.quoted && !flag {
		ex.words = append(ex.words, arg)
	}
	if !quoteStart && !flag && isSubCommand(c, ex.words, arg) {
		return p.command.Render(arg)
	}
	ex.quoted = ex.quoted || quoteStart
	switch {
	case ex.quoted:
		ex.quoted = !quoteEnd
		return p.quotedString.Render(arg)
	case flag:
		if name, value, ok := strings.Cut(arg, "="); ok {
			return p.flag.Render(name+"=") + p.argument.Render(value)
		}
		return p.flag.Render(arg)
	}
	return p.argument.Render(arg)
}

func isSubCommand(c *cobra.Command, args []string, word string) bool {
	cmd, _, _ := c.Root().Traverse(args)
	return cmd != nil && (cmd.Name() == word || slices.Contains(cmd.Aliases, word))
}

func isRedirect(s string) bool {
	for _, p := range []string{">", "<", "&>", "2>", "1>", ">>", "2>>"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// titleFirstWord capitalises the first letter, as fang does descriptions
// (fang also lowers the rest of the word, which turned "JSON" into "Json").
func titleFirstWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if i < 0 {
		return s
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return s[:i] + string(unicode.ToTitle(r)) + s[i+n:]
}
