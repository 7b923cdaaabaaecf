package report

import (
	"strings"
)

// The 正文 of a 公文 as a text draft the office edits in any editor (the
// CLI's "office bulletin --draft" writes it, "--from-draft" reads it back):
// Markdown-like, one paragraph per block separated by a blank line, "# " an
// 一级标题 (黑体), "## " an 二级标题 (楷体), "> " a paragraph without indent.

// DraftText writes paragraphs as a text draft.
func DraftText(paras []Para) string {
	var b strings.Builder
	b.WriteString("<!-- 通报正文草稿：每段之间空一行；“# ”为一级标题，“## ”为二级标题，“> ”为不缩进的段落。 -->\n\n")
	for _, p := range paras {
		switch p.Level {
		case LevelHeading1:
			b.WriteString("# ")
		case LevelHeading2:
			b.WriteString("## ")
		case LevelPlain:
			b.WriteString("> ")
		}
		b.WriteString(strings.TrimSpace(p.Text))
		b.WriteString("\n\n")
	}
	return b.String()
}

// ParseDraft reads a text draft back: lines of one block are joined (a
// Chinese paragraph wrapped by an editor has no spaces to keep), comments
// are dropped.
func ParseDraft(text string) []Para {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\ufeff", "")
	for {
		i := strings.Index(text, "<!--")
		if i < 0 {
			break
		}
		j := strings.Index(text[i:], "-->")
		if j < 0 {
			text = text[:i]
			break
		}
		text = text[:i] + text[i+j+3:]
	}
	var out []Para
	for _, block := range strings.Split(text, "\n\n") {
		var parts []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		if len(parts) == 0 {
			continue
		}
		joined := strings.Join(parts, "")
		p := Para{Level: LevelBody, Text: joined}
		switch {
		case strings.HasPrefix(joined, "## "):
			p = Para{Level: LevelHeading2, Text: strings.TrimSpace(joined[3:])}
		case strings.HasPrefix(joined, "# "):
			p = Para{Level: LevelHeading1, Text: strings.TrimSpace(joined[2:])}
		case strings.HasPrefix(joined, "> "):
			p = Para{Level: LevelPlain, Text: strings.TrimSpace(joined[2:])}
		}
		if p.Text != "" {
			out = append(out, p)
		}
	}
	return out
}
