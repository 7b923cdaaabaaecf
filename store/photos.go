package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// MaxPhotoSize bounds one photo file.
const MaxPhotoSize = 200 << 20

// MaxPhotoPixels bounds the decoded size (about 1 GB of RGBA at most).
const MaxPhotoPixels = 250_000_000

// PhotoMeta describes one photo; the original bytes are the file named by
// Hash in the photo folder, never changed.
type PhotoMeta struct {
	Hash    string    `json:"hash"` // SHA-256 hex of the original bytes
	Size    int64     `json:"size"`
	Format  string    `json:"format"` // jpeg, png, gif
	Width   int       `json:"width"`
	Height  int       `json:"height"`
	Name    string    `json:"name"` // original file name
	AddedAt time.Time `json:"added_at"`
	AddedBy string    `json:"added_by,omitempty"`
	// TakenAt is the camera's capture time (EXIF DateTimeOriginal; a time
	// without an offset is read in the office's zone, inspect.Zone, as the
	// phone that took it keeps the local time where the unit is, whatever
	// zone the laptop is set to); zero
	// when the file carries none (a screenshot, a PNG).
	TakenAt time.Time `json:"taken_at,omitzero"`
}

// ErrNotImage reports a photo that is not a readable JPEG, PNG or GIF.
var ErrNotImage = errors.New("not a JPEG, PNG or GIF image")

// PhotoPath is where the original of a photo lives.
func (s *Store) PhotoPath(hash string) string {
	if len(hash) < 2 {
		return filepath.Join(s.photoDir, hash)
	}
	return filepath.Join(s.photoDir, hash[:2], hash)
}

// AddPhotoFile reads a photo from disk and adds it.
func (s *Store) AddPhotoFile(who, path string) (PhotoMeta, error) {
	f, err := os.Open(path)
	if err != nil {
		return PhotoMeta{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPhotoSize+1))
	if err != nil {
		return PhotoMeta{}, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxPhotoSize {
		return PhotoMeta{}, inspect.Errorf(inspect.ECodeInvalid, "photo.too_large",
			map[string]any{"Name": filepath.Base(path), "MB": MaxPhotoSize >> 20},
			"%s is larger than %d MB", filepath.Base(path), MaxPhotoSize>>20)
	}
	return s.AddPhoto(who, data, filepath.Base(path))
}

// AddPhoto keeps a photo's original bytes once, as a file named by its
// SHA-256 (temp file, fsync, rename), and records its metadata. Adding the
// same bytes again returns the existing record.
func (s *Store) AddPhoto(who string, data []byte, name string) (PhotoMeta, error) {
	notImage := &inspect.Error{Code: inspect.ECodeInvalid, Key: "photo.not_image",
		Params: map[string]any{"Name": name}, Message: fmt.Sprintf("%s: %v", name, ErrNotImage)}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		if kind := convertibleKind(data); kind != "" {
			return PhotoMeta{}, inspect.Errorf(inspect.ECodeInvalid, "photo.convert_jpeg",
				map[string]any{"Name": name, "Kind": kind},
				"%s is a %s photo: save it as JPEG on the phone or computer, then add it", name, kind)
		}
		return PhotoMeta{}, notImage
	}
	if cfg.Width*cfg.Height > MaxPhotoPixels {
		return PhotoMeta{}, inspect.Errorf(inspect.ECodeInvalid, "photo.too_many_pixels",
			map[string]any{"Name": name, "W": cfg.Width, "H": cfg.Height},
			"%s is %d×%d pixels, more than any camera photo", name, cfg.Width, cfg.Height)
	}
	// The header alone does not prove the rest is an image: decode it all,
	// so a damaged file is refused now rather than at export.
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return PhotoMeta{}, notImage
	}
	sum := sha256.Sum256(data)
	m := PhotoMeta{Hash: hex.EncodeToString(sum[:]), Size: int64(len(data)), Format: format,
		Width: cfg.Width, Height: cfg.Height, Name: name, AddedAt: s.Now().UTC(), AddedBy: who,
		TakenAt: exifTakenAt(data, inspect.Zone)}
	if existing, err := s.Photo(m.Hash); err == nil {
		if _, err := os.Stat(s.PhotoPath(m.Hash)); err == nil {
			return existing, nil
		}
	}
	p := s.PhotoPath(m.Hash)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return PhotoMeta{}, fmt.Errorf("photo folder: %w", err)
	}
	if err := writeFileAtomic(p, func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
		return PhotoMeta{}, fmt.Errorf("save photo %s: %w", name, err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPhotos)
		if b.Get([]byte(m.Hash)) != nil {
			return nil
		}
		if err := putJSON(b, m.Hash, &m); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "photo.add", "photo/"+m.Hash, nil, &m)
	})
	if err == nil {
		s.deriveLater(m.Hash)
	}
	return m, err
}

// Photo returns a photo's metadata.
func (s *Store) Photo(hash string) (PhotoMeta, error) {
	var m PhotoMeta
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPhotos).Get([]byte(hash))
		if v == nil {
			return fmt.Errorf("photo %s: %w", hash, ErrNotFound)
		}
		return json.Unmarshal(v, &m)
	})
	return m, err
}

// PhotoBytes reads a photo's original and checks it against its hash.
func (s *Store) PhotoBytes(hash string) ([]byte, error) {
	data, err := os.ReadFile(s.PhotoPath(hash))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != hash {
		return nil, inspect.Errorf(inspect.ECodeInvalid, "photo.tampered", map[string]any{"Path": s.PhotoPath(hash)},
			"photo %s: file content does not match its hash", hash)
	}
	return data, nil
}

// convertibleKind names the photo formats phones write that we do not
// decode (HEIC/HEIF from iPhones, WebP), so the user is told to convert
// rather than that the file is no image; "" for anything else.
func convertibleKind(data []byte) string {
	switch {
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "HEIC"
		case "avif", "avis":
			return "AVIF"
		}
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "WebP"
	}
	return ""
}
