package main

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"

	"mingcha/inspect"
)

// The HTML page a clerk would otherwise print: the same header, item table,
// problems, signatures and photo appendix, the photos as <img> of the
// original files.
var page = template.Must(template.New("r").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}} {{.In.Unit.Name}}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 9pt; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; background: #e6ecf5; padding: 2pt 4pt; }
table { width: 100%; border-collapse: collapse; margin-bottom: 6pt; }
td, th { border: 0.5pt solid #999; padding: 2pt 3pt; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.bad { color: #be0000; }
.sec td { background: #f5f5f5; font-size: 10pt; }
.photo { page-break-inside: avoid; text-align: center; margin: 0 0 8mm; }
.photo img { max-width: 180mm; max-height: 110mm; }
.hash { color: #666; font-size: 7pt; }
.sig { display: inline-block; width: 56mm; margin-right: 6mm; text-align: center; }
.sig img { width: 52mm; border: 0.5pt solid #bbb; }
</style></head><body>
<h1>{{.Title}}</h1>
<p style="text-align:center;color:#555">{{.In.Template.Title}}（第 {{.In.Template.Version}} 版）</p>
<table>
<tr><th>被检查单位</th><td>{{.In.Unit.Name}}</td></tr>
<tr><th>所属部门</th><td>{{.In.Unit.Department}}</td></tr>
<tr><th>检查方式</th><td>暗访</td></tr>
<tr><th>检查时间</th><td>{{.Observed}}</td></tr>
<tr><th>检查地点</th><td>{{.In.Place}}</td></tr>
<tr><th>检查人员</th><td>{{.Inspectors}}</td></tr>
<tr><th>报告编号</th><td>{{.In.ID}}</td></tr>
</table>
<table><tr><td>得分 {{printf "%.2f" .Score.Value}} / {{.Score.Full}}</td><td>评定等级 {{.Score.Rating}}</td><td>扣分合计 {{.Score.Deducted}}</td><td>已检查项目 {{.Score.Answered}} / {{.Score.Total}}</td></tr></table>
<h2>一、检查明细</h2>
<table><thead><tr><th>编号</th><th>检查内容</th><th>结果</th><th>扣分</th><th>说明</th></tr></thead><tbody>
{{range .Rows}}{{if .Section}}<tr class="sec"><td colspan="5">{{.Section}}</td></tr>{{else}}<tr><td>{{.Code}}</td><td>{{.Text}}</td><td{{if .Bad}} class="bad"{{end}}>{{.Result}}</td><td class="bad">{{.Deduction}}</td><td>{{.Note}}</td></tr>{{end}}
{{end}}</tbody></table>
<h2>二、问题清单及整改要求</h2>
<table><thead><tr><th>序号</th><th>编号</th><th>问题描述</th><th>整改期限</th></tr></thead><tbody>
{{range $i, $p := .In.Problems}}<tr><td>{{inc $i}}</td><td>{{$p.ItemCode}}</td><td>{{$p.Description}}</td><td>{{$p.Deadline.Format "2006-01-02"}}</td></tr>
{{end}}</tbody></table>
<h2>三、检查人员签名</h2>
{{range .Signatures}}<div class="sig"><img src="{{.Src}}"><br>{{.Name}}</div>{{end}}
{{if .Photos}}<h2 style="page-break-before:always">附件：现场照片</h2>{{end}}
{{range $i, $p := .Photos}}<div class="photo"><img src="{{$p.Src}}"><br>照片 {{$p.N}}　{{$p.Caption}}<br><span class="hash">原图 SHA-256 {{$p.Hash}}</span></div>
{{end}}
</body></html>
`))

type htmlRow struct {
	Section                             string
	Code, Text, Result, Deduction, Note string
	Bad                                 bool
}

type htmlPhoto struct {
	N             int
	Src           template.URL
	Caption, Hash string
}

type htmlSig struct {
	Name string
	Src  template.URL
}

// writeHTML writes the page; without photos it is the text-only twin.
func writeHTML(path string, in *inspect.Inspection, hashes, photoPaths []string, withPhotos bool) error {
	byHash := map[string]string{}
	for i, h := range hashes {
		rel, err := filepath.Rel(filepath.Dir(path), photoPaths[i])
		if err != nil {
			return err
		}
		byHash[h] = rel
	}
	data := struct {
		Title, Observed, Inspectors string
		In                          *inspect.Inspection
		Score                       inspect.Score
		Rows                        []htmlRow
		Photos                      []htmlPhoto
		Signatures                  []htmlSig
	}{Title: "明查暗访检查报告", In: in, Score: in.Score(), Observed: in.ObservedAt.Format("2006年01月02日 15:04"),
		Inspectors: strings.Join(in.Inspectors, "、")}
	for _, sec := range in.Template.Sections {
		data.Rows = append(data.Rows, htmlRow{Section: sec.Title})
		for i := range sec.Items {
			it := &sec.Items[i]
			a := in.Answers[it.Code]
			o := inspect.Evaluate(it, a)
			row := htmlRow{Code: it.Code, Text: it.Text, Result: "合格", Bad: o.Failed}
			if o.Failed {
				row.Result = "不合格"
			}
			if o.Deduction > 0 {
				row.Deduction = fmt.Sprintf("-%g", o.Deduction)
			}
			if a != nil {
				row.Note = strings.TrimSpace(a.Text + " " + a.Note)
				for _, h := range a.Photos {
					if !withPhotos {
						break
					}
					data.Photos = append(data.Photos, htmlPhoto{N: len(data.Photos) + 1, Src: template.URL(byHash[h]),
						Caption: it.Code + " " + it.Text + "　现场说明：" + a.Note, Hash: h})
					row.Note += fmt.Sprintf(" 见附件照片 %d", len(data.Photos))
				}
			}
			data.Rows = append(data.Rows, row)
		}
	}
	for _, sg := range in.Signatures {
		data.Signatures = append(data.Signatures, htmlSig{Name: sg.Inspector,
			Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(sg.PNG))})
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := page.Execute(f, data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
