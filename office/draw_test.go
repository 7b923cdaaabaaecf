package office

import (
	"fmt"
	"testing"

	"mingcha/inspect"
)

// TestDrawRepeats: a draw with the seed, number and filter of an earlier
// one names the latest such draw and says whether it drew the same units;
// another seed, number or filter is no repeat; after the roster changed,
// the same seed draws other units, and that is said too.
func TestDrawRepeats(t *testing.T) {
	o := openOffice(t)
	put := func(name, dept string) {
		t.Helper()
		u := inspect.Unit{Name: name, Department: dept, Kind: inspect.UnitOffice}
		if err := o.Store.PutUnit("t", &u); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 6 {
		put(fmt.Sprintf("科室%d", i), "区政府")
	}
	draw := func(f inspect.DrawFilter, n int, seed string) *inspect.Draw {
		t.Helper()
		d, err := o.Draw("t", f, n, seed, 0)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	repeat := func(d *inspect.Draw) *DrawRepeat {
		t.Helper()
		r, err := o.Repeats(d)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := draw(inspect.DrawFilter{}, 2, "seed-1")
	if r := repeat(first); r != nil {
		t.Fatalf("the first draw repeats %+v", r.Earlier)
	}
	second := draw(inspect.DrawFilter{}, 2, "seed-1")
	if r := repeat(second); r == nil || r.Earlier.Seq != first.Seq || !r.SameUnits {
		t.Fatalf("the second draw with seed-1: %+v", r)
	}
	// Another seed, number or filter: no repeat.
	for _, d := range []*inspect.Draw{
		draw(inspect.DrawFilter{}, 2, "seed-2"),
		draw(inspect.DrawFilter{}, 3, "seed-1"),
		draw(inspect.DrawFilter{Department: "区政府"}, 2, "seed-1"),
	} {
		if r := repeat(d); r != nil {
			t.Errorf("draw %d (%s, %d, %+v) repeats draw %d", d.Seq, d.Seed, d.N, d.Filter, r.Earlier.Seq)
		}
	}
	// The roster grows until seed-1 draws other units: the latest earlier
	// draw (the second) is named, with other units. Unit ids are random, so
	// how many new units that takes is too: the k-th new unit enters the
	// top two with probability 2/(6+k), and none of the first m does with
	// probability 30/((m+5)(m+6)) — about 1% at 50 (seen failing in CI),
	// below 1e-7 at 20,000.
	var third *inspect.Draw
	latest := second.Seq // the latest draw with seed-1, 2, no filter
	for i := 0; third == nil; i++ {
		if i == 20000 {
			t.Fatal("20,000 new units and seed-1 still draws the same two")
		}
		put(fmt.Sprintf("新科室%d", i), "区政府")
		d := draw(inspect.DrawFilter{}, 2, "seed-1")
		r := repeat(d)
		if r == nil {
			t.Fatal("no repeat found after the roster changed")
		}
		if r.Earlier.Seq != latest {
			t.Errorf("draw %d compared with draw %d, not with the latest earlier one (%d)", d.Seq, r.Earlier.Seq, latest)
		}
		if !r.SameUnits {
			third = d
		}
		latest = d.Seq
	}
	// An earlier draw asked about later finds only draws before it.
	if r := repeat(second); r == nil || r.Earlier.Seq != first.Seq {
		t.Errorf("the second draw, asked again: %+v", r)
	}
}
