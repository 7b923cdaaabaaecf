package app

import (
	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
)

// modeText is 明查 / 暗访.
func modeText(m inspect.Mode) string {
	if m == inspect.ModeCovert {
		return lang.L("Covert")
	}
	return lang.L("Open (mode)")
}

// statusText is 草稿 / 已完成 / 已签名.
func statusText(s inspect.Status) string {
	switch s {
	case inspect.StatusCompleted:
		return lang.L("Completed")
	case inspect.StatusSigned:
		return lang.L("Signed")
	default:
		return lang.L("Draft")
	}
}

// reasonText is the label of an absence reason.
func reasonText(r inspect.AbsenceReason) string {
	switch r {
	case inspect.AbsenceLeave:
		return lang.L("On leave")
	case inspect.AbsenceTrip:
		return lang.L("On a business trip")
	case inspect.AbsenceMeeting:
		return lang.L("In a meeting")
	case inspect.AbsenceOffPost:
		return lang.L("Off post")
	default:
		return lang.L("Unknown")
	}
}
