package store

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
)

// BenchmarkYearFileSave is BenchmarkAutosaveCombined in a year's file:
// 2,000 inspections of the combined template, each answered item by item
// (its autosaves' audit entries too, about 88,000 entries) and completed,
// then a draft half answered. What it shows is the pages per save as the
// file grows: its buckets are a level deeper than AutosaveCombined's.
// Not in bench/autosave.sh (the file takes about a minute to make once
// per process).
//
//	go test ./store -run '^$' -bench YearFileSave -benchtime 1000x
func BenchmarkYearFileSave(b *testing.B) {
	src, s, draft, code := yearStore(b)
	benchSaves(b, s, draft, func(i int) inspect.Answer {
		return inspect.Answer{ItemCode: code, Result: inspect.ResultNA, Note: "备注 " + strconv.Itoa(i)}
	})
	if info, err := os.Stat(src); err == nil {
		// The file as autosaves made it (their audit entries stored again
		// smaller at completion included), before any compaction.
		b.ReportMetric(float64(info.Size())/2000, "file-B/inspection")
	}
}

// BenchmarkYearFilePaired is BenchmarkAutosavePaired in the year's file
// of BenchmarkYearFileSave: each autosave paired with two bare fdatasyncs
// of the same number of pages.
//
//	go test ./store -run '^$' -bench YearFilePaired -benchtime 1000x
func BenchmarkYearFilePaired(b *testing.B) {
	_, s, draft, code := yearStore(b)
	pairedSaves(b, s, draft, code)
}

// yearStore opens a copy of the year's file (yearFile), closed when b
// ends: the file made once, src; its draft and the item to save.
func yearStore(b *testing.B) (src string, s *Store, draft, code string) {
	src, draft, code = yearFile(b)
	path := filepath.Join(b.TempDir(), "year.db")
	if err := copyFile(src, path); err != nil {
		b.Fatal(err)
	}
	s = mustOpenAt(b, path, Options{NoBackup: true})
	b.Cleanup(func() { s.Close() })
	return src, s, draft, code
}

var year struct {
	once        sync.Once
	dir         string
	path, draft string
	code        string
	err         error
}

// yearFile makes the year's file once per process (a copy is what each
// run saves into): its path, the draft's id and an item to save.
func yearFile(b *testing.B) (string, string, string) {
	year.once.Do(func() {
		year.dir, year.err = os.MkdirTemp("", "mingcha-year")
		if year.err != nil {
			return
		}
		year.path = filepath.Join(year.dir, "year.db")
		year.draft, year.code, year.err = makeYear(b, year.path)
	})
	if year.err != nil {
		b.Fatal(year.err)
	}
	return year.path, year.draft, year.code
}

func makeYear(b *testing.B, path string) (string, string, error) {
	s := mustOpenAt(b, path, Options{NoBackup: true})
	defer s.Close()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		return "", "", err
	}
	u, _ := seed(b, s)
	items := tpl.Items()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for k := 0; k < 2000; k += 100 {
		err := s.Batch(func(s *Store) error {
			for i := k; i < k+100; i++ {
				observed := start.Add(time.Duration(i) * 4 * time.Hour)
				in, err := inspect.NewInspection("", *u, tpl, inspect.ModeCovert, []string{"王督查"}, observed, observed)
				if err != nil {
					return err
				}
				if err := s.CreateInspection("王督查", in); err != nil {
					return err
				}
				for j, it := range items {
					a := inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}
					if it.Kind == inspect.KindCheck && j%7 == 0 {
						a.Result = inspect.ResultPass
					}
					if _, err := s.SaveAnswer("王督查", in.ID, a); err != nil {
						return err
					}
				}
				if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return "", "", err
		}
	}
	in := newInspection(b, s, u, tpl, start.AddDate(1, 0, 0))
	for _, it := range items[:len(items)/2] {
		if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}); err != nil {
			return "", "", err
		}
	}
	return in.ID, items[len(items)-1].Code, nil
}
