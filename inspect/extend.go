package inspect

import (
	"strings"
	"time"
)

// Extend grants a 延期: an open problem gets a later 整改 deadline, for a
// reason that is kept (in the audit log) with who granted it.
func (p *Problem) Extend(until time.Time, reason string) error {
	if p.State != ProblemOpen {
		return Errorf(ECodeForbidden, "problem.extend_not_open", map[string]any{"State": string(p.State)},
			"problem %s is %s; only an open problem gets a new deadline", p.ID, p.State)
	}
	if strings.TrimSpace(reason) == "" {
		return Errorf(ECodeInvalid, "problem.extend_no_reason", nil, "a deadline extension needs a reason")
	}
	if !until.After(p.Deadline) {
		return Errorf(ECodeInvalid, "problem.extend_not_later", map[string]any{"Deadline": p.Deadline.Format("2006-01-02")},
			"the new deadline must be after the current one (%s)", p.Deadline.Format("2006-01-02"))
	}
	p.Deadline = until
	return nil
}
