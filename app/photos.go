package app

import (
	"container/list"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // photo formats the store accepts
	_ "image/jpeg"
	_ "image/png"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/store"
)

// Long sides, in pixels, of the shrunk photos: a thumbnail (96×72 on
// screen, room for a 2× display) and the large view.
const (
	thumbLong = 256
	viewLong  = 1600
)

// photoCache holds photos decoded and shrunk off the UI goroutine. Decoding
// a camera photo (a 6000×4000 JPEG, tens of MB) takes far longer than a
// frame, so the walk never does it itself: it asks the cache, shows a
// placeholder, and gets the small image back through the UI's scheduler.
type photoCache struct {
	mu      sync.Mutex
	max     int
	read    func(hash string) ([]byte, error) // the bytes to decode
	entries map[photoKey]*photoEntry
	lru     *list.List    // photoKeys of finished entries, most recent first
	sem     chan struct{} // decodes at a time: each holds a full-size image
	sched   scheduler     // runs the waiters on the UI goroutine
	// wg counts decodes until their waiters have run (tests wait on it).
	wg sync.WaitGroup
}

type photoKey struct {
	hash string
	long int
}

type photoEntry struct {
	img     image.Image
	err     error
	done    bool
	waiters []func(image.Image, error)
	elem    *list.Element
}

// newPhotoCache keeps up to max shrunk images; read returns the bytes of
// a photo by its hash, sched runs the waiters.
func newPhotoCache(max int, read func(hash string) ([]byte, error), sched scheduler) *photoCache {
	return &photoCache{max: max, read: read, entries: map[photoKey]*photoEntry{}, lru: list.New(), sem: make(chan struct{}, 2), sched: sched}
}

// load returns photo hash shrunk to fit long pixels. When it is cached, it
// comes back at once with ok true; otherwise the decoding starts (once per
// photo and size, however many ask) and done is called on the UI goroutine
// when it finishes.
func (c *photoCache) load(hash string, long int, done func(image.Image, error)) (img image.Image, err error, ok bool) {
	key := photoKey{hash, long}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil {
		if e.done {
			c.lru.MoveToFront(e.elem)
			return e.img, e.err, true
		}
		e.waiters = append(e.waiters, done)
		return nil, nil, false
	}
	e := &photoEntry{waiters: []func(image.Image, error){done}}
	c.entries[key] = e
	c.wg.Add(1)
	go c.decode(key, e)
	return nil, nil, false
}

func (c *photoCache) decode(key photoKey, e *photoEntry) {
	defer c.wg.Done()
	c.sem <- struct{}{}
	var img image.Image
	data, err := c.read(key.hash)
	if err == nil {
		img, err = decodeShrunk(data, key.long)
	}
	<-c.sem
	c.mu.Lock()
	e.img, e.err, e.done = img, err, true
	waiters := e.waiters
	e.waiters = nil
	e.elem = c.lru.PushFront(key)
	for c.lru.Len() > c.max {
		old := c.lru.Remove(c.lru.Back()).(photoKey)
		delete(c.entries, old)
	}
	c.mu.Unlock()
	c.sched.post(func() {
		for _, w := range waiters {
			w(img, err)
		}
	})
}

// decodeShrunk decodes a photo, shrinks it to fit long pixels and turns
// it upright as its EXIF orientation says (cameras store a portrait photo
// sideways with a tag; the store's report-size copies are upright already),
// the same way the store derives its report-size copies.
func decodeShrunk(data []byte, long int) (image.Image, error) {
	img, err := store.UprightImage(data, long)
	if err != nil {
		return nil, fmt.Errorf("decode photo: %w", err)
	}
	return img, nil
}

// photoSource reads what the UI shows of a photo: the store's report-size
// copy (upright, at most 1600 px, derived at attach time, so a thumbnail
// of a 24-megapixel photo decodes in milliseconds), or the original when
// the copy cannot be made.
func (u *UI) photoSource(hash string) ([]byte, error) {
	st := u.current.Load() // this runs off the UI goroutine
	if st == nil {
		return nil, store.ErrClosed
	}
	if b, err := st.ReportPhotoBytes(hash); err == nil {
		return b, nil
	}
	return st.PhotoBytes(hash)
}

// thumbnail is a small photo that opens large when tapped. It shows a
// placeholder until the cache has decoded the photo; the original stays
// untouched in the store.
type thumbnail struct {
	widget.BaseWidget
	hash  string
	onTap func(hash string)

	img    *canvas.Image
	icon   *widget.Icon
	loaded atomic.Bool // the small image is shown
}

func newThumbnail(hash string, cache *photoCache, onTap func(string)) *thumbnail {
	t := &thumbnail{hash: hash, onTap: onTap,
		img:  &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth},
		icon: widget.NewIcon(theme.MediaPhotoIcon())}
	t.ExtendBaseWidget(t)
	if img, err, ok := cache.load(hash, thumbLong, t.show); ok {
		t.show(img, err)
	}
	return t
}

// show puts the decoded image in place of the placeholder, or a broken
// image icon when the file could not be decoded.
func (t *thumbnail) show(img image.Image, err error) {
	if err != nil {
		t.icon.SetResource(theme.BrokenImageIcon())
		return
	}
	t.img.Image = img
	t.icon.Hide()
	t.img.Refresh()
	t.loaded.Store(true)
}

func (t *thumbnail) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap(t.hash)
	}
}

func (t *thumbnail) MinSize() fyne.Size { return fyne.NewSize(96, 72) }

func (t *thumbnail) CreateRenderer() fyne.WidgetRenderer {
	border := canvas.NewRectangle(color.Transparent)
	border.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	border.StrokeWidth = 1
	return widget.NewSimpleRenderer(&fyne.Container{Layout: stackLayout{},
		Objects: []fyne.CanvasObject{container.NewCenter(t.icon), t.img, border}})
}

// stackLayout stretches every object over the whole area.
type stackLayout struct{}

func (stackLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (stackLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(96, 72) }

// showPhoto opens a photo large in a dialog; it is decoded (shrunk to
// viewLong) in the background while the dialog shows progress.
func (u *UI) showPhoto(hash string) {
	img := &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth}
	img.SetMinSize(fyne.NewSize(720, 540))
	bar := widget.NewProgressBarInfinite()
	wait := container.NewCenter(bar)
	set := func(i image.Image, err error) {
		bar.Stop()
		wait.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		img.Image = i
		img.Refresh()
	}
	dialog.ShowCustom(lang.L("Photo"), lang.L("Close"), container.NewStack(img, wait), u.win)
	if i, err, ok := u.photos.load(hash, viewLong, set); ok {
		set(i, err)
	}
}
