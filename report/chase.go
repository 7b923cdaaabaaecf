package report

import (
	"fmt"
	"strings"
	"time"
)

// The 催办 list as a printable 公文: the office's reminder to the units
// whose 整改 is overdue, each unit with its overdue problems (found, wording,
// deadline, working days late), and the whole list as a table in the 附件.
// Unsigned: it is printed and handed out or sent with a signed cover.

// ChaseProblem is one overdue problem of a ChaseUnit.
type ChaseProblem struct {
	ID       string
	FoundAt  time.Time
	Wording  string
	Deadline time.Time
	DaysLate int
}

// ChaseUnit is a unit with its overdue problems, most days late first.
type ChaseUnit struct {
	Unit, Department string
	Problems         []ChaseProblem
}

// ChaseList is what the 催办 document says.
type ChaseList struct {
	Office string
	Number string
	Date   time.Time
	Units  []ChaseUnit
}

// ChaseDocument is the 催办 list as a 公文.
func ChaseDocument(c *ChaseList) *Gongwen {
	office := strings.TrimSpace(c.Office)
	issuer := office
	if issuer != "" && !strings.HasSuffix(issuer, "文件") {
		issuer += "文件"
	}
	n := 0
	var names []string
	for _, u := range c.Units {
		n += len(u.Problems)
		names = append(names, u.Unit)
	}
	g := &Gongwen{Issuer: issuer, Number: c.Number, Title: "关于督促逾期未整改问题限期整改的通知", Recipients: strings.Join(names, "、"),
		Signer: office, Date: c.Date, Printer: office, PrintDate: c.Date}
	g.Body = append(g.Body, Para{Text: fmt.Sprintf("截至%s，%d家单位的%d处问题已超过整改期限仍未整改，现予催办。请有关单位抓紧整改，并于接到本通知之日起5个工作日内将整改情况书面报送%s。",
		cnDate(c.Date), len(c.Units), n, firstText(office, "我办"))})
	for i, u := range c.Units {
		name := u.Unit
		if u.Department != "" && !strings.HasPrefix(name, u.Department) {
			name = u.Department + name
		}
		g.Body = append(g.Body, Para{Level: LevelHeading2, Text: fmt.Sprintf("（%s）%s（%d处）", chineseNumber(i+1), name, len(u.Problems))})
		for k, p := range u.Problems {
			g.Body = append(g.Body, Para{Text: fmt.Sprintf("%d. %s发现：%s。整改期限%s，已逾期%d个工作日。", k+1, cnDate(p.FoundAt),
				strings.TrimRight(p.Wording, "。；;"), cnDate(p.Deadline), p.DaysLate)})
		}
	}
	rows := [][]string{{"序号", "单位", "问题", "整改期限", "逾期工作日"}}
	k := 0
	for _, u := range c.Units {
		for _, p := range u.Problems {
			k++
			rows = append(rows, []string{fmt.Sprint(k), u.Unit, strings.TrimRight(p.Wording, "。；;"), p.Deadline.Format("2006-01-02"), fmt.Sprint(p.DaysLate)})
		}
	}
	g.Annexes = []Annex{{Title: "逾期未整改问题清单", Widths: []float64{12, 36, 64, 24, 24}, Rows: rows}}
	return g
}

// RenderChase lays the 催办 list out as a 公文 PDF (unsigned).
func RenderChase(c *ChaseList, fonts GongwenFonts) ([]byte, error) {
	if c == nil || len(c.Units) == 0 {
		return nil, fmt.Errorf("催办: no overdue problem")
	}
	return RenderGongwen(ChaseDocument(c), fonts, nil)
}
