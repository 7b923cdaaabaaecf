package desk

import (
	"mingcha/store"
)

// Backup checks the database and writes a compressed copy beside it.
func (d *Desk) Backup() (string, error) { return d.Store.Backup() }

// Backups lists the database's backups, newest first.
func (d *Desk) Backups() ([]store.BackupInfo, error) { return store.ListBackups(d.Store.Path()) }

// whileClosed closes the store (work needs the file lock), runs work on
// the file and opens it again with opts. It returns a Desk over the
// reopened store; goroutines that still hold the old store get
// store.ErrClosed. When reopening fails the returned Desk is nil and err
// says why.
func (d *Desk) whileClosed(opts store.Options, work func(path string) error) (*Desk, error) {
	path := d.Store.Path()
	_ = d.Store.Close()
	werr := work(path)
	n, oerr := Open(path, opts, d.Keys)
	if oerr != nil {
		return nil, oerr
	}
	n.Now = d.Now
	return n, werr
}

// Restore puts backup in place of the database, keeping the replaced file
// (kept), and reopens it (see whileClosed).
func (d *Desk) Restore(backup string, opts store.Options) (next *Desk, kept string, err error) {
	next, err = d.whileClosed(opts, func(path string) error {
		var rerr error
		kept, rerr = store.Restore(path, backup)
		return rerr
	})
	return next, kept, err
}

// Compact rewrites the database without its free pages (after a backup)
// and reopens it; before and after are the file sizes.
func (d *Desk) Compact(opts store.Options) (next *Desk, before, after int64, err error) {
	next, err = d.whileClosed(opts, func(path string) error {
		var cerr error
		before, after, cerr = store.Compact(path)
		return cerr
	})
	return next, before, after, err
}
