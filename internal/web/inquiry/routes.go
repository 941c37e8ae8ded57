// Package inquiry is 問い合わせフォーム for visitors and signed-in facilities (/inquiry) and a
// facility's own cases on マイページ (/mypage/inquiries): the thread with the answers, and
// a reply. Every step is one call to the inquiry service.
package inquiry

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// FormPath is the inquiry form.
const FormPath = "/inquiry"

// MaxBody bounds a post of the form: the attachment's limit with room to spare, so a file
// somewhat too large gets a message beside its field with the text kept, not a bare 413.
const MaxBody = 2*inquiry.MaxAttachment + 1<<20

// Handler serves the inquiry pages.
type Handler struct {
	*site.Site
	inquiries *inquiry.Service
}

// New returns the inquiry pages.
func New(s *site.Site, inquiries *inquiry.Service) *Handler {
	return &Handler{Site: s, inquiries: inquiries}
}

// MountPublic registers the form, open to everyone.
func (h *Handler) MountPublic(r chi.Router) {
	r.Get(FormPath, h.formShow)
	r.Post(FormPath, h.formSubmit)
	r.Get(FormPath+"/complete", h.complete)
}

// Mount registers the facility's own cases (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	r.Get("/mypage/inquiries", h.list)
	r.Get("/mypage/inquiries/{id}", h.show)
	r.Post("/mypage/inquiries/{id}/reply", h.reply)
	r.Get("/mypage/inquiries/{id}/files/{file}", h.file)
}

// param reads a positive number from the route; 0 when it is not one.
func param(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// readUpload reads the file of field name (if one was sent), at most max bytes.
func readUpload(r *http.Request, name string, max int64) inquiry.Upload {
	if r.MultipartForm == nil || len(r.MultipartForm.File[name]) == 0 {
		return inquiry.Upload{}
	}
	fh := r.MultipartForm.File[name][0]
	up := inquiry.Upload{Filename: fh.Filename}
	if fh.Size == 0 && fh.Filename == "" {
		return inquiry.Upload{}
	}
	if fh.Size > max {
		up.TooLarge = true
		return up
	}
	data, err := readAll(fh, max)
	if err != nil {
		up.TooLarge = true
		return up
	}
	up.Data = data
	if len(data) == 0 {
		up.Data = []byte{}
	}
	return up
}

func readAll(fh *multipart.FileHeader, max int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(data)) > max {
		return nil, io.ErrShortBuffer
	}
	return data, nil
}
