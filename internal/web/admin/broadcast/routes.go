// Package broadcast is 一斉送信 in the back office (supervisors): the form, the confirm
// page with the number of recipients and the mail as they get it, sending, the list of
// broadcasts, one broadcast's progress, and stopping it part way.
package broadcast

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/form"
	"portal/internal/web/site"
)

// Handler serves the broadcast pages of the back office.
type Handler struct {
	*site.Site
	broadcasts *broadcast.Service
}

// New returns the broadcast pages of the back office.
func New(s *site.Site, b *broadcast.Service) *Handler { return &Handler{Site: s, broadcasts: b} }

// Base is the list's path.
const Base = "/admin/broadcasts"

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(Base, h.index)
		r.Get(Base+"/new", h.newShow)
		r.Post(Base+"/new", h.confirm)
		r.Post(Base+"/send", h.send)
		r.Get(Base+"/{id}", h.show)
		r.Post(Base+"/{id}/stop", h.stop)
	})
}

// perPage is the list's page size.
const perPage = 50

type indexPage struct {
	site.AdminBase
	site.Pager
	Broadcasts []broadcast.Broadcast
}

// index lists the broadcasts, newest first.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	list, pg, ok := site.ListPage(h.Site, w, r, perPage, h.broadcasts.List)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/broadcast/index", &indexPage{Pager: pg, Broadcasts: list})
}

type formPage struct {
	site.AdminBase
	audience.Choices
	Draft  broadcast.Draft
	Errors form.Errors
}

// newShow is the broadcast form.
func (h *Handler) newShow(w http.ResponseWriter, r *http.Request) {
	h.RenderAdmin(w, r, http.StatusOK, "admin/broadcast/form", &formPage{Choices: audience.FormChoices()})
}

// readDraft reads the form (or the confirm page's hidden copy of it).
func readDraft(r *http.Request) (broadcast.Draft, form.Errors) {
	in := form.NewInput(r.PostForm)
	body := form.CleanText(r.PostForm.Get("body"))
	errs := in.Errors
	if !form.Printable(body, true) {
		errs.Add("body", form.MsgUnprintable)
		body = ""
	}
	return broadcast.Draft{Subject: in.Text("subject"), Body: body, Audience: audience.Read(r.PostForm.Get)}, errs
}

type confirmPage struct {
	site.AdminBase
	broadcast.Preview
	Token string
}

// confirm counts the recipients and shows the mail before sending (action=back returns to
// the form with everything kept). A filter that matches nobody is a clear refusal.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	d, errs := readDraft(r)
	page := &formPage{Choices: audience.FormChoices(), Draft: d, Errors: errs}
	if r.PostForm.Get("action") == "back" {
		h.RenderAdmin(w, r, http.StatusOK, "admin/broadcast/form", page)
		return
	}
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/broadcast/form", page)
		return
	}
	p, err := h.broadcasts.Preview(r.Context(), d)
	var invalid *broadcast.InvalidError
	if errors.As(err, &invalid) {
		page.Errors = invalid.Errors
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/broadcast/form", page)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h.RenderAdmin(w, r, http.StatusOK, "admin/broadcast/confirm", &confirmPage{Preview: p, Token: hex.EncodeToString(b)})
}

// send sends the confirmed broadcast; the confirm page posted twice sends once.
func (h *Handler) send(w http.ResponseWriter, r *http.Request) {
	d, errs := readDraft(r)
	page := &formPage{Choices: audience.FormChoices(), Draft: d, Errors: errs}
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/broadcast/form", page)
		return
	}
	id, err := h.broadcasts.Send(r.Context(), site.CurrentOperator(r).ID, d, r.PostForm.Get("token"))
	var invalid *broadcast.InvalidError
	if errors.As(err, &invalid) {
		page.Errors = invalid.Errors
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/broadcast/form", page)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "一斉送信を開始しました。送信状況はこの画面で確認できます。")
	http.Redirect(w, r, Base+"/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

type showPage struct {
	site.AdminBase
	Broadcast broadcast.Broadcast
	Rate      float64
}

func param(r *http.Request) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// show is one broadcast's progress.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	b, err := h.broadcasts.Get(r.Context(), param(r))
	if errors.Is(err, broadcast.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/broadcast/show", &showPage{Broadcast: b, Rate: h.Config.BroadcastRate})
}

// stop stops a broadcast part way: what has not gone out is cancelled.
func (h *Handler) stop(w http.ResponseWriter, r *http.Request) {
	id := param(r)
	err := h.broadcasts.Stop(r.Context(), site.CurrentOperator(r).ID, id)
	if errors.Is(err, broadcast.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "一斉送信を停止しました。まだ送信していないメールは送信しません。")
	http.Redirect(w, r, Base+"/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
