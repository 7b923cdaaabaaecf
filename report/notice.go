package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// The 整改通知书: the office's notice to one unit of its open problems, a
// 公文 (RenderGongwen) 主送 the unit, each problem with the date it was
// found, its wording, the evidence (report id, photo hashes) and its 整改
// deadline, what the unit must report back and by when, and whom to
// contact. Its data is embedded as notice.json; the caller signs it.

// NoticeAttachment is the file name of the embedded notice data.
const NoticeAttachment = "notice.json"

// NoticeProblem is one problem a notice names.
type NoticeProblem struct {
	ID       string    `json:"id"`
	FoundAt  time.Time `json:"found_at"`
	Wording  string    `json:"wording"` // the problem wording, with the inspector's note
	ReportID string    `json:"report_id"`
	Photos   []string  `json:"photos,omitempty"` // SHA-256 of the photos
	Deadline time.Time `json:"deadline"`
}

// RectifyNotice is what a 整改通知书 says.
type RectifyNotice struct {
	Office     string          `json:"office"`
	Number     string          `json:"number"` // 文号, e.g. 效能整改〔2026〕3号
	Unit       string          `json:"unit"`   // 主送: the unit's full name
	Date       time.Time       `json:"date"`
	ReplyBy    time.Time       `json:"reply_by"` // 整改报告 due
	Contact    string          `json:"contact,omitempty"`
	Problems   []NoticeProblem `json:"problems"`
	Proof      bool            `json:"proof,omitempty"`
	CC         string          `json:"cc,omitempty"`
	Recipients string          `json:"-"`
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// NoticeDocument is the notice as a 公文.
func NoticeDocument(n *RectifyNotice) *Gongwen {
	office := strings.TrimSpace(n.Office)
	issuer := office
	if issuer != "" && !strings.HasSuffix(issuer, "文件") {
		issuer += "文件"
	}
	g := &Gongwen{Issuer: issuer, Number: n.Number, Title: "关于" + n.Unit + "限期整改的通知", Recipients: n.Unit,
		Signer: office, Date: n.Date, CC: n.CC, Printer: office, PrintDate: n.Date, Proof: n.Proof}
	g.Body = append(g.Body, Para{Text: fmt.Sprintf("近期，%s在机关服务效能明查暗访中发现你单位存在以下问题，现通知如下，请限期整改。", firstText(office, "我办"))})
	g.Body = append(g.Body, Para{Level: LevelHeading1, Text: "一、存在的问题"})
	for i, p := range n.Problems {
		ev := "检查报告" + p.ReportID
		if len(p.Photos) > 0 {
			var hs []string
			for _, h := range p.Photos {
				hs = append(hs, shortHash(h))
			}
			ev += "，照片" + strings.Join(hs, "、")
		}
		g.Body = append(g.Body, Para{Text: fmt.Sprintf("%d. %s，%s（证据：%s）。整改期限：%s。", i+1, cnDate(p.FoundAt),
			strings.TrimRight(p.Wording, "。；;"), ev, cnDate(p.Deadline))})
	}
	g.Body = append(g.Body, Para{Level: LevelHeading1, Text: "二、整改要求"})
	g.Body = append(g.Body, Para{Text: fmt.Sprintf("请你单位对照上述问题逐条整改，于%s前将整改报告（问题清单、整改措施、责任人、完成时间及照片等佐证材料，经单位主要负责人签字）书面报送%s。逾期未报或整改不到位的，将予以通报并纳入年度效能考评。", cnDate(n.ReplyBy), firstText(office, "我办"))})
	if c := strings.TrimSpace(n.Contact); c != "" {
		g.Body = append(g.Body, Para{Level: LevelHeading1, Text: "三、联系方式"})
		g.Body = append(g.Body, Para{Text: c + "。"})
	}
	return g
}

// RenderNotice lays the 整改通知书 out as a 公文 PDF with notice.json
// embedded; unsigned.
func RenderNotice(n *RectifyNotice, fonts GongwenFonts) ([]byte, error) {
	if n == nil || len(n.Problems) == 0 {
		return nil, fmt.Errorf("整改通知书: no open problem")
	}
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("整改通知书: %w", err)
	}
	return RenderGongwen(NoticeDocument(n), fonts, []gofpdf.Attachment{{Content: data, Filename: NoticeAttachment, Description: "整改通知书数据 (JSON)"}})
}
