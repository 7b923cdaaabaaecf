package inspect

import "time"

// ExcludeRecent leaves out of a draw the units inspected within the last
// days days before now (last: each unit's latest inspection, by unit id),
// so that a 抽签 spreads the visits.
func ExcludeRecent(units []Unit, last map[string]time.Time, now time.Time, days int) []Unit {
	if days <= 0 {
		return units
	}
	cutoff := now.AddDate(0, 0, -days)
	var out []Unit
	for _, u := range units {
		if t, ok := last[u.ID]; ok && t.After(cutoff) {
			continue
		}
		out = append(out, u)
	}
	return out
}
