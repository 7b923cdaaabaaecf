package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
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

	"github.com/jung-kurt/gofpdf"

	"mingcha/assets"
	"mingcha/inspect"
)

type fakePhotos map[string][]byte

func (f fakePhotos) PhotoBytes(hash string) ([]byte, error) {
	b, ok := f[hash]
	if !ok {
		return nil, fmt.Errorf("photo %s: not found", hash)
	}
	return b, nil
}

func testPNG(t testing.TB, w, h int, ink bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255}
			if ink {
				c = color.NRGBA{0, 0, 0, 0}
				if d := y - h/2 - (x%40-20)*(x%40-20)/20; d > -3 && d < 3 && x > 10 && x < w-10 {
					c = color.NRGBA{10, 10, 80, 255}
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	testUnit     = "区市场监管局企业登记科"
	testNote     = "窗口工作人员胸牌照片与本人不符，现场未能说明原因"
	testFailItem = "SP-02"
	testFinding  = "导办台无人值守，群众排队等候约十分钟无人引导"
)

var loc = time.FixedZone("CST", 8*3600)

// testInspection builds a signed inspection of the combined template: every
// item answered, one check failed with a note and a photo, an attendance
// check with two absent persons, both inspectors' drawn signatures.
func testInspection(t testing.TB) (*inspect.Inspection, fakePhotos) {
	t.Helper()
	tmpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	observed := time.Date(2024, 5, 14, 9, 40, 0, 0, loc)
	now := observed.Add(2 * time.Hour)
	u := inspect.Unit{ID: "u-1", Name: testUnit, Department: "区市场监管局", Kind: inspect.UnitWindow, Address: "市民中心二楼 12 号窗口"}
	in, err := inspect.NewInspection("20240514-0001", u, tmpl, inspect.ModeCovert, []string{"张三", "李小明"}, observed, now)
	if err != nil {
		t.Fatal(err)
	}
	photo := testPNG(t, 320, 240, false)
	sum := sha256.Sum256(photo)
	hash := hex.EncodeToString(sum[:])
	photos := fakePhotos{hash: photo}
	for _, it := range in.Template.Items() {
		a := inspect.Answer{ItemCode: it.Code, AnsweredAt: observed.Add(5 * time.Minute), AnsweredBy: "张三"}
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
		case inspect.KindCount:
			a.Counted = true
		case inspect.KindAttendance:
			a.Counted, a.Expected = true, 6
			a.Absent = []inspect.AbsentPerson{
				{Name: "王五", Post: "综合窗口", Reason: inspect.AbsenceOffPost, OnRoster: true},
				{Name: "赵六", Post: "咨询台", Reason: inspect.AbsenceLeave, OnRoster: true},
			}
		case inspect.KindNumber:
			n := 12.0
			a.Number = &n
		case inspect.KindChoice:
			a.Choice = it.Choices[0].Label
		case inspect.KindText:
			a.Text = "整体秩序良好，等候区座椅充足。"
		}
		if it.Code == testFailItem {
			a.Result, a.Note, a.Photos = inspect.ResultFail, testNote, []string{hash}
		}
		if err := in.SetAnswer(a, now); err != nil {
			t.Fatal(err)
		}
	}
	// A finding outside the checklist, documented by the same photo.
	in.Findings = append(in.Findings, inspect.Finding{ID: "F1", Text: testFinding, Category: "服务态度", Deduction: 2, Photos: []string{hash}})
	if err := in.Complete(now, nil, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	for i := range in.Problems {
		in.Problems[i].Responsible = "科长 周某"
	}
	if len(in.Problems) > 0 {
		in.Problems[0].Repeat = true
	}
	for _, name := range in.Inspectors {
		if err := in.SetSignature(inspect.DrawnSignature{Inspector: name, PNG: testPNG(t, 300, 100, true), SignedAt: now}, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Sign(now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return in, photos
}

var (
	fixtureOnce sync.Once
	fixture     struct {
		in       *inspect.Inspection
		photos   fakePhotos
		unsigned []byte
		signed   []byte
		id       *Identity
		err      error
	}
)

// signedFixture renders and signs the test inspection once per test binary.
func signedFixture(t testing.TB) (in *inspect.Inspection, unsigned, signed []byte, id *Identity) {
	t.Helper()
	fixtureOnce.Do(func() {
		f := &fixture
		f.in, f.photos = testInspection(t)
		f.unsigned, f.err = Render(f.in, f.photos, RenderOptions{})
		if f.err != nil {
			return
		}
		f.id, f.err = NewSelfSigned("张三", testUnit)
		if f.err != nil {
			return
		}
		f.signed, f.err = Sign(f.unsigned, f.id, "张三", f.in.SignedAt)
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.in, fixture.unsigned, fixture.signed, fixture.id
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed (poppler-utils): %v", name, err)
	}
}

func TestRenderSignVerify(t *testing.T) {
	in, _, signed, _ := signedFixture(t)
	v, err := Verify(signed, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid {
		t.Fatalf("signed report is invalid: %s", v.Reason)
	}
	if v.ReasonKey != "verify.valid" {
		t.Errorf("valid report: reason key %q", v.ReasonKey)
	}
	checkReasonKey(t, v)
	score := in.Score()
	if v.Signer != "张三" || v.Trust != TrustSelfSigned || v.ReportID != in.ID || v.Unit != testUnit || v.Score != score.Value {
		t.Errorf("verification = %+v", v)
	}
	if !v.SigningTime.Equal(in.SignedAt.Truncate(time.Second)) {
		t.Errorf("signing time %v, want %v", v.SigningTime, in.SignedAt)
	}
	if v.Signatures != 1 {
		t.Errorf("signatures = %d", v.Signatures)
	}
}

func TestRenderDeterministic(t *testing.T) {
	in, unsigned, _, _ := signedFixture(t)
	again, err := Render(in, fixture.photos, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unsigned, again) {
		t.Fatal("rendering the same inspection twice gave different bytes")
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	in, unsigned, signed, _ := signedFixture(t)
	for name, pdf := range map[string][]byte{"unsigned": unsigned, "signed": signed} {
		p, err := ExtractPayload(pdf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := json.Marshal(in)
		got, _ := json.Marshal(p.Inspection)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: embedded inspection differs from the original", name)
		}
		if p.Format != PayloadFormat || p.Score.Value != in.Score().Value || !p.GeneratedAt.Equal(in.SignedAt) {
			t.Errorf("%s: payload header = %q %v %v", name, p.Format, p.Score.Value, p.GeneratedAt)
		}
	}
}

func TestPdfsigValid(t *testing.T) {
	needTool(t, "pdfsig")
	_, _, signed, _ := signedFixture(t)
	out, _ := exec.Command("pdfsig", writeTemp(t, "r.pdf", signed)).CombinedOutput()
	for _, want := range []string{"Signature is Valid.", "Total document signed", "adbe.pkcs7.detached"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("pdfsig output lacks %q:\n%s", want, out)
		}
	}
}

func TestPdftotext(t *testing.T) {
	needTool(t, "pdftotext")
	in, _, signed, _ := signedFixture(t)
	out, err := exec.Command("pdftotext", "-layout", writeTemp(t, "r.pdf", signed), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(out), " ", "")
	it, _ := in.Template.Item("SP-10")
	for _, want := range []string{"明查暗访检查报告", testUnit, it.Text[:18], "窗口工作人员胸牌照片与本人不", "王五", "脱岗",
		"第1/", "报告编号" + in.ID} {
		if want = strings.ReplaceAll(want, " ", ""); !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	raw, _ := extractAttachment(signed, AttachmentName)
	if fp := Fingerprint(raw); !strings.Contains(text, fp) {
		t.Errorf("footer lacks fingerprint %s", fp)
	}
	pages := strings.Count(text, "\f")
	if !strings.Contains(text, fmt.Sprintf("第%d/%d页", pages, pages)) {
		t.Errorf("last page footer 第 %d / %d 页 missing", pages, pages)
	}
}

func TestPdfdetach(t *testing.T) {
	needTool(t, "pdfdetach")
	_, _, signed, _ := signedFixture(t)
	dir := t.TempDir()
	pdf := writeTemp(t, "r.pdf", signed)
	if out, err := exec.Command("pdfdetach", "-saveall", "-o", dir, pdf).CombinedOutput(); err != nil {
		t.Fatalf("pdfdetach: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, AttachmentName))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := extractAttachment(signed, AttachmentName)
	if !bytes.Equal(got, want) {
		t.Fatal("pdfdetach extracted other bytes than ExtractPayload")
	}
	p, _ := ExtractPayload(signed)
	var fromTool Payload
	if err := json.Unmarshal(got, &fromTool); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(p)
	b, _ := json.Marshal(&fromTool)
	if !bytes.Equal(a, b) {
		t.Fatal("JSON extracted by pdfdetach is not the payload")
	}
}

func TestKeysP12(t *testing.T) {
	id, err := NewSelfSigned("李小明", testUnit)
	if err != nil {
		t.Fatal(err)
	}
	if !id.SelfSigned() {
		t.Error("new identity is not self-signed")
	}
	if _, err := id.MarshalP12(""); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("empty passphrase: err = %v", err)
	}
	p12, err := id.MarshalP12("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := id.Key.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p12, raw) { // the 32-byte private scalar
		t.Fatal("the private key appears in plain form in the .p12")
	}
	if _, err := LoadP12(p12, "wrong"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: err = %v", err)
	}
	back, err := LoadP12(p12, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !back.Key.Equal(id.Key) || !back.Cert.Equal(id.Cert) {
		t.Error("identity changed through the .p12")
	}
}

func TestOfficeCA(t *testing.T) {
	in, unsigned, signed, _ := signedFixture(t)
	ca, err := NewCA("区效能办")
	if err != nil {
		t.Fatal(err)
	}
	p12, err := ca.MarshalP12("ca pass")
	if err != nil {
		t.Fatal(err)
	}
	ca, err = LoadCA(p12, "ca pass")
	if err != nil {
		t.Fatal(err)
	}
	roots, err := ParseCertPool(ca.CertPEM())
	if err != nil {
		t.Fatal(err)
	}
	issued, err := ca.Issue("张三", testUnit)
	if err != nil {
		t.Fatal(err)
	}
	ip12, _ := issued.MarshalP12("pw")
	if issued, err = LoadP12(ip12, "pw"); err != nil || len(issued.Chain) != 1 {
		t.Fatalf("issued .p12: %v, chain %d", err, len(issued.Chain))
	}
	good, err := Sign(unsigned, issued, "张三", in.SignedAt)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := Verify(good, VerifyOptions{Roots: roots})
	if !v.Valid || v.Trust != TrustOfficeCA {
		t.Fatalf("CA-issued signature: valid=%v trust=%s reason=%s", v.Valid, v.Trust, v.Reason)
	}
	v, _ = Verify(good, VerifyOptions{})
	if !v.Valid || v.Trust != TrustUnknown {
		t.Errorf("CA-issued signature without roots: valid=%v trust=%s", v.Valid, v.Trust)
	}
	// A report signed with a key the office did not issue.
	v, _ = Verify(signed, VerifyOptions{Roots: roots})
	if v.Valid || !strings.Contains(v.Reason, "not issued by the office CA") {
		t.Errorf("foreign key accepted: %+v", v)
	}
	if v.ReasonKey != "verify.not_office_ca" || v.ReasonParams["Signer"] != v.Signer {
		t.Errorf("foreign key: reason key %q params %v", v.ReasonKey, v.ReasonParams)
	}
	checkReasonKey(t, v)
	if needPdfsig(t) {
		out, _ := exec.Command("pdfsig", writeTemp(t, "ca.pdf", good)).CombinedOutput()
		if !bytes.Contains(out, []byte("Signature is Valid.")) {
			t.Errorf("pdfsig on CA-signed report:\n%s", out)
		}
	}
}

func needPdfsig(t *testing.T) bool {
	_, err := exec.LookPath("pdfsig")
	return err == nil
}

// TestTamper: every way of changing a signed report is refused with a
// reason; pdfsig agrees on the byte-level ones.
func TestTamper(t *testing.T) {
	in, unsigned, signed, id := signedFixture(t)
	sigStart := bytes.Index(signed, []byte("/Contents <")) + len("/Contents <")

	// The embedded JSON says another score than the pages: built by
	// rendering with a doctored payload and signing it properly.
	doctored := *in
	doctored.Answers = map[string]*inspect.Answer{}
	for k, a := range in.Answers {
		c := *a
		doctored.Answers[k] = &c
	}
	doctored.Answers["SP-02"].Result = inspect.ResultPass
	raw, _ := json.MarshalIndent(&Payload{Format: PayloadFormat, GeneratedAt: in.SignedAt, Inspection: &doctored, Score: doctored.Score()}, "", "  ")
	swappedPDF, err := renderWithPayload(in, raw)
	if err != nil {
		t.Fatal(err)
	}
	swapped, err := Sign(swappedPDF, id, "张三", in.SignedAt)
	if err != nil {
		t.Fatal(err)
	}

	// An incremental update after signing: a new Info object and xref.
	startxref := bytes.LastIndex(signed, []byte("startxref"))
	prev := strings.Fields(string(signed[startxref+len("startxref"):]))[0]
	var upd bytes.Buffer
	upd.Write(signed)
	off := upd.Len()
	upd.WriteString("999 0 obj\n<< /Title (forged) >>\nendobj\n")
	xref := upd.Len()
	fmt.Fprintf(&upd, "xref\n999 1\n%010d 00000 n \ntrailer\n<< /Size 1000 /Prev %s /Root %s /Info 999 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		off, prev, rootRef(t, signed), xref)

	cases := []struct {
		name   string
		pdf    []byte
		reason string
		pdfsig bool   // pdfsig must not say valid
		key    string // the reason's translation key, "" for any
	}{
		{"flip a byte in the signed range", flip(signed, len(signed)/3), "", true, "verify.content_changed"},
		{"flip a byte of the embedded data", flip(signed, bytes.Index(signed, []byte("/EmbeddedFile"))+200), "", true, "verify.content_changed"},
		{"append bytes", append(bytes.Clone(signed), []byte("\n% appended\n")...), "added after the signature", true, "verify.appended"},
		{"incremental update", upd.Bytes(), "added after the signature", true, "verify.appended"},
		{"corrupt the signature bytes", flipHex(signed, sigStart+200), "", true, ""},
		{"zero the signature", zeroHex(signed, sigStart), "", true, ""},
		{"unsigned", unsigned, "no digital signature", false, "verify.no_signature"},
		{"embedded data swapped", swapped, "embedded", false, "verify.score_mismatch"},
		{"truncated", signed[:len(signed)-100], "", false, ""},
		{"too many objects", manyObjects(maxObjects + 1), "objects", false, "verify.too_many_objects"},
		{"empty", []byte{}, "", false, "verify.not_pdf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Verify(c.pdf, VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid {
				t.Fatalf("accepted")
			}
			if v.Reason == "" || !strings.Contains(v.Reason, c.reason) {
				t.Errorf("reason %q, want it to mention %q", v.Reason, c.reason)
			}
			t.Logf("reason: %s", v.Reason)
			checkReasonKey(t, v)
			if c.key != "" && v.ReasonKey != c.key {
				t.Errorf("reason key %q, want %q", v.ReasonKey, c.key)
			}
			t.Logf("reason key: %s %v", v.ReasonKey, v.ReasonParams)
			if c.pdfsig && needPdfsig(t) {
				out, _ := exec.Command("pdfsig", writeTemp(t, "t.pdf", c.pdf)).CombinedOutput()
				if bytes.Contains(out, []byte("Signature is Valid.")) && bytes.Contains(out, []byte("Total document signed")) {
					t.Errorf("pdfsig accepts it:\n%s", out)
				}
			}
		})
	}
}

// checkReasonKey: the reason names a key that both translation files have,
// and the English template with the parameters says exactly Reason.
func checkReasonKey(t *testing.T, v *Verification) {
	t.Helper()
	if v.ReasonKey == "" {
		t.Errorf("reason %q has no translation key", v.Reason)
		return
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		msg, ok := translations(t, lang)[v.ReasonKey]
		if !ok {
			t.Errorf("key %q is missing from %s.json", v.ReasonKey, lang)
			continue
		}
		tmpl, err := template.New(v.ReasonKey).Option("missingkey=error").Parse(msg)
		if err != nil {
			t.Errorf("%s.json %q: %v", lang, v.ReasonKey, err)
			continue
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, v.ReasonParams); err != nil {
			t.Errorf("%s.json %q with %v: %v", lang, v.ReasonKey, v.ReasonParams, err)
			continue
		}
		if lang == "en" && b.String() != v.Reason {
			t.Errorf("en.json %q gives %q, want the English reason %q", v.ReasonKey, b.String(), v.Reason)
		}
	}
}

// TestReasonKeysTranslated: every reason key the verifier can give is in
// both translation files, the cases TestTamper cannot reach included.
func TestReasonKeysTranslated(t *testing.T) {
	src, err := os.ReadFile("verify.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`"verify\.[a-z_]+"`).FindAll(src, -1)
	if len(keys) < 20 {
		t.Fatalf("found %d reason keys in verify.go", len(keys))
	}
	for _, lang := range []string{"en", "zh-Hans"} {
		m := translations(t, lang)
		for _, k := range keys {
			if _, ok := m[strings.Trim(string(k), `"`)]; !ok {
				t.Errorf("%s is missing from %s.json", k, lang)
			}
		}
	}
}

// translations reads assets/translations/<lang>.json.
func translations(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// manyObjects is a well-formed PDF of n empty objects.
func manyObjects(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, n)
	for i := range n {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n<< >>\nendobj\n", i+1)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", n+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", n+1, x)
	return b.Bytes()
}

func renderWithPayload(in *inspect.Inspection, raw []byte) ([]byte, error) {
	return Render(in, fixture.photos, RenderOptions{payload: raw})
}

func rootRef(t *testing.T, pdf []byte) string {
	r, err := openPDF(pdf)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Trailer().Key("Root").GetPtr()
	return fmt.Sprintf("%d %d R", p.GetID(), p.GetGen())
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

// flipHex changes one hex digit of the signature, keeping it hex.
func flipHex(b []byte, i int) []byte {
	c := bytes.Clone(b)
	if c[i] == 'a' {
		c[i] = 'b'
	} else {
		c[i] = 'a'
	}
	return c
}

func zeroHex(b []byte, start int) []byte {
	c := bytes.Clone(b)
	for i := start; c[i] != '>'; i++ {
		c[i] = '0'
	}
	return c
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	goldenUnsigned = "testdata/report-unsigned.pdf"
	goldenSigned   = "testdata/report-signed.pdf"
)

// TestGolden pins the rendered bytes of the fixed test inspection, and keeps
// a signed copy that must go on verifying (the fuzz target starts from it).
// Run with -update after an intended change to the layout.
func TestGolden(t *testing.T) {
	_, unsigned, signed, _ := signedFixture(t)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenUnsigned, unsigned, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenSigned, signed, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenUnsigned)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	if !bytes.Equal(unsigned, want) {
		t.Errorf("rendered report differs from %s; look at the pages and run with -update if the change is intended", goldenUnsigned)
	}
	old, err := os.ReadFile(goldenSigned)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := Verify(old, VerifyOptions{}); !v.Valid {
		t.Errorf("%s no longer verifies: %s", goldenSigned, v.Reason)
	}
}

func FuzzVerify(f *testing.F) {
	signed, err := os.ReadFile(goldenSigned)
	if err != nil {
		f.Skipf("%v (run go test -run TestGolden -update)", err)
	}
	unsigned, _ := os.ReadFile(goldenUnsigned)
	f.Add(signed)
	f.Add(unsigned)
	f.Add(signed[:len(signed)/2])
	f.Add(append(bytes.Clone(signed), "\n% x\n"...))
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 5] /Contents <00> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Verify(data, VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if v.Valid && !sameSignedBytes(data, signed) {
			// Only the signed report may pass; the unsigned padding of
			// the signature's hex string is all that may differ.
			t.Fatalf("a modified report verified: %s", v.Reason)
		}
		if !v.Valid && v.Reason == "" {
			t.Fatal("invalid without a reason")
		}
	})
}

func sameSignedBytes(a, signed []byte) bool {
	start := bytes.Index(signed, []byte("/Contents <")) + len("/Contents <")
	end := start + bytes.IndexByte(signed[start:], '>')
	return len(a) == len(signed) && bytes.Equal(a[:start], signed[:start]) && bytes.Equal(a[end:], signed[end:])
}

const goldenPage1 = "testdata/report-page1.png"

// TestGoldenPage compares page 1 as poppler draws it (pdftoppm, 50 dpi)
// with testdata/report-page1.png. Unlike the byte golden it survives
// changes that do not show, and it shows what changed: on failure the
// page and a difference image land in testdata/failed/. Poppler and
// FreeType versions smooth edges differently, hence the tolerance of 0.01%
// of the pixels (about 24) off by more than a quarter of the range; two
// changed characters of the unit's name change 0.04%, a row moved by 1 mm
// 9%.
func TestGoldenPage(t *testing.T) {
	needTool(t, "pdftoppm")
	_, unsigned, _, _ := signedFixture(t)
	got := renderPage(t, unsigned, 1, 50)
	if *update {
		if err := os.WriteFile(goldenPage1, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPage1)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenPage -update)", err)
	}
	a, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	b, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	frac, diff := pageDiff(a, b)
	t.Logf("%.3f%% of pixels differ", 100*frac)
	if frac > 0.0001 {
		_ = os.MkdirAll("testdata/failed", 0o755)
		_ = os.WriteFile("testdata/failed/report-page1.png", got, 0o644)
		if diff != nil {
			var buf bytes.Buffer
			_ = png.Encode(&buf, diff)
			_ = os.WriteFile("testdata/failed/report-page1-diff.png", buf.Bytes(), 0o644)
		}
		t.Errorf("page 1 differs from %s in %.2f%% of its pixels; see testdata/failed/, run with -update if the change is intended",
			goldenPage1, 100*frac)
	}
}

// renderPage draws one page of a PDF as PNG with pdftoppm.
func renderPage(t *testing.T, pdf []byte, page, dpi int) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	cmd := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// pageDiff is the share of pixels whose colour differs by more than a
// smoothing step in any channel, and an image marking them in red (nil
// when the sizes differ, which counts as every pixel).
func pageDiff(a, b image.Image) (float64, image.Image) {
	if a.Bounds() != b.Bounds() {
		return 1, nil
	}
	r := a.Bounds()
	diff := image.NewNRGBA(r)
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1, c2 := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA), color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			d := max(absDiff(c1.R, c2.R), absDiff(c1.G, c2.G), absDiff(c1.B, c2.B))
			if d > 64 {
				n++
				diff.SetNRGBA(x, y, color.NRGBA{220, 0, 0, 255})
			} else {
				g := 255 - (255-uint8((int(c1.R)+int(c1.G)+int(c1.B))/3))/4
				diff.SetNRGBA(x, y, color.NRGBA{g, g, g, 255})
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy()), diff
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestWrap: lines fit their width, closing marks never begin a line and
// opening marks never end one, Latin words stay whole, and no text is
// lost or duplicated.
func TestWrap(t *testing.T) {
	r := &renderer{pdf: newTestPDF()}
	r.font(9)
	cases := []string{
		"工作人员按时在岗（应到/实到，逐人登记缺岗原因）",
		"服务态度：无“脸难看、门难进、话难听、事难办”",
		"公示工作人员照片、姓名、职务（岗位），公示监督投诉电话。号码为现行有效号码。",
		"The window clerk was absent from 09:40 to 10:15 without notice, and the queue grew",
		"原图 SHA-256 80671cbc436935d909ffaa954de02e80700b904808da96572a6e150f9f6b17ef",
		"。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。",
		"第一行\n\n第三行（空行保留）",
		"",
	}
	for _, text := range cases {
		allMarks := strings.Trim(text, noLineStart) == ""
		for _, w := range []float64{14, 22, 40, 71.6} {
			lines := r.wrap(text, w)
			var joined strings.Builder
			for i, ln := range lines {
				if lw := r.pdf.GetStringWidth(ln); lw > w+0.01 && len([]rune(ln)) > 1 {
					t.Errorf("w=%v %q: line %q is %.1f wide", w, text, ln, lw)
				}
				rs := []rune(ln)
				if len(rs) > 0 && i > 0 && strings.ContainsRune(noLineStart, rs[0]) && !allMarks {
					t.Errorf("w=%v %q: line %q starts with a closing mark", w, text, ln)
				}
				if len(rs) > 0 && i < len(lines)-1 && strings.ContainsRune(noLineEnd, rs[len(rs)-1]) {
					t.Errorf("w=%v %q: line %q ends with an opening mark", w, text, ln)
				}
				if i > 0 {
					joined.WriteString("\x00")
				}
				joined.WriteString(ln)
			}
			got := strings.NewReplacer("\x00", "", " ", "").Replace(joined.String())
			want := strings.NewReplacer("\n", "", " ", "").Replace(text)
			if got != want {
				t.Errorf("w=%v: wrapping %q lost text: %q", w, text, got)
			}
			if strings.HasPrefix(text, "The window") && w >= 40 {
				for _, ln := range lines {
					if f := strings.Fields(ln); len(f) > 0 && !strings.Contains(text, " "+f[0]+" ") && !strings.HasPrefix(text, f[0]+" ") && !strings.HasSuffix(text, " "+f[0]) {
						t.Errorf("w=%v: a word was split: %q", w, ln)
					}
				}
			}
		}
	}
}

func newTestPDF() *gofpdf.Fpdf {
	p := gofpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(fontFamily, "", assets.FontTTF())
	return p
}

func TestSectionTitle(t *testing.T) {
	for in, want := range map[string]string{
		"一、四牌一栏及标识（30分）": "（二）四牌一栏及标识（30分）",
		"十二、其他":          "（二）其他",
		"（三）去向牌":         "（二）去向牌",
		"3. 公示栏":         "（二）公示栏",
		"工作纪律":           "（二）工作纪律",
	} {
		if got := sectionTitle(1, in); got != want {
			t.Errorf("sectionTitle(1, %q) = %q, want %q", in, got, want)
		}
	}
	for n, want := range map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 35: "三十五"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %q", n, got)
		}
	}
}

// TestRecompress: gofpdf's BestSpeed streams are rewritten smaller and the
// file stays a valid PDF with the same text and attachment.
func TestRecompress(t *testing.T) {
	p := newTestPDF()
	p.SetCompression(true)
	p.SetAttachments([]gofpdf.Attachment{{Content: bytes.Repeat([]byte(`{"检查":"数据"},`), 2000), Filename: "a.json"}})
	p.AddPage()
	p.SetFont(fontFamily, "", 12)
	for i := range 40 {
		p.CellFormat(180, 6, fmt.Sprintf("第 %d 行：工作人员按时在岗（应到/实到，逐人登记缺岗原因）", i), "", 1, "L", false, 0, "")
	}
	var raw bytes.Buffer
	if err := p.Output(&raw); err != nil {
		t.Fatal(err)
	}
	out, err := recompressPDF(raw.Bytes())
	if err != nil {
		t.Fatalf("gofpdf output not recompressed: %v", err)
	}
	t.Logf("%d → %d bytes", raw.Len(), len(out))
	if len(out) >= raw.Len() {
		t.Errorf("not smaller: %d → %d", raw.Len(), len(out))
	}
	a1, err := extractAttachment(raw.Bytes(), "a.json")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := extractAttachment(out, "a.json")
	if err != nil || !bytes.Equal(a1, a2) {
		t.Fatalf("attachment changed: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		t1, err1 := exec.Command("pdftotext", writeTemp(t, "a.pdf", raw.Bytes()), "-").CombinedOutput()
		t2, err2 := exec.Command("pdftotext", writeTemp(t, "b.pdf", out), "-").CombinedOutput()
		if err1 != nil || err2 != nil || !bytes.Equal(t1, t2) || !bytes.Contains(t2, []byte("第 39 行")) {
			t.Errorf("pdftotext differs after recompression: %v %v\n%s", err1, err2, t2)
		}
	}
	// Anything else passes through untouched.
	for _, in := range [][]byte{[]byte("%PDF-1.4\n%%EOF\n"), raw.Bytes()[:raw.Len()/2]} {
		if got := recompress(in); !bytes.Equal(got, in) {
			t.Error("a file not of gofpdf's form was changed")
		}
	}
}

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJPEGComplete(t *testing.T) {
	good := testJPEG(t, 64, 48)
	for name, c := range map[string]struct {
		data []byte
		want bool
	}{
		"whole":               {good, true},
		"trailing bytes":      {append(bytes.Clone(good), "camera trailer"...), true},
		"cut in the scan":     {good[:len(good)-40], false},
		"cut in the headers":  {good[:30], false},
		"png":                 {testPNG(t, 8, 8, false), false},
		"empty":               {nil, false},
		"eoi before the scan": {[]byte{0xFF, 0xD8, 0xFF, 0xD9}, false},
	} {
		if got := jpegComplete(c.data); got != c.want {
			t.Errorf("%s: jpegComplete = %v", name, got)
		}
	}
}

// TestDamagedPhoto: a photo that cannot be read shows as a placeholder and
// the rest of the report renders.
func TestDamagedPhoto(t *testing.T) {
	in, _ := testInspection(t)
	good := testJPEG(t, 320, 240)
	photos := fakePhotos{}
	for _, h := range in.PhotoHashes() {
		photos[h] = good[:len(good)/2]
	}
	pdf, err := Render(in, photos, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	needTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", writeTemp(t, "r.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("照片无法读取")) || !bytes.Contains(out, []byte("附件：现场照片")) {
		t.Errorf("no placeholder for a damaged photo:\n%s", out)
	}
}
