// Package document is 個別文書 in the back office (supervisors): the upload form addressed
// to one facility (found by a small search, or ?facility={id}) or a filtered set, the list
// of documents sent, and one document with who has read it.
package document

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/audience"
	"portal/internal/document"
	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// Handler serves the document pages of the back office.
type Handler struct {
	*site.Site
	documents *document.Service
	// facilities is the small facility search the inquiry inbox has too.
	facilities *inquiry.Service
}

// New returns the document pages of the back office.
func New(s *site.Site, d *document.Service, facilities *inquiry.Service) *Handler {
	return &Handler{Site: s, documents: d, facilities: facilities}
}

// Base is the list's path; NewPath the upload form's.
const (
	Base    = "/admin/documents"
	NewPath = Base + "/new"
)

// MaxBody bounds a post of the upload form: twice the file's limit, so a file somewhat too
// large gets a message beside its field rather than a bare 413.
const MaxBody = 2*document.MaxSize + 1<<20

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(Base, h.index)
		r.Get(NewPath, h.newShow)
		r.Post(NewPath, h.newSubmit)
		r.Get(Base+"/{id}", h.show)
		r.Get(Base+"/{id}/file", h.file)
	})
}

func param(r *http.Request) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func number(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

const perPage = 50

type indexPage struct {
	site.AdminBase
	site.Pager
	Documents []document.Document
}

// index lists the documents sent, newest first, with how many read each.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	list, pg, ok := site.ListPage(h.Site, w, r, perPage, h.documents.List)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/document/index", &indexPage{Pager: pg, Documents: list})
}

type formPage struct {
	site.AdminBase
	audience.Choices
	Title, Note string
	ToAudience  bool
	Audience    audience.Filter
	site.FacilityPick
	Errors form.Errors
	Token  string
	MaxMB  int
}

func newToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newShow is the upload form; ?facility={id} chooses the facility, ?q= searches one.
func (h *Handler) newShow(w http.ResponseWriter, r *http.Request) {
	p := &formPage{Token: newToken()}
	h.renderForm(w, r, http.StatusOK, p, number(r.URL.Query().Get("facility")))
}

func (h *Handler) renderForm(w http.ResponseWriter, r *http.Request, status int, p *formPage, facilityID int64) {
	p.Choices, p.MaxMB = audience.FormChoices(), document.MaxSize>>20
	var err error
	if p.FacilityPick, err = site.PickFacility(r.Context(), h.facilities, facilityID, r.URL.Query().Get("q"), &p.Errors); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, status, "admin/document/new", p)
}

type resultPage struct {
	site.AdminBase
	Result document.Result
	Title  string
}

// newSubmit stores and sends the document, and says what happened (to whom, and whether a
// facility without an account will see it on registering).
func (h *Handler) newSubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	note := form.CleanText(r.PostForm.Get("note"))
	if !form.Printable(note, true) {
		in.Errors.Add("note", form.MsgUnprintable)
		note = ""
	}
	facilityID := number(r.PostForm.Get("facility_id"))
	p := &formPage{Title: in.Text("title"), Note: note, ToAudience: r.PostForm.Get("to") == "audience",
		Audience: audience.Read(r.PostForm.Get), Token: r.PostForm.Get("token"), Errors: in.Errors}
	docIn := document.Input{Title: p.Title, Note: note, File: readFile(r), FacilityID: facilityID, ToAudience: p.ToAudience,
		Audience: p.Audience, Token: p.Token}
	if !p.Errors.Valid() {
		p.Errors.Merge(document.Check(docIn))
		h.renderForm(w, r, http.StatusUnprocessableEntity, p, facilityID)
		return
	}
	rc, err := h.documents.Send(r.Context(), site.CurrentOperator(r).ID, docIn)
	var invalid *document.InvalidError
	if errors.As(err, &invalid) {
		p.Errors = invalid.Errors
		h.renderForm(w, r, http.StatusUnprocessableEntity, p, facilityID)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/document/sent", &resultPage{Result: rc, Title: p.Title})
}

// readFile reads the uploaded file, at most document.MaxSize bytes.
func readFile(r *http.Request) document.Upload {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return document.Upload{}
	}
	fh := r.MultipartForm.File["file"][0]
	up := document.Upload{Filename: fh.Filename}
	if fh.Size > document.MaxSize {
		up.TooLarge = true
		return up
	}
	f, err := fh.Open()
	if err != nil {
		return up
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, document.MaxSize+1))
	if err != nil || len(data) > document.MaxSize {
		up.TooLarge = true
		return up
	}
	up.Data = data
	return up
}

type showPage struct {
	site.AdminBase
	site.Pager
	Document   document.Document
	Recipients []document.Recipient
}

// show is one document with its recipients, the unread first.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	n, ok := site.PageParam(r)
	if !ok {
		h.NotFound(w, r)
		return
	}
	const recipientsPerPage = 100
	d, list, err := h.documents.Get(r.Context(), param(r), recipientsPerPage, (n-1)*recipientsPerPage)
	if errors.Is(err, document.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	pg, ok := site.NewPager(n, d.Recipients, recipientsPerPage)
	if !ok {
		h.NotFound(w, r)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/document/show", &showPage{Pager: pg, Document: d, Recipients: list})
}

// file sends the document as stored.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	f, err := h.documents.File(r.Context(), param(r))
	if errors.Is(err, document.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	site.Download(w, f.Filename, "application/pdf", f.Data)
}
