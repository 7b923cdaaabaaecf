// Command reportbench prepares what bench/report.sh measures: a database
// with one signed 60-item inspection whose 20 failed items each carry a
// 12-megapixel JPEG attached through the store (so the report-size copies
// are derived as in the app), and the same content as an HTML page with
// the original photos, for Chromium to print.
//
//	go run ./bench/reportbench -dir DIR
//
// prints the inspection id on the last line. Photos are generated once
// into DIR/photos and reused; the database is made anew each run.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/store"
)

func main() {
	dir := flag.String("dir", "bench/.work", "work folder")
	nPhotos := flag.Int("photos", 20, "failed items with a 12 MP photo each")
	flag.Parse()
	if err := run(*dir, *nPhotos); err != nil {
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		os.Exit(1)
	}
}

func run(dir string, nPhotos int) error {
	photoDir := filepath.Join(dir, "photos")
	if err := os.MkdirAll(photoDir, 0o755); err != nil {
		return err
	}
	start := time.Now()
	paths, err := photos(photoDir, nPhotos)
	if err != nil {
		return err
	}
	var total int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		total += st.Size()
	}
	fmt.Fprintf(os.Stderr, "photos: %d × %d×%d JPEG, %.1f MB in all (%.1fs)\n", len(paths), photoW, photoH, float64(total)/1e6, time.Since(start).Seconds())

	dbDir := filepath.Join(dir, "db")
	if err := os.RemoveAll(dbDir); err != nil {
		return err
	}
	if err := os.MkdirAll(dbDir, 0o755); err != nil {
		return err
	}
	in, hashes, err := fill(filepath.Join(dbDir, "bench.db"), paths)
	if err != nil {
		return err
	}
	if err := writeHTML(filepath.Join(dir, "report.html"), in, hashes, paths, true); err != nil {
		return err
	}
	if err := writeHTML(filepath.Join(dir, "report-text.html"), in, hashes, paths, false); err != nil {
		return err
	}
	fmt.Println(in.ID)
	return nil
}

