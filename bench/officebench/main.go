// Command officebench prepares the 效能办 benchmarks (bench/office.sh):
//
//	officebench -pdfs DIR -n 500        n signed reports of the combined template,
//	                                    signed by two inspectors of one office CA
//	                                    (DIR/../office-ca.pem)
//	officebench -db FILE -reports 5000  a database holding that many imported
//	                                    reports (500 units, a year of visits)
//
// The inspections vary deterministically: failed items, counts, absent
// persons and the odd veto, so that ranking, categories and 重复问题 do
// real work.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

func main() {
	pdfs := flag.String("pdfs", "", "folder for signed PDF reports")
	n := flag.Int("n", 500, "number of PDF reports")
	db := flag.String("db", "", "database to fill with imported reports")
	reports := flag.Int("reports", 5000, "number of reports in the database")
	flag.Parse()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		log.Fatal(err)
	}
	if *pdfs != "" {
		if err := writePDFs(tpl, *pdfs, *n); err != nil {
			log.Fatal(err)
		}
	}
	if *db != "" {
		if err := fillDB(tpl, *db, *reports); err != nil {
			log.Fatal(err)
		}
	}
}

var year = time.Date(2026, 1, 5, 9, 0, 0, 0, time.Local)

// inspection k of unit u (of units): observed through the year.
func inspection(tpl *inspect.Template, rng *rand.Rand, id string, u inspect.Unit, observed time.Time) (*inspect.Inspection, error) {
	inspectors := []string{[]string{"张督查", "李督查", "王督查", "赵督查"}[rng.Intn(4)]}
	mode := inspect.ModeCovert
	if rng.Intn(3) == 0 {
		mode = inspect.ModeOpen
	}
	in, err := inspect.NewInspection(id, u, tpl, mode, inspectors, observed, observed)
	if err != nil {
		return nil, err
	}
	for _, it := range in.Template.Items() {
		a := inspect.Answer{ItemCode: it.Code}
		fail := rng.Intn(12) == 0
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
			if fail && it.Rule.Type != inspect.RuleVeto || fail && rng.Intn(20) == 0 {
				a.Result = inspect.ResultFail
			}
		case inspect.KindCount:
			a.Counted = true
			if fail {
				a.Count = 1 + rng.Intn(3)
			}
		case inspect.KindAttendance:
			a.Counted, a.Expected = true, 6
			if fail {
				a.Absent = []inspect.AbsentPerson{{Name: fmt.Sprintf("员工%d", rng.Intn(1000)), Reason: inspect.AbsenceOffPost, OnRoster: true}}
			}
		case inspect.KindNumber:
			v := float64(5 + rng.Intn(10))
			if fail {
				v = 45
			}
			a.Number = &v
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
		case inspect.KindText:
			a.Text = "秩序良好"
		}
		if fail && it.Evidence == inspect.EvidenceRequiredOnFail {
			a.Photos = []string{"0000000000000000000000000000000000000000000000000000000000000000"}
		}
		if err := in.SetAnswer(a, observed); err != nil {
			return nil, err
		}
	}
	if err := in.Complete(observed, nil, 15, inspect.Holidays{}); err != nil {
		return nil, err
	}
	for _, name := range in.Inspectors {
		if err := in.SetSignature(inspect.DrawnSignature{Inspector: name, PNG: []byte{1}}, observed); err != nil {
			return nil, err
		}
	}
	return in, in.Sign(observed.Add(time.Hour))
}

func unit(i int) inspect.Unit {
	kinds := []inspect.UnitKind{inspect.UnitOffice, inspect.UnitWindow, inspect.UnitServiceCenter}
	return inspect.Unit{ID: fmt.Sprintf("U-%04d", i), Name: fmt.Sprintf("单位%04d", i),
		Department: fmt.Sprintf("区第%d局", i%25), Kind: kinds[i%3]}
}

func writePDFs(tpl *inspect.Template, dir string, n int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca, err := report.NewCA("区效能办")
	if err != nil {
		return err
	}
	ids := map[string]*report.Identity{}
	for _, name := range []string{"张督查", "李督查", "王督查", "赵督查"} {
		if ids[name], err = ca.Issue(name, "区效能办"); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(filepath.Clean(dir)), "office-ca.pem"), ca.CertPEM(), 0o600); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(1))
	for i := 1; i <= n; i++ {
		in, err := inspection(tpl, rng, fmt.Sprintf("B-%05d", i), unit(i), year.Add(time.Duration(i)*time.Hour))
		if err != nil {
			return err
		}
		pdf, err := report.Render(in, nil, report.RenderOptions{NoPhotos: true})
		if err != nil {
			return err
		}
		if pdf, err = report.Sign(pdf, ids[in.Inspectors[0]], in.Inspectors[0], in.SignedAt); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, in.ID+".pdf"), pdf, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// fillDB stores reports as an import would, without PDFs to verify: the
// overview reads only what the store keeps.
func fillDB(tpl *inspect.Template, path string, n int) error {
	s, err := store.Open(path, store.Options{NoBackup: true})
	if err != nil {
		return err
	}
	defer s.Close()
	rng := rand.New(rand.NewSource(2))
	const units = 500
	for i := 0; i < n; i++ {
		u := unit(i%units + 1)
		observed := year.Add(time.Duration(i/units)*35*24*time.Hour + time.Duration(i%units)*time.Minute)
		in, err := inspection(tpl, rng, fmt.Sprintf("D-%05d", i), u, observed)
		if err != nil {
			return err
		}
		data := []byte(in.ID) // stands for the PDF's bytes: only its hash is kept
		if _, err := s.ImportReport("bench", in.ID+".pdf", data, &inspect.SignedReport{Inspection: in, Signer: in.Inspectors[0], Trust: "office-ca"}); err != nil {
			return err
		}
	}
	return nil
}
