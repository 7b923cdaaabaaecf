package inspect

import (
	"sort"
	"time"
)

// TrendPoint is one month of the office's record: the inspections done,
// the average of the units' ranked scores and the problems found.
type TrendPoint struct {
	Month       time.Time `json:"month"` // first instant of the month
	Inspections int       `json:"inspections"`
	Units       int       `json:"units"`
	Average     float64   `json:"average"`
	Problems    int       `json:"problems"`
}

// Trend summarises the months up to and including the month of end, oldest
// first, each month as Summarize ranks it (so a 一票否决 counts as it does
// in that month's 通报).
func Trend(all []ReportResult, end time.Time, months int) []TrendPoint {
	if months <= 0 {
		return nil
	}
	first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, end.Location()).AddDate(0, -(months - 1), 0)
	out := make([]TrendPoint, 0, months)
	for i := 0; i < months; i++ {
		from := first.AddDate(0, i, 0)
		o := Summarize(all, Filter{From: from, To: from.AddDate(0, 1, 0)})
		out = append(out, TrendPoint{Month: from, Inspections: o.Totals.Inspections, Units: o.Totals.Units,
			Average: o.Totals.Average, Problems: o.Totals.Problems})
	}
	return out
}

// ScorePoint is one report of a unit, for its score over time.
type ScorePoint struct {
	ReportID   string    `json:"report_id"`
	ObservedAt time.Time `json:"observed_at"`
	Score      float64   `json:"score"`
	Full       float64   `json:"full"`
	Rating     string    `json:"rating"`
	Veto       bool      `json:"veto,omitempty"`
	Bands      []Band    `json:"bands,omitempty"`
}

// UnitScores lists a unit's reports oldest first.
func UnitScores(all []ReportResult, unitID string) []ScorePoint {
	var out []ScorePoint
	for _, r := range all {
		if r.UnitID != unitID {
			continue
		}
		out = append(out, ScorePoint{ReportID: r.ReportID, ObservedAt: r.ObservedAt, Score: r.Score, Full: r.Full,
			Rating: r.Rating, Veto: r.Veto, Bands: r.Bands})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].ObservedAt.Equal(out[j].ObservedAt) {
			return out[i].ObservedAt.Before(out[j].ObservedAt)
		}
		return out[i].ReportID < out[j].ReportID
	})
	return out
}
