package report_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/report/tamper"
)

type photoMap map[string][]byte

func (m photoMap) PhotoBytes(h string) ([]byte, error) {
	if b, ok := m[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("photo %s missing", h)
}

const failItem = "SP-02"

// twoInspectors is a signed inspection by 张三 and 李小明 with one failed
// item, and a signed report of another inspection (for pasting).
func twoInspectors(t testing.TB, id string) (*inspect.Inspection, photoMap) {
	t.Helper()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(1, 1, color.Black)
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	sum := sha256.Sum256(buf.Bytes())
	hash := hex.EncodeToString(sum[:])
	photos := photoMap{hash: buf.Bytes()}
	at := time.Date(2024, 5, 14, 9, 40, 0, 0, time.FixedZone("CST", 8*3600))
	u := inspect.Unit{ID: "u-1", Name: "区市场监管局企业登记科", Department: "区市场监管局", Kind: inspect.UnitWindow}
	in, err := inspect.NewInspection(id, u, tpl, inspect.ModeCovert, []string{"张三", "李小明"}, at, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range in.Template.Items() {
		a := inspect.Answer{ItemCode: it.Code, AnsweredAt: at, AnsweredBy: "张三"}
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
		case inspect.KindCount:
			a.Counted = true
		case inspect.KindAttendance:
			a.Counted, a.Expected = true, 6
		case inspect.KindNumber:
			n := 12.0
			a.Number = &n
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
		case inspect.KindText:
			a.Text = "秩序良好"
		}
		if it.Code == failItem {
			a.Result, a.Note, a.Photos = inspect.ResultFail, "胸牌与本人不符", []string{hash}
		}
		if err := in.SetAnswer(a, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Complete(at.Add(time.Hour), nil, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range in.Inspectors {
		if err := in.SetSignature(inspect.DrawnSignature{Inspector: name, PNG: buf.Bytes(), SignedAt: at}, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Sign(at.Add(2 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	return in, photos
}

var (
	worldOnce sync.Once
	world     *tamper.World
	worldErr  error
)

func tamperWorld(t testing.TB) *tamper.World {
	t.Helper()
	worldOnce.Do(func() {
		in, photos := twoInspectors(t, "20240514-0001")
		other, otherPhotos := twoInspectors(t, "20240514-0002")
		pdf, err := report.Render(other, otherPhotos, report.RenderOptions{})
		if err != nil {
			worldErr = err
			return
		}
		id, _ := report.NewSelfSigned("张三", "x")
		otherSigned, err := report.Sign(pdf, id, "", other.SignedAt)
		if err != nil {
			worldErr = err
			return
		}
		world, worldErr = tamper.Build(in, photos, failItem, otherSigned)
	})
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return world
}

func havePdfsig() bool {
	_, err := exec.LookPath("pdfsig")
	return err == nil
}

// pdfsigVerdict sums pdfsig's view in one line: each signature's
// validation and whether the last one covers the whole file.
func pdfsigVerdict(t *testing.T, pdf []byte) string {
	t.Helper()
	if !havePdfsig() {
		return "(pdfsig not installed)"
	}
	p := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", p).CombinedOutput()
	var parts []string
	for _, m := range regexp.MustCompile(`Signature Validation: ([^\n]+)`).FindAllSubmatch(out, -1) {
		parts = append(parts, strings.TrimSuffix(string(m[1]), "."))
	}
	if len(parts) == 0 {
		line := strings.TrimSpace(strings.ReplaceAll(string(out), p, "FILE"))
		if i := strings.IndexByte(line, '\n'); i > 0 {
			line = line[:i]
		}
		return "no signature (" + line + ")"
	}
	v := strings.Join(parts, "; ")
	if bytes.Contains(out, []byte("Total document signed")) {
		return v + "; total document signed"
	}
	return v + "; not total document signed"
}

// reasonKeyTranslated: the reason's key is in both translation files and
// the English template says exactly Reason.
func reasonKeyTranslated(t *testing.T, v *report.Verification) {
	t.Helper()
	for _, l := range []string{"en", "zh-Hans"} {
		data, err := assets.Translations.ReadFile("translations/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		msg, ok := m[v.ReasonKey]
		if !ok {
			t.Errorf("%s lacks %q", l, v.ReasonKey)
			continue
		}
		var b strings.Builder
		if err := template.Must(template.New("").Option("missingkey=error").Parse(msg)).Execute(&b, v.ReasonParams); err != nil {
			t.Errorf("%s %q: %v", l, v.ReasonKey, err)
		}
		if l == "en" && b.String() != v.Reason {
			t.Errorf("en %q gives %q, not %q", v.ReasonKey, b.String(), v.Reason)
		}
		if l == "zh-Hans" {
			chineseReasonHasNoEnglish(t, v, b.String())
		}
	}
}

// latinWord is a run of Latin letters: in a Chinese reason only the names
// a Chinese user knows as they are (PDF, CA, MB) may stand.
var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// chineseReasonHasNoEnglish: the Chinese reason is a Chinese sentence. A
// library's English error text (ReasonParams' Detail) stays in the English
// reason, for a technician (LC_ALL=C mingcha verify); the user is told what
// to do instead.
func chineseReasonHasNoEnglish(t *testing.T, v *report.Verification, zh string) {
	t.Helper()
	if d, ok := v.ReasonParams["Detail"].(string); ok && d != "" && strings.Contains(zh, d) {
		t.Errorf("zh-Hans %q prints the library's detail %q: %s", v.ReasonKey, d, zh)
	}
	rest := zh
	for _, p := range v.ReasonParams {
		if s := fmt.Sprint(p); s != "" {
			rest = strings.ReplaceAll(rest, s, "")
		}
	}
	for _, w := range latinWord.FindAllString(rest, -1) {
		if w != "PDF" && w != "CA" && w != "MB" {
			t.Errorf("zh-Hans %q has the English word %q: %s", v.ReasonKey, w, zh)
		}
	}
}

// TestTamperSuite: each case is refused with its reason; pdfsig's verdict
// is logged beside ours (go test -v -run TestTamperSuite prints the table
// that docs/verification.md keeps).
func TestTamperSuite(t *testing.T) {
	w := tamperWorld(t)
	var table strings.Builder
	for _, c := range w.Cases {
		t.Run(c.Name, func(t *testing.T) {
			opts := report.VerifyOptions{}
			if c.Roots {
				opts.Roots = w.CA.Pool()
			}
			v, err := report.Verify(c.PDF, opts)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid {
				t.Fatalf("accepted: %s", v.Reason)
			}
			reasonKeyTranslated(t, v)
			if c.Key != "" && v.ReasonKey != c.Key {
				t.Errorf("reason %s (%s), want %s", v.ReasonKey, v.Reason, c.Key)
			}
			fmt.Fprintf(&table, "| %s | %s | %s |\n", c.Name, v.Reason, pdfsigVerdict(t, c.PDF))
		})
	}
	t.Logf("\n| case | Mingcha: refused, because | pdfsig |\n|---|---|---|\n%s", table.String())
}

// TestCosign: two inspectors' keys each sign — pdfsig shows two valid
// signatures, Verify accepts and lists both; a third by a non-inspector is
// refused by Cosign, and when forced on, by Verify.
func TestCosign(t *testing.T) {
	w := tamperWorld(t)
	v, err := report.Verify(w.Cosigned, report.VerifyOptions{Roots: w.CA.Pool()})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid {
		t.Fatalf("co-signed report refused: %s", v.Reason)
	}
	reasonKeyTranslated(t, v)
	if v.SignerNames() != "张三, 李小明" || v.Signer != "张三" || v.Signatures != 2 || v.PagesSHA256 == "" {
		t.Errorf("signers %q, signer %q, %d signatures, pages %q", v.SignerNames(), v.Signer, v.Signatures, v.PagesSHA256)
	}
	for _, s := range v.Signers {
		if s.Trust != report.TrustOfficeCA {
			t.Errorf("%s: trust %s", s.Name, s.Trust)
		}
	}
	one, _ := report.Verify(w.Signed, report.VerifyOptions{Roots: w.CA.Pool()})
	if !one.Valid || one.PagesSHA256 != v.PagesSHA256 {
		t.Errorf("a co-signature changed the pages digest: %s %s", one.PagesSHA256, v.PagesSHA256)
	}
	if havePdfsig() {
		p := filepath.Join(t.TempDir(), "c.pdf")
		_ = os.WriteFile(p, w.Cosigned, 0o600)
		out, _ := exec.Command("pdfsig", p).CombinedOutput()
		if n := bytes.Count(out, []byte("Signature Validation: Signature is Valid.")); n != 2 || !bytes.Contains(out, []byte("Total document signed")) {
			t.Errorf("pdfsig shows %d valid signatures:\n%s", n, out)
		}
	}
	if _, err := report.CosignAt(w.Cosigned, w.Outsider, time.Now()); err == nil || !strings.Contains(err.Error(), "not one of the report's inspectors") {
		t.Errorf("co-sign by a non-inspector: %v", err)
	}
	if _, err := report.CosignAt(w.Cosigned, w.Second, time.Now()); err == nil || !strings.Contains(err.Error(), "already signed") {
		t.Errorf("co-sign twice: %v", err)
	}
	if _, err := report.CosignAt(w.Cases[0].PDF, w.Second, time.Now()); err == nil {
		t.Error("co-signed a tampered report")
	}
	all, err := report.SignAll(w.Unsigned, []*report.Identity{w.First, w.Second}, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := report.Verify(all, report.VerifyOptions{Roots: w.CA.Pool()}); !v.Valid || v.SignerNames() != "张三, 李小明" {
		t.Errorf("SignAll: %v %s", v.Valid, v.Reason)
	}
	// A report certified before co-signing existed (DocMDP P=1) still verifies.
	p1, err := tamper.SignP1(w.Unsigned, w.First, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := report.Verify(p1, report.VerifyOptions{Roots: w.CA.Pool()}); !v.Valid {
		t.Errorf("P=1 report: %s", v.Reason)
	}
}
