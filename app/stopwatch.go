package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// markText names a stopwatch reading in the user's language.
func markText(m inspect.Mark) string {
	switch m {
	case inspect.MarkTake:
		return lang.L("Ticket taken")
	case inspect.MarkCall:
		return lang.L("Number called")
	case inspect.MarkDone:
		return lang.L("Service done")
	case inspect.MarkAttempt:
		return lang.L("Call")
	}
	return string(m)
}

// marksText lists an answer's readings with their times: 取号 09:30:05 · …
func marksText(marks []inspect.TimeMark) string {
	parts := make([]string, len(marks))
	for i, m := range marks {
		parts[i] = markText(m.Mark) + " " + m.At.In(inspect.Zone).Format("15:04:05")
	}
	return strings.Join(parts, " · ")
}

// stopwatch is the timed item's row: the button for the next reading (T),
// the readings so far and, for a queue, the wait they give.
func (w *walkScreen) stopwatch(it *inspect.Item, a *inspect.Answer) fyne.CanvasObject {
	next := inspect.NextMark(it, a)
	label := lang.L("Stopwatch complete")
	if next != "" {
		label = lang.L("Record: {{.Mark}} (T)", map[string]any{"Mark": markText(next)})
	}
	w.lapButton = widget.NewButtonWithIcon(label, theme.MediaRecordIcon(), w.lap)
	w.lapButton.Importance = widget.HighImportance
	if next == "" {
		w.lapButton.Disable()
	}
	var marks []inspect.TimeMark
	if a != nil {
		marks = a.Times
	}
	shown := lang.L("No readings yet")
	if len(marks) > 0 {
		shown = marksText(marks)
		if it.Timer == inspect.TimerQueue && len(marks) >= 2 {
			shown += " · " + lang.L("waited {{.Minutes}} minutes", map[string]any{"Minutes": fmtPoints(inspect.WaitMinutes(marks))})
		}
		if it.Timer == inspect.TimerCalls && len(marks) >= 2 {
			gap := marks[len(marks)-1].At.Sub(marks[len(marks)-2].At)
			shown += " · " + lang.L("{{.Minutes}} minutes since the last call", map[string]any{"Minutes": fmtPoints(float64(int(gap.Minutes()*10)) / 10)})
		}
	}
	readings := widget.NewLabel(shown)
	readings.Wrapping = fyne.TextWrapWord
	reset := widget.NewButtonWithIcon(lang.L("Reset"), theme.ContentUndoIcon(), w.resetTimer)
	if len(marks) == 0 {
		reset.Disable()
	}
	return container.NewVBox(container.NewHBox(w.lapButton, reset), readings)
}
