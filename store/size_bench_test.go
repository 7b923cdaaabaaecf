package store

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
)

// fillInspections writes n inspections as a year of field work makes them
// (the combined template, every item answered, about one in eight failed
// with a note; a third drafts, a third completed, a third signed with two
// drawn signatures, each drawn anew as the signature pad draws it), eight
// units, in batches of 100.
func fillInspections(tb testing.TB, s *Store, n int) {
	tb.Helper()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.PutTemplate("bench", tpl); err != nil {
		tb.Fatal(err)
	}
	var units []inspect.Unit
	for i := 0; i < 8; i++ {
		u := inspect.Unit{ID: fmt.Sprintf("U-%02d", i), Name: fmt.Sprintf("单位%d", i), Department: "区政府", Kind: inspect.UnitWindow,
			Staff: []inspect.StaffMember{{Name: "张三", Post: "窗口", Window: "1"}, {Name: "李四", Post: "窗口", Window: "2"}}}
		if err := s.PutUnit("bench", &u); err != nil {
			tb.Fatal(err)
		}
		units = append(units, u)
	}
	photo, err := s.AddPhoto("bench", pngBytes(tb, 64, 48), "现场.png")
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for b := 0; b < n; b += 100 {
		err := s.Batch(func(s *Store) error {
			for i := b; i < min(b+100, n); i++ {
				// Spread over the year in order (i·365 days in nanoseconds
				// overflows int64 from i = 293 on).
				observed := start.Add(time.Duration(i) * (365 * 24 * time.Hour / time.Duration(max(n, 1))))
				in, err := inspect.NewInspection(fmt.Sprintf("MC-%06d", i), units[i%8], tpl, inspect.ModeCovert, []string{"王督查", "李督查"}, observed, observed)
				if err != nil {
					return err
				}
				for _, it := range tpl.Items() {
					a := inspect.Answer{ItemCode: it.Code, AnsweredAt: observed, AnsweredBy: "王督查"}
					fail := rng.Intn(8) == 0
					switch it.Kind {
					case inspect.KindCheck:
						a.Result = inspect.ResultPass
						if fail {
							a.Result, a.Note, a.Photos = inspect.ResultFail, "现场未见，询问后称已收起", []string{photo.Hash}
						}
					case inspect.KindCount:
						a.Counted = true
						if fail {
							a.Count, a.Note, a.Photos = 1, "当班人员未按要求佩戴", []string{photo.Hash}
						}
					default:
						a.Result = inspect.ResultNA
					}
					in.Answers[it.Code] = &a
				}
				if err := s.CreateInspection("王督查", in); err != nil {
					return err
				}
				if i%3 == 0 {
					continue
				}
				if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
					return err
				}
				if i%3 == 1 {
					continue
				}
				for _, who := range in.Inspectors {
					if _, err := s.SetSignature(who, in.ID, inspect.DrawnSignature{Inspector: who, PNG: drawnSignature(tb, rng), SignedAt: observed}); err != nil {
						return err
					}
				}
				if _, err := s.SignInspection("王督查", in.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// drawnSignature is a signature as app.SignaturePad.PNG renders one: a
// Chinese name's 18 strokes of 30 short segments, discs of radius 2.5
// stamped along them, black on transparent, on the 360×140 pad at twice its
// size. Every one differs, as real signatures do.
func drawnSignature(tb testing.TB, rng *rand.Rand) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 720, 280))
	ink := color.NRGBA{A: 255}
	const r = 2.5
	for s := 0; s < 18; s++ {
		x, y := 60+float64(s/6)*200+rng.Float64()*120, 60+rng.Float64()*160
		a := rng.Float64() * 2 * math.Pi
		for i := 0; i < 30; i++ {
			a += (rng.Float64() - 0.5) * 0.8
			nx, ny := x+math.Cos(a)*5, y+math.Sin(a)*5
			for j := 0; j <= 6; j++ {
				cx, cy := x+(nx-x)*float64(j)/6, y+(ny-y)*float64(j)/6
				for py := int(cy - r); py <= int(cy+r); py++ {
					for px := int(cx - r); px <= int(cx+r); px++ {
						fx, fy := float64(px)-cx, float64(py)-cy
						if fx*fx+fy*fy <= r*r && image.Pt(px, py).In(img.Rect) {
							img.SetNRGBA(px, py, ink)
						}
					}
				}
			}
			x, y = nx, ny
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkFileBytesPerInspection: the database file's size per inspection
// at 1,000 and 5,000 inspections (goal ≤ 8 KB, the 5,000 figure within
// 1.2× of the 1,000 one), and the size of one compacted, compressed backup.
func BenchmarkFileBytesPerInspection(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			// One fill whatever b.N: the figures are sizes, not times.
			for i := 0; i < min(b.N, 1); i++ {
				path := filepath.Join(b.TempDir(), "size.db")
				s := mustOpenAt(b, path, Options{NoBackup: true})
				fillInspections(b, s, n)
				b.Logf("%d inspections:\n%s", n, sizeWalk(b, s))
				bk, err := s.Backup()
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
				info, _ := os.Stat(path)
				binfo, _ := os.Stat(bk)
				b.ReportMetric(float64(info.Size())/float64(n), "file-B/inspection")
				b.ReportMetric(float64(binfo.Size())/float64(n), "backup-B/inspection")
				b.ReportMetric(float64(binfo.Size())/(1<<20), "backup-MB")
			}
		})
	}
}

// BenchmarkYearOfBackups: a year of use is 2,000 inspections; ten kept
// backups of its database (goal ≤ 100 MB for the ten).
func BenchmarkYearOfBackups(b *testing.B) {
	for i := 0; i < min(b.N, 1); i++ { // one year whatever b.N: sizes, not times
		path := filepath.Join(b.TempDir(), "year.db")
		s := mustOpenAt(b, path, Options{NoBackup: true, KeepBackups: 10})
		fillInspections(b, s, 2000)
		var total int64
		for k := 0; k < 10; k++ {
			if _, err := s.Backup(); err != nil {
				b.Fatal(err)
			}
		}
		list, _ := ListBackups(path)
		for _, x := range list {
			total += x.Size
		}
		s.Close()
		info, _ := os.Stat(path)
		b.ReportMetric(float64(total)/(1<<20), "ten-backups-MB")
		b.ReportMetric(float64(info.Size())/(1<<20), "database-MB")
	}
}
