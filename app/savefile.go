package app

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage/repository"
)

// Fyne's save dialog opens the chosen file with a truncating writer before
// its callback runs; the window only takes the path from it and writes
// through the store's guarded writer (never over the database, a backup or
// a key). guardFileWriter wraps the file:// repository so that its writer
// opens the file at the first Write: picking the database in a save dialog
// truncates nothing, and closing the writer unwritten only creates a file
// that did not exist.
func guardFileWriter() {
	inner, err := repository.ForScheme("file")
	if err != nil {
		return
	}
	if _, done := inner.(*lazyFileRepository); done {
		return
	}
	repository.Register("file", &lazyFileRepository{inner: inner})
}

type lazyFileRepository struct{ inner repository.Repository }

func (r *lazyFileRepository) Exists(u fyne.URI) (bool, error) { return r.inner.Exists(u) }
func (r *lazyFileRepository) Reader(u fyne.URI) (fyne.URIReadCloser, error) {
	return r.inner.Reader(u)
}
func (r *lazyFileRepository) CanRead(u fyne.URI) (bool, error) { return r.inner.CanRead(u) }
func (r *lazyFileRepository) Destroy(scheme string)            { r.inner.Destroy(scheme) }

func (r *lazyFileRepository) Writer(u fyne.URI) (fyne.URIWriteCloser, error) {
	return &lazyWriter{uri: u}, nil
}

func (r *lazyFileRepository) CanWrite(u fyne.URI) (bool, error) {
	if w, ok := r.inner.(repository.WritableRepository); ok {
		return w.CanWrite(u)
	}
	return false, repository.ErrOperationNotSupported
}

func (r *lazyFileRepository) Delete(u fyne.URI) error {
	if w, ok := r.inner.(repository.WritableRepository); ok {
		return w.Delete(u)
	}
	return repository.ErrOperationNotSupported
}

func (r *lazyFileRepository) Appender(u fyne.URI) (fyne.URIWriteCloser, error) {
	if w, ok := r.inner.(repository.AppendableRepository); ok {
		return w.Appender(u)
	}
	return nil, repository.ErrOperationNotSupported
}

func (r *lazyFileRepository) Parent(u fyne.URI) (fyne.URI, error) {
	if h, ok := r.inner.(repository.HierarchicalRepository); ok {
		return h.Parent(u)
	}
	return repository.GenericParent(u)
}

func (r *lazyFileRepository) Child(u fyne.URI, c string) (fyne.URI, error) {
	if h, ok := r.inner.(repository.HierarchicalRepository); ok {
		return h.Child(u, c)
	}
	return repository.GenericChild(u, c)
}

func (r *lazyFileRepository) List(u fyne.URI) ([]fyne.URI, error) {
	if l, ok := r.inner.(repository.ListableRepository); ok {
		return l.List(u)
	}
	return nil, repository.ErrOperationNotSupported
}

func (r *lazyFileRepository) CanList(u fyne.URI) (bool, error) {
	if l, ok := r.inner.(repository.ListableRepository); ok {
		return l.CanList(u)
	}
	return false, nil
}

func (r *lazyFileRepository) CreateListable(u fyne.URI) error {
	if l, ok := r.inner.(repository.ListableRepository); ok {
		return l.CreateListable(u)
	}
	return repository.ErrOperationNotSupported
}

func (r *lazyFileRepository) Copy(src, dst fyne.URI) error {
	if c, ok := r.inner.(repository.CopyableRepository); ok {
		return c.Copy(src, dst)
	}
	return repository.GenericCopy(src, dst)
}

func (r *lazyFileRepository) Move(src, dst fyne.URI) error {
	if m, ok := r.inner.(repository.MovableRepository); ok {
		return m.Move(src, dst)
	}
	return repository.GenericMove(src, dst)
}

// lazyWriter truncates and writes the file only when written to.
type lazyWriter struct {
	uri fyne.URI
	f   *os.File
}

func (w *lazyWriter) URI() fyne.URI { return w.uri }

func (w *lazyWriter) Write(p []byte) (int, error) {
	if w.f == nil {
		f, err := os.Create(w.uri.Path())
		if err != nil {
			return 0, err
		}
		w.f = f
	}
	return w.f.Write(p)
}

func (w *lazyWriter) Close() error {
	if w.f != nil {
		return w.f.Close()
	}
	f, err := os.OpenFile(w.uri.Path(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
