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
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	if bytes.Contains(p12, id.Key.D.Bytes()) {
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
		pdfsig bool // pdfsig must not say valid
	}{
		{"flip a byte in the signed range", flip(signed, len(signed)/3), "", true},
		{"flip a byte of the embedded data", flip(signed, bytes.Index(signed, []byte("/EmbeddedFile"))+200), "", true},
		{"append bytes", append(bytes.Clone(signed), []byte("\n% appended\n")...), "added after the signature", true},
		{"incremental update", upd.Bytes(), "added after the signature", true},
		{"corrupt the signature bytes", flipHex(signed, sigStart+200), "", true},
		{"zero the signature", zeroHex(signed, sigStart), "", true},
		{"unsigned", unsigned, "no digital signature", false},
		{"embedded data swapped", swapped, "embedded", false},
		{"truncated", signed[:len(signed)-100], "", false},
		{"empty", []byte{}, "", false},
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
			if c.pdfsig && needPdfsig(t) {
				out, _ := exec.Command("pdfsig", writeTemp(t, "t.pdf", c.pdf)).CombinedOutput()
				if bytes.Contains(out, []byte("Signature is Valid.")) && bytes.Contains(out, []byte("Total document signed")) {
					t.Errorf("pdfsig accepts it:\n%s", out)
				}
			}
		})
	}
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
