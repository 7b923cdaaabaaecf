package inspect

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// 抽签: drawing the units for the next round of 暗访 at random, in a way
// anyone can reproduce from the recorded seed. Each candidate's lot is
// SHA-256(seed, unit id); the N smallest lots are drawn. The result does
// not depend on the order of the roster, on Go's random number generators
// (whose streams may change between releases) or on anything but the seed
// and the candidates' ids, which the draw record keeps.

// DrawFilter narrows the roster before the draw. Zero fields match all.
type DrawFilter struct {
	Department string   `json:"department,omitempty"`
	Kind       UnitKind `json:"kind,omitempty"`
}

// Match reports whether a unit is a candidate.
func (f DrawFilter) Match(u *Unit) bool {
	return (f.Department == "" || u.Department == f.Department) && (f.Kind == "" || u.Kind == f.Kind)
}

// DrawnUnit is one unit drawn, in draw order.
type DrawnUnit struct {
	Order      int      `json:"order"`
	UnitID     string   `json:"unit_id"`
	Name       string   `json:"name"`
	Department string   `json:"department,omitempty"`
	Kind       UnitKind `json:"kind,omitempty"`
	Address    string   `json:"address,omitempty"`
	Lot        string   `json:"lot"` // hex of the lot, so a reader can check the order
}

// Draw is a recorded 抽签.
type Draw struct {
	Seed       string      `json:"seed"`
	N          int         `json:"n"`
	Filter     DrawFilter  `json:"filter"`
	Candidates []string    `json:"candidates"` // ids of every unit that could be drawn, sorted
	Drawn      []DrawnUnit `json:"drawn"`
	At         time.Time   `json:"at"`
	By         string      `json:"by,omitempty"`
	Seq        uint64      `json:"seq,omitempty"` // set by the store
}

// NewSeed returns a fresh random seed (16 hex digits).
func NewSeed() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func lot(seed, unitID string) [32]byte {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(seed)))
	h.Write(n[:]) // length prefix: seed "ab"+id "c" differs from "a"+"bc"
	h.Write([]byte(seed))
	h.Write([]byte(unitID))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// DrawUnits draws n of the units matching f with the seed. n larger than
// the candidates draws them all (in lot order); n below 1 or an empty seed
// is refused.
func DrawUnits(units []Unit, f DrawFilter, n int, seed string, now time.Time) (*Draw, error) {
	seed = strings.TrimSpace(seed)
	if seed == "" {
		return nil, Errorf(ECodeInvalid, "draw.no_seed", nil, "a draw needs a seed")
	}
	if n < 1 {
		return nil, Errorf(ECodeInvalid, "draw.bad_n", map[string]any{"N": n}, "draw at least one unit (n = %d)", n)
	}
	type cand struct {
		u   Unit
		lot [32]byte
	}
	var cands []cand
	seen := map[string]bool{}
	for _, u := range units {
		if !f.Match(&u) || u.ID == "" || seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		cands = append(cands, cand{u: u, lot: lot(seed, u.ID)})
	}
	if len(cands) == 0 {
		return nil, Errorf(ECodeNotFound, "draw.no_candidates", nil, "no unit matches the filter")
	}
	d := &Draw{Seed: seed, N: n, Filter: f, At: now}
	for _, c := range cands {
		d.Candidates = append(d.Candidates, c.u.ID)
	}
	sort.Strings(d.Candidates)
	sort.Slice(cands, func(i, j int) bool {
		if c := compareLots(cands[i].lot, cands[j].lot); c != 0 {
			return c < 0
		}
		return cands[i].u.ID < cands[j].u.ID
	})
	for i := 0; i < n && i < len(cands); i++ {
		u := cands[i].u
		d.Drawn = append(d.Drawn, DrawnUnit{
			Order: i + 1, UnitID: u.ID, Name: u.Name, Department: u.Department,
			Kind: u.Kind, Address: u.Address, Lot: hex.EncodeToString(cands[i].lot[:8]),
		})
	}
	return d, nil
}

func compareLots(a, b [32]byte) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Reproduce redraws a recorded draw from its seed and candidate ids and
// reports whether the same units come out in the same order. units must
// hold the candidates (names may have changed since; ids may not).
func (d *Draw) Reproduce(units []Unit) (bool, error) {
	byID := map[string]Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	var cands []Unit
	for _, id := range d.Candidates {
		u, ok := byID[id]
		if !ok {
			u = Unit{ID: id}
		}
		cands = append(cands, u)
	}
	again, err := DrawUnits(cands, DrawFilter{}, d.N, d.Seed, d.At)
	if err != nil {
		return false, err
	}
	if len(again.Drawn) != len(d.Drawn) {
		return false, nil
	}
	for i := range again.Drawn {
		if again.Drawn[i].UnitID != d.Drawn[i].UnitID {
			return false, nil
		}
	}
	return true, nil
}
