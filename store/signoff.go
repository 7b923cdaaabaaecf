package store

import "mingcha/inspect"

// SetReceipt records the unit representative's 签收 of a 明查, with its
// audit entry, in one durable transaction.
func (s *Store) SetReceipt(who, id string, r inspect.Receipt) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "receipt.set", func(in *inspect.Inspection) error {
		return in.SetReceipt(r, s.Now())
	})
}

// ClearReceipt removes the 签收 (the representative signs again).
func (s *Store) ClearReceipt(who, id string) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "receipt.clear", func(in *inspect.Inspection) error {
		return in.ClearReceipt(s.Now())
	})
}