// photos generates the missing photo-NN.jpg files, two at a time.
func photos(dir string, n int) ([]string, error) {
	paths := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i := range n {
		paths[i] = filepath.Join(dir, fmt.Sprintf("photo-%02d.jpg", i+1))
		if st, err := os.Stat(paths[i]); err == nil && st.Size() > 0 {
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			tmp := paths[i] + ".tmp"
			if errs[i] = writePhoto(tmp, int64(i+1)); errs[i] == nil {
				errs[i] = os.Rename(tmp, paths[i])
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// benchTemplate is the combined template with an 18-item fourth section:
// 60 items in all.
func benchTemplate() (*inspect.Template, error) {
	var t map[string]any
	if err := json.Unmarshal(assets.TemplateFiles()["combined.json"], &t); err != nil {
		return nil, err
	}
	t["id"], t["title"] = "bench60", "机关服务效能明查暗访检查表（60 项）"
	texts := []string{
		"办事大厅设置无障碍通道并保持畅通", "老年人办事设置绿色通道", "自助服务终端正常运行", "叫号系统运行正常、叫号清晰",
		"等候区座椅、饮水等便民设施齐全", "办事指南纸质版与网上版本一致", "收费项目、标准和依据公开", "投诉意见箱定期开启并有记录",
		"“好差评”结果按月公示", "导办人员主动询问、引导", "首问负责登记台账完整", "容缺受理事项清单公开",
		"延时服务有记录、有公示", "窗口工作人员离岗放置暂停服务牌", "业务系统故障有应急预案", "群众反映问题当场登记并告知办理时限",
		"办结材料归档及时、完整", "上门服务、帮办代办有台账",
	}
	items := make([]any, len(texts))
	for i, text := range texts {
		items[i] = map[string]any{
			"code": fmt.Sprintf("BC-%02d", i+1), "text": text, "kind": "check", "category": "便民服务",
			"guidance": "现场查看并询问工作人员，不符合要求的拍照留存。",
			"rule":     map[string]any{"type": "fixed", "deduction": 0.5}, "evidence": "required_on_fail",
		}
	}
	t["sections"] = append(t["sections"].([]any), map[string]any{"code": "BC", "title": "四、便民服务补充检查", "items": items})
	data, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return inspect.ParseTemplate(data)
}

var notes = []string{
	"当班人员未按要求佩戴胸牌，经询问称胸牌遗忘在家中，现场未能提供",
	"公示栏内容已过期，未及时更新，部分人员已调离岗位仍在公示",
	"窗口工作人员接待群众时态度生硬，未能一次性告知所需材料",
	"超过承诺时限未办结，也未向申请人说明原因",
	"工作时间内工作人员使用手机浏览与工作无关的内容",
}

// fill makes the database: unit, template, photos attached through the
// store, and a signed inspection with every item answered and a photo on
// each failed one.
func fill(dbPath string, paths []string) (*inspect.Inspection, []string, error) {
	s, err := store.Open(dbPath, store.Options{NoBackup: true})
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := benchTemplate()
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	if err := s.PutTemplate("bench", tmpl); err != nil {
		s.Close()
		return nil, nil, err
	}
	unit := inspect.Unit{ID: "U-bench", Name: "区行政服务中心", Department: "区政务服务管理办公室", Kind: inspect.UnitServiceCenter, Address: "市民大道 1 号",
		Staff: []inspect.StaffMember{{Name: "孙海燕", Post: "综合窗口", Window: "1"}, {Name: "周杰", Post: "综合窗口", Window: "2"}, {Name: "吴芳", Post: "导办"}, {Name: "郑伟", Post: "综合窗口", Window: "3"}}}
	if err := s.PutUnit("bench", &unit); err != nil {
		s.Close()
		return nil, nil, err
	}
	t0 := time.Now()
	hashes := make([]string, len(paths))
	for i, p := range paths {
		m, err := s.AddPhotoFile("bench", p)
		if err != nil {
			s.Close()
			return nil, nil, err
		}
		hashes[i] = m.Hash
	}
	// Close waits for the background derivation of the report copies.
	if err := s.Close(); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(os.Stderr, "attach %d photos and derive their report copies: %.1fs\n", len(paths), time.Since(t0).Seconds())

	s, err = store.Open(dbPath, store.Options{NoBackup: true})
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	observed := time.Date(2026, 11, 18, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	inspectors := []string{"李明", "张华"}
	in, err := inspect.NewInspection("MC-20261118-BENCH1", unit, tmpl, inspect.ModeCovert, inspectors, observed, observed)
	if err != nil {
		return nil, nil, err
	}
	in.Place = unit.Address
	// The failed items: every third check item until the photos run out.
	var checks []string
	for _, it := range tmpl.Items() {
		if it.Kind == inspect.KindCheck {
			checks = append(checks, it.Code)
		}
	}
	fail := map[string]int{}
	for i := range paths {
		fail[checks[(i*len(checks)/len(paths))%len(checks)]] = i
	}
	for k, it := range tmpl.Items() {
		a := inspect.Answer{ItemCode: it.Code, AnsweredAt: observed.Add(time.Duration(k) * time.Minute), AnsweredBy: inspectors[0]}
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
			if i, ok := fail[it.Code]; ok {
				a.Result, a.Note, a.Photos = inspect.ResultFail, notes[i%len(notes)], []string{hashes[i]}
			}
		case inspect.KindCount:
			a.Counted = true
		case inspect.KindAttendance:
			a.Counted, a.Expected = true, len(unit.Staff)
			a.Absent = []inspect.AbsentPerson{{Name: "周杰", Post: "综合窗口", Reason: inspect.AbsenceOffPost, OnRoster: true}}
		case inspect.KindNumber:
			v := 12.0
			a.Number = &v
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
		case inspect.KindText:
			a.Text = "大厅秩序总体良好，但午间时段综合窗口只开放一个，等候群众较多。"
		}
		if err := in.SetAnswer(a, a.AnsweredAt); err != nil {
			return nil, nil, fmt.Errorf("answer %s: %w", it.Code, err)
		}
	}
	if err := s.CreateInspection(inspectors[0], in); err != nil {
		return nil, nil, err
	}
	if _, err := s.CompleteInspection(inspectors[0], in.ID, inspect.DefaultDeadlineDays, inspect.Holidays{}); err != nil {
		return nil, nil, err
	}
	for k, name := range inspectors {
		if _, err := s.SetSignature(name, in.ID, inspect.DrawnSignature{Inspector: name, PNG: signature(k), SignedAt: observed.Add(90 * time.Minute)}); err != nil {
			return nil, nil, err
		}
	}
	if in, err = s.SignInspection(inspectors[0], in.ID); err != nil {
		return nil, nil, err
	}
	return in, hashes, nil
}

// signature draws a handwriting-like stroke on a transparent PNG.
func signature(k int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	ink := color.NRGBA{10, 20, 80, 255}
	for t := 0.0; t < 1; t += 0.0005 {
		x := 20 + 260*t
		y := 50 + 25*math.Sin(t*18+float64(k)) + 10*math.Sin(t*47)
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				img.SetNRGBA(int(x)+dx, int(y)+dy, ink)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
