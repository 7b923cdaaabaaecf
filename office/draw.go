package office

import (
	"slices"

	"mingcha/inspect"
)

// DrawRepeat is an earlier draw with the seed, number and filter of a new
// one (anyone can check a draw by repeating it), and whether it drew the
// same units: with one seed a draw differs only when the candidates did (a
// roster imported, units inspected since).
type DrawRepeat struct {
	Earlier   inspect.Draw
	SameUnits bool
}

// Repeats is the latest draw recorded before d with d's seed, number and
// filter; nil when there is none.
func (o *Office) Repeats(d *inspect.Draw) (*DrawRepeat, error) {
	draws, err := o.Store.Draws()
	if err != nil {
		return nil, err
	}
	return repeatOf(draws, d), nil
}

// repeatOf is Repeats over the draws recorded, in any order.
func repeatOf(draws []inspect.Draw, d *inspect.Draw) *DrawRepeat {
	var latest *inspect.Draw
	for i := range draws {
		p := &draws[i]
		if p.Seq < d.Seq && p.Seed == d.Seed && p.N == d.N && p.Filter == d.Filter && (latest == nil || p.Seq > latest.Seq) {
			latest = p
		}
	}
	if latest == nil {
		return nil
	}
	return &DrawRepeat{Earlier: *latest, SameUnits: slices.Equal(drawnIDs(latest), drawnIDs(d))}
}

func drawnIDs(d *inspect.Draw) []string {
	ids := make([]string, len(d.Drawn))
	for i, u := range d.Drawn {
		ids[i] = u.UnitID
	}
	return ids
}
