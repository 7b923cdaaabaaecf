package report

import (
	"os"
	"testing"
)

// BenchmarkVerify: one signed report, as the office import checks it.
func BenchmarkVerify(b *testing.B) {
	data, err := os.ReadFile(goldenSigned)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if v, _ := Verify(data, VerifyOptions{}); !v.Valid {
			b.Fatal(v.Reason)
		}
	}
}
