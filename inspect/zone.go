package inspect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai on Windows and minimal systems too
)

// Zone is the office's time zone. Dates, periods, working days and 整改
// deadlines are days in it, whatever zone the computer (time.Local) or a
// given instant carries: an inspector's laptop set to UTC must not move a
// deadline or a period boundary by a day.
var Zone = loadZone()

func loadZone() *time.Location {
	if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return z
	}
	return time.FixedZone("CST", 8*3600) // tzdata is embedded; never reached
}

// DateLayout is how a date is written and typed: 2026-05-31.
const DateLayout = time.DateOnly

// Day is midnight, in Zone, of the date on which t falls in Zone.
func Day(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
}

// EndOfDay is the last second, in Zone, of the date on which t falls in
// Zone: a deadline on that date.
func EndOfDay(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, Zone)
}

// FormatDate writes t's date in Zone ("" for the zero time).
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format(DateLayout)
}

// ParseDate reads a date like 2026-05-31 as midnight in Zone.
func ParseDate(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	t, err := time.ParseInLocation(DateLayout, v, Zone)
	if err != nil {
		return time.Time{}, Errorf(ECodeInvalid, "date.invalid", map[string]any{"Value": strconv.Quote(v)},
			"%s is not a date like 2026-05-31", strconv.Quote(v))
	}
	return t, nil
}

// ParseDeadline reads a deadline date: the end of that day in Zone.
func ParseDeadline(s string) (time.Time, error) {
	d, err := ParseDate(s)
	if err != nil {
		return d, err
	}
	return EndOfDay(d), nil
}

var (
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})[Qq]([1-4])$`)
	yearRE    = regexp.MustCompile(`^(\d{4})$`)
)

// ParsePeriod reads a named period: a month (2026-05), a quarter (2026Q2)
// or a year (2026). from is its first day, to the day after its last (the
// Filter convention), both midnight in Zone.
func ParsePeriod(s string) (from, to time.Time, err error) {
	v := strings.TrimSpace(s)
	switch m := monthRE.FindStringSubmatch(v); {
	case m != nil:
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return from, to, Errorf(ECodeInvalid, "period.no_month", map[string]any{"Value": strconv.Quote(v), "Month": mo},
				"%s: no month %d", strconv.Quote(v), mo)
		}
		from = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, Zone)
		return from, from.AddDate(0, 1, 0), nil
	}
	if m := quarterRE.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		from = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, Zone)
		return from, from.AddDate(0, 3, 0), nil
	}
	if m := yearRE.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		from = time.Date(y, 1, 1, 0, 0, 0, 0, Zone)
		return from, from.AddDate(1, 0, 0), nil
	}
	return from, to, Errorf(ECodeInvalid, "period.invalid", map[string]any{"Value": strconv.Quote(v)},
		"%s is not a month (2026-05), quarter (2026Q2) or year (2026)", strconv.Quote(v))
}

// ParseRange reads a period from its first and last day, both included:
// to is returned as the day after the last (the Filter convention).
func ParseRange(first, last string) (from, to time.Time, err error) {
	if from, err = ParseDate(first); err != nil {
		return from, to, err
	}
	if to, err = ParseDate(last); err != nil {
		return from, to, err
	}
	if to.Before(from) {
		return from, to, Errorf(ECodeInvalid, "period.end_before_start", nil, "the period ends before it begins")
	}
	return from, to.AddDate(0, 0, 1), nil
}

// PeriodLabel is "2026-05-01 – 2026-05-31" for the period [from, to).
func PeriodLabel(from, to time.Time) string {
	return fmt.Sprintf("%s – %s", FormatDate(from), FormatDate(to.AddDate(0, 0, -1)))
}

// FormatTime writes t as a date and time of day in Zone: 2026-05-31 14:05.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("2006-01-02 15:04")
}

// Preset names a period relative to now: the 通报's usual periods.
type Preset int

const (
	ThisMonth Preset = iota
	LastMonth
	ThisQuarter
	LastQuarter
	ThisYear
	LastYear
)

// PresetPeriod is preset p around now, in Zone: from its first day to the
// day after its last (the Filter convention).
func PresetPeriod(p Preset, now time.Time) (from, to time.Time) {
	now = now.In(Zone)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, Zone)
	quarter := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, Zone)
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, Zone)
	switch p {
	case ThisMonth:
		return month, month.AddDate(0, 1, 0)
	case LastMonth:
		return month.AddDate(0, -1, 0), month
	case ThisQuarter:
		return quarter, quarter.AddDate(0, 3, 0)
	case LastQuarter:
		return quarter.AddDate(0, -3, 0), quarter
	case ThisYear:
		return year, year.AddDate(1, 0, 0)
	default:
		return year.AddDate(-1, 0, 0), year
	}
}
