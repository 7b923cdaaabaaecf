package desk

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand"
	"os"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

// The demo database (mingcha demo): sample units and inspections in every
// state, for trying the program out and for benchmarks.

// DemoUnits is how many units the demo database holds.
const DemoUnits = 8

var demoUnits = [DemoUnits]inspect.Unit{
	{Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice, Address: "人民路 88 号 3 楼",
		Staff: []inspect.StaffMember{{Name: "陈建国", Post: "科长"}, {Name: "王丽", Post: "科员"}, {Name: "刘洋", Post: "科员"}, {Name: "赵敏", Post: "办事员"}}},
	{Name: "区行政服务中心", Department: "区政务服务管理办公室", Kind: inspect.UnitServiceCenter, Address: "市民大道 1 号",
		Staff: []inspect.StaffMember{{Name: "孙海燕", Post: "综合窗口", Window: "1"}, {Name: "周杰", Post: "综合窗口", Window: "2"}, {Name: "吴䶮", Post: "导办", Window: ""}, {Name: "郑𬌗", Post: "综合窗口", Window: "3"}, {Name: "冯雪", Post: "收件", Window: "5"}}},
	{Name: "区人社局社保经办窗口", Department: "区人力资源和社会保障局", Kind: inspect.UnitWindow, Address: "建设路 12 号",
		Staff: []inspect.StaffMember{{Name: "何静", Post: "窗口", Window: "A1"}, {Name: "黄磊", Post: "窗口", Window: "A2"}, {Name: "林晓", Post: "窗口", Window: "A3"}}},
	{Name: "区民政局婚姻登记处", Department: "区民政局", Kind: inspect.UnitWindow, Address: "和平街 6 号",
		Staff: []inspect.StaffMember{{Name: "高红", Post: "登记员", Window: "1"}, {Name: "马超", Post: "登记员", Window: "2"}}},
	{Name: "区不动产登记中心", Department: "区自然资源局", Kind: inspect.UnitServiceCenter, Address: "滨江路 30 号",
		Staff: []inspect.StaffMember{{Name: "罗斌", Post: "受理", Window: "6"}, {Name: "梁悦", Post: "受理", Window: "7"}, {Name: "宋涛", Post: "审核"}, {Name: "唐欣", Post: "缴费", Window: "9"}}},
	{Name: "区税务局第一税务分局办税服务厅", Department: "区税务局", Kind: inspect.UnitWindow, Address: "财富路 2 号",
		Staff: []inspect.StaffMember{{Name: "韩冬", Post: "办税", Window: "3"}, {Name: "曹颖", Post: "办税", Window: "4"}, {Name: "许峰", Post: "导税"}}},
	{Name: "区住建局审批科", Department: "区住房和城乡建设局", Kind: inspect.UnitOffice, Address: "城建大厦 5 楼",
		Staff: []inspect.StaffMember{{Name: "邓刚", Post: "科长"}, {Name: "彭丹", Post: "科员"}, {Name: "曾亮", Post: "科员"}}},
	{Name: "区市场监管局食品许可科", Department: "区市场监督管理局", Kind: inspect.UnitOffice, Address: "人民路 90 号",
		Staff: []inspect.StaffMember{{Name: "蒋文", Post: "科长"}, {Name: "蔡琳", Post: "科员"}}},
}

// demoHolder is whom the demo key is made for.
const demoHolder = "演示检查员"

// The demo key's holder, 演示检查员, is one of every demo inspection's
// inspectors: a report is valid only when each signer is one of them.
var demoInspectors = [][]string{{demoHolder, "张华"}, {demoHolder}, {demoHolder, "钱磊"}}

// demoNotes are what an inspector notes on a failed item.
var demoNotes = []string{"当班人员未按要求佩戴", "现场未见，询问后称已收起", "内容已过期，未及时更新", "工作人员态度生硬", "超过承诺时限未办结"}

