package inspect

import (
	"strings"
	"time"
)

// Receipt is the unit representative's 签收 of a 明查's 检查记录: who signed
// it on the spot, their drawn signature and whether they object. It is part
// of the inspection, so the report prints it and its digital signature
// covers it.
type Receipt struct {
	Name      string    `json:"name"`
	Post      string    `json:"post,omitempty"`
	PNG       []byte    `json:"png"`
	Objection bool      `json:"objection,omitempty"` // 有异议
	Text      string    `json:"text,omitempty"`      // the objection in the representative's words
	SignedAt  time.Time `json:"signed_at"`
}

// SetReceipt records the representative's 签收; only a 明查 has one, and
// never once the inspection is signed.
func (in *Inspection) SetReceipt(r Receipt, now time.Time) error {
	if in.Status == StatusSigned {
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	}
	if in.Mode != ModeOpen {
		return Errorf(ECodeInvalid, "receipt.covert", nil, "a 暗访 has no 签收 by the unit")
	}
	r.Name, r.Post, r.Text = strings.TrimSpace(r.Name), strings.TrimSpace(r.Post), strings.TrimSpace(r.Text)
	if r.Name == "" {
		return Errorf(ECodeInvalid, "receipt.no_name", nil, "the representative's name is required")
	}
	if len(r.PNG) == 0 {
		return Errorf(ECodeInvalid, "receipt.no_signature", nil, "the representative has not drawn a signature")
	}
	if r.Objection && r.Text == "" {
		return Errorf(ECodeInvalid, "receipt.no_objection", nil, "write down the objection (有异议) in the representative's words")
	}
	if !r.Objection {
		r.Text = ""
	}
	if r.SignedAt.IsZero() {
		r.SignedAt = now
	}
	in.Receipt = &r
	in.UpdatedAt = now
	return nil
}

// NeedsReceipt reports whether the inspection still waits for the unit's
// 签收: a 明查 is signed off by the unit's representative before the
// inspectors sign. (Sign itself does not insist, so that data made before
// 签收 existed, and tools that import it, still sign.)
func (in *Inspection) NeedsReceipt() error {
	if in.Mode == ModeOpen && in.Receipt == nil {
		return Errorf(ECodeIncomplete, "transition.receipt_missing", nil,
			"a 明查 is signed off by the unit's representative (签收) before the inspectors sign")
	}
	return nil
}

// ClearReceipt removes the 签收 (e.g. a representative who signs again).
func (in *Inspection) ClearReceipt(now time.Time) error {
	if in.Status == StatusSigned {
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	}
	in.Receipt = nil
	in.UpdatedAt = now
	return nil
}

// VisitSlack is how far before the observed start or after the end a
// photo's capture time may lie before it is flagged.
const VisitSlack = 30 * time.Minute

// CapturedOutsideVisit reports whether a photo taken at taken lies outside
// the visit (observed start to end, or to the last change while the visit
// goes on), give or take VisitSlack. Such a photo is flagged, not refused:
// the camera's clock may be wrong, or the photo earlier evidence.
func (in *Inspection) CapturedOutsideVisit(taken time.Time) bool {
	if taken.IsZero() {
		return false
	}
	end := in.EndedAt
	if end.IsZero() {
		end = in.UpdatedAt
	}
	if end.Before(in.ObservedAt) {
		end = in.ObservedAt
	}
	return taken.Before(in.ObservedAt.Add(-VisitSlack)) || taken.After(end.Add(VisitSlack))
}
