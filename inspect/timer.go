package inspect

import (
	"math"
	"time"
)

// Timer is the stopwatch a timed item carries in the walk.
type Timer string

const (
	TimerNone Timer = ""
	// TimerQueue times a 体验式暗访: 取号, 叫号, 办结. The minutes of a number
	// item are the wait from 取号 to 叫号 (the service starting).
	TimerQueue Timer = "queue"
	// TimerCalls records each attempt of a timed phone call (e.g. two calls
	// to the complaint line five minutes apart).
	TimerCalls Timer = "calls"
)

// Mark names one stopwatch reading.
type Mark string

const (
	MarkTake    Mark = "take"    // 取号
	MarkCall    Mark = "call"    // 叫号
	MarkDone    Mark = "done"    // 办结
	MarkAttempt Mark = "attempt" // one call attempt
)

// MaxMarks bounds the readings one answer keeps.
const MaxMarks = 20

// TimeMark is one reading of an item's stopwatch.
type TimeMark struct {
	Mark Mark      `json:"mark"`
	At   time.Time `json:"at"`
}

// NextMark is what the stopwatch records next on item it, or "" when it
// has nothing more to record.
func NextMark(it *Item, a *Answer) Mark {
	switch it.Timer {
	case TimerQueue:
		var n int
		if a != nil {
			n = len(a.Times)
		}
		switch n {
		case 0:
			return MarkTake
		case 1:
			return MarkCall
		case 2:
			return MarkDone
		}
	case TimerCalls:
		if a == nil || len(a.Times) < MaxMarks {
			return MarkAttempt
		}
	}
	return ""
}

// Lap records the stopwatch's next reading at t on the answer. For a
// queue-timed number item the wait from 取号 to 叫号 fills the minutes
// (to a tenth). It reports false when there is nothing more to record.
func Lap(it *Item, a *Answer, t time.Time) bool {
	m := NextMark(it, a)
	if m == "" {
		return false
	}
	a.Times = append(a.Times, TimeMark{Mark: m, At: t})
	if it.Timer == TimerQueue && m == MarkCall && it.Kind == KindNumber {
		v := WaitMinutes(a.Times)
		a.Number = &v
		if a.Result == ResultNA {
			a.Result = ResultNone
		}
	}
	return true
}

// WaitMinutes is the time from 取号 to 叫号, in minutes to a tenth; 0
// before both are recorded.
func WaitMinutes(marks []TimeMark) float64 {
	var take, call time.Time
	for _, m := range marks {
		switch m.Mark {
		case MarkTake:
			take = m.At
		case MarkCall:
			call = m.At
		}
	}
	if take.IsZero() || call.IsZero() || call.Before(take) {
		return 0
	}
	return math.Round(call.Sub(take).Minutes()*10) / 10
}

// checkTimes refuses readings that do not fit the item's stopwatch.
func checkTimes(it *Item, a *Answer) error {
	if len(a.Times) == 0 {
		return nil
	}
	bad := func(msg string) error {
		return Errorf(ECodeInvalid, "answer.bad_times", map[string]any{"Item": it.Code}, "item %s: %s", it.Code, msg)
	}
	if it.Timer == TimerNone {
		return bad("the item has no stopwatch")
	}
	if len(a.Times) > MaxMarks {
		return bad("too many stopwatch readings")
	}
	want := []Mark{MarkTake, MarkCall, MarkDone}
	for i, m := range a.Times {
		if m.At.IsZero() {
			return bad("a stopwatch reading has no time")
		}
		if i > 0 && m.At.Before(a.Times[i-1].At) {
			return bad("stopwatch readings are out of order")
		}
		switch it.Timer {
		case TimerQueue:
			if i >= len(want) || m.Mark != want[i] {
				return bad("the queue stopwatch records 取号, 叫号, 办结 in that order")
			}
		case TimerCalls:
			if m.Mark != MarkAttempt {
				return bad("the call stopwatch records call attempts only")
			}
		}
	}
	return nil
}

// LastWorked is the index of the item answered last (the latest
// AnsweredAt), where the walk resumes; 0 when nothing is answered.
func (in *Inspection) LastWorked() int {
	best, at := 0, time.Time{}
	for i, it := range in.Template.Items() {
		if a := in.Answers[it.Code]; a != nil && a.AnsweredAt.After(at) {
			best, at = i, a.AnsweredAt
		}
	}
	return best
}