// EnsureDemoKey creates the demo database's signing key, self-signed for
// 演示检查员 and encrypted with the public demo passphrase.
func EnsureDemoKey(dbPath string) (string, bool, error) {
	path := DemoKeyPath(dbPath)
	if _, err := os.Stat(path); err == nil {
		return path, false, nil
	}
	id, err := report.NewSelfSigned(demoHolder, "明察演示数据（非正式报告）")
	if err != nil {
		return "", false, err
	}
	if err := SaveIdentity(path, id, DemoPassphrase); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// FillDemo writes the sample units and n inspections, deterministic but
// for ids. Every third is signed, every third completed, the rest drafts.
func FillDemo(s *store.Store, n int, now time.Time) (int, error) {
	units := make([]inspect.Unit, len(demoUnits))
	for i, u := range demoUnits {
		u := u
		u.ID = fmt.Sprintf("U-demo-%02d", i+1)
		if err := s.PutUnit("demo", &u); err != nil {
			return 0, err
		}
		units[i] = u
	}
	tpls, err := s.Templates()
	if err != nil {
		return 0, err
	}
	var tplCombined *inspect.Template
	for i := range tpls {
		if tpls[i].ID == "combined" {
			tplCombined = &tpls[i]
		}
	}
	if tplCombined == nil {
		return 0, errors.New(lang.L("the combined template is missing"))
	}
	rng := rand.New(rand.NewSource(7))
	photos := map[string]string{}
	for k := 0; k < 4; k++ {
		m, err := s.AddPhoto("demo", demoPhoto(k), fmt.Sprintf("现场照片-%d.png", k+1))
		if err != nil {
			return 0, err
		}
		photos[fmt.Sprint(k)] = m.Hash
	}
	// Drawn once: every demo inspector signs alike.
	signatures := [][]byte{demoSignature(0), demoSignature(1)}
	// One transaction per batch of inspections: the demo is bulk work, not
	// the autosave path, and an fsync per edit was most of its time.
	one := func(s *store.Store, i int) error {
		u := units[i%len(units)]
		tpl := tplCombined
		if i%4 == 3 && len(tpls) > 1 {
			tpl = &tpls[i%len(tpls)]
		}
		insp := demoInspectors[i%len(demoInspectors)]
		mode := inspect.ModeCovert
		if i%3 == 1 {
			mode = inspect.ModeOpen
		}
		observed := now.Add(-time.Duration(n-i) * 26 * time.Hour).Truncate(time.Minute)
		in, err := inspect.NewInspection(store.NewID(observed), u, tpl, mode, insp, observed, observed)
		if err != nil {
			return err
		}
		in.Place = u.Address
		answerAll(in, rng, photos, observed)
		if i == 1 {
			rareNames(in, observed)
		}
		if err := s.CreateInspection(insp[0], in); err != nil {
			return err
		}
		state := i % 3
		if i == n-1 {
			state = 0 // the newest is a draft in progress
		}
		if state == 0 {
			// A draft half done: drop the answers of the second half.
			items := in.Template.Items()
			var codes []string
			for _, it := range items[len(items)/2:] {
				codes = append(codes, it.Code)
			}
			if _, err := s.ClearAnswers(insp[0], in.ID, codes); err != nil {
				return err
			}
			return nil
		}
		if _, err := s.CompleteInspection(insp[0], in.ID, inspect.DefaultDeadlineDays, inspect.Holidays{}); err != nil {
			return fmt.Errorf("%s: %w", lang.L("complete {{.ID}}", map[string]any{"ID": in.ID}), err)
		}
		if state == 1 {
			return nil
		}
		var sigs []inspect.DrawnSignature
		for k, name := range in.Inspectors {
			sigs = append(sigs, inspect.DrawnSignature{Inspector: name, PNG: signatures[k%len(signatures)]})
		}
		if _, err := s.SetSignatures(insp[0], in.ID, sigs); err != nil {
			return err
		}
		if _, err := s.SignInspection(insp[0], in.ID); err != nil {
			return fmt.Errorf("%s: %w", lang.L("sign {{.ID}}", map[string]any{"ID": in.ID}), err)
		}
		return nil
	}
	const batch = 100
	for start := 0; start < n; start += batch {
		err := s.Batch(func(b *store.Store) error {
			for i := start; i < min(start+batch, n); i++ {
				if err := one(b, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return start, err
		}
	}
	return n, nil
}

// answerAll answers every item the way a real visit goes: most pass, some
// fail with a note and a photo, a few are not applicable.
func answerAll(in *inspect.Inspection, rng *rand.Rand, photos map[string]string, at time.Time) {
	for _, it := range in.Template.Items() {
		a := inspect.Answer{ItemCode: it.Code, AnsweredAt: at, AnsweredBy: in.Inspectors[0]}
		fail := rng.Float64() < 0.12
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
			if fail {
				a.Result = inspect.ResultFail
			} else if rng.Float64() < 0.04 {
				a.Result = inspect.ResultNA
			}
		case inspect.KindCount:
			a.Counted = true
			if fail {
				a.Count = 1 + rng.Intn(3)
			}
		case inspect.KindAttendance:
			a.Counted = true
			a.Expected = len(in.Unit.Staff)
			for _, p := range in.Unit.Staff {
				if rng.Float64() < 0.2 {
					reason := inspect.AbsenceReasons[rng.Intn(len(inspect.AbsenceReasons))]
					a.Absent = append(a.Absent, inspect.AbsentPerson{Name: p.Name, Post: p.Post, Reason: reason, OnRoster: true})
				}
			}
		case inspect.KindNumber:
			v := float64(5 + rng.Intn(12))
			if fail {
				v = float64(25 + rng.Intn(20))
			}
			a.Number = &v
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
			if fail && len(it.Choices) > 1 {
				a.Choice = it.Choices[1+rng.Intn(len(it.Choices)-1)].Label
			}
		case inspect.KindText:
			a.Text = "窗口秩序总体良好，群众反映办事较为便捷。"
		}
		ev := inspect.Evaluate(it, &a)
		if ev.Failed {
			a.Note = demoNotes[rng.Intn(len(demoNotes))]
			if it.Evidence == inspect.EvidenceRequiredOnFail || rng.Float64() < 0.3 {
				a.Photos = []string{photos[fmt.Sprint(rng.Intn(len(photos)))]}
			}
		}
		_ = in.SetAnswer(a, at)
	}
}

// rareNames makes the second demo inspection (a completed 明查 of
// 区行政服务中心) name staff whose names hold characters WQY MicroHei lacks
// (䶮, Extension A) and beyond the BMP (𬌗, Extension E, in 通用规范汉字表):
// an absent person and a note, so the demo shows them in the window and
// the PDF.
func rareNames(in *inspect.Inspection, at time.Time) {
	for _, it := range in.Template.Items() {
		a := in.Answers[it.Code]
		if it.Kind != inspect.KindAttendance || a == nil || a.Result == inspect.ResultNA {
			continue
		}
		b := *a
		b.Absent = nil
		for _, p := range a.Absent {
			if p.Name != "郑𬌗" {
				b.Absent = append(b.Absent, p)
			}
		}
		b.Absent = append(b.Absent, inspect.AbsentPerson{Name: "郑𬌗", Post: "综合窗口", Reason: inspect.AbsenceOffPost, OnRoster: true})
		b.Note = "3 号窗口郑𬌗离岗未挂去向牌，导办吴䶮称其外出办事"
		_ = in.SetAnswer(b, at)
		return
	}
}

// demoPhoto draws a small stand-in for a site photo.
func demoPhoto(k int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	base := []color.RGBA{{180, 200, 220, 255}, {220, 210, 180, 255}, {200, 220, 200, 255}, {230, 200, 200, 255}}[k%4]
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			c := base
			if (x/40+y/40+k)%2 == 0 {
				c.R -= 30
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// demoSignature draws a handwriting-like stroke on a transparent PNG.
func demoSignature(k int) []byte {
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
