package card

import "testing"

func BenchmarkCheckNumber(b *testing.B) {
	accepted := DefaultBrands()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckNumber("4242424242424242", accepted); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckNumberRefused(b *testing.B) {
	accepted := DefaultBrands()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckNumber("6011111111111117", accepted); err == nil {
			b.Fatal("accepted")
		}
	}
}
