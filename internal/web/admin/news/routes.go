// Package news is お知らせ in the back office (supervisors): the list in every state, the
// form to write, preview, schedule and publish an item or change it, and unpublishing.
package news

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// Handler serves the news pages of the back office.
type Handler struct {
	*site.Site
	content *content.Service
}

// New returns the news pages of the back office.
func New(s *site.Site, c *content.Service) *Handler { return &Handler{Site: s, content: c} }

// Base is the list's path.
const Base = "/admin/news"

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(Base, h.index)
		r.Get(Base+"/new", h.edit)
		r.Post(Base+"/new", h.save)
		r.Get(Base+"/{id}", h.edit)
		r.Post(Base+"/{id}", h.save)
		r.Post(Base+"/{id}/unpublish", h.unpublish)
	})
}

// perPage is the list's page size.
const perPage = 50

type indexPage struct {
	site.AdminBase
	site.Pager
	News []content.News
	Now  time.Time
}

// index lists every item: drafts and scheduled ones first.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	n, ok := site.PageParam(r)
	if !ok {
		h.NotFound(w, r)
		return
	}
	total, err := h.content.CountAllNews(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	pg, ok := site.NewPager(n, total, perPage)
	if !ok {
		h.NotFound(w, r)
		return
	}
	list, err := h.content.AllNews(r.Context(), perPage, pg.Offset(perPage))
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/news/index", &indexPage{Pager: pg, News: list, Now: h.content.Now()})
}

type editPage struct {
	site.AdminBase
	ID         int64
	Form       content.NewsInput
	Errors     form.Errors
	Categories []string
	// Existing is the stored item when editing (its state and publish time).
	Existing *content.News
	State    string
	// Preview is the body as visitors will see it, after プレビュー.
	Preview *content.News
}

func id(r *http.Request) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// load returns the page of item id (0: a new one), or false after answering.
func (h *Handler) load(w http.ResponseWriter, r *http.Request) (*editPage, bool) {
	p := &editPage{Categories: content.Categories, Form: content.NewsInput{Category: content.CategoryNews, Publish: content.PublishDraft}}
	n := id(r)
	if n == 0 && r.URL.Path != Base+"/new" {
		h.NotFound(w, r)
		return nil, false
	}
	if n != 0 {
		item, err := h.content.AnyNews(r.Context(), n)
		if errors.Is(err, content.ErrNotFound) {
			h.NotFound(w, r)
			return nil, false
		}
		if err != nil {
			h.ServerError(w, r, err)
			return nil, false
		}
		p.ID, p.Existing, p.State = n, &item, item.State(h.content.Now())
		p.Form = content.NewsInput{Category: item.Category, Title: item.Title, Body: item.Body, Publish: content.PublishDraft}
		if item.PublishAt != nil {
			p.Form.Publish = content.PublishKeep
			p.Form.Date, p.Form.Time = item.PublishAt.In(jp.Zone).Format("2006-01-02"), item.PublishAt.In(jp.Zone).Format("15:04")
		}
	}
	return p, true
}

// edit is the form of a new item or an existing one.
func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.load(w, r)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/news/edit", p)
}

// save previews (action=preview) or stores the form.
func (h *Handler) save(w http.ResponseWriter, r *http.Request) {
	p, ok := h.load(w, r)
	if !ok {
		return
	}
	in := form.NewInput(r.PostForm)
	body := form.CleanText(r.PostForm.Get("body"))
	p.Form = content.NewsInput{Category: in.Text("category"), Title: in.Text("title"), Body: body,
		Publish: in.Text("publish"), Date: in.Text("publish_date"), Time: in.Text("publish_time")}
	p.Errors = in.Errors
	if !form.Printable(body, true) {
		p.Errors.Add("body", form.MsgUnprintable)
	}
	if r.PostForm.Get("action") == "preview" || !p.Errors.Valid() {
		item, errs := content.CheckNews(p.Form, p.Existing, h.content.Now())
		p.Errors.Merge(errs)
		status := http.StatusOK
		if p.Errors.Valid() {
			p.Preview = &item
		} else {
			status = http.StatusUnprocessableEntity
		}
		h.RenderAdmin(w, r, status, "admin/news/edit", p)
		return
	}
	saved, err := h.content.SaveNews(r.Context(), site.CurrentOperator(r).ID, p.ID, p.Form)
	var invalid *content.InvalidError
	switch {
	case errors.As(err, &invalid):
		p.Errors = invalid.Errors
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/news/edit", p)
		return
	case errors.Is(err, content.ErrNotFound):
		h.NotFound(w, r)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	msg := "お知らせを下書きとして保存しました。"
	switch saved.State(h.content.Now()) {
	case content.StatePublished:
		msg = "お知らせを公開しました。"
	case content.StateScheduled:
		msg = "お知らせの公開を予約しました（" + jp.DateTime(*saved.PublishAt) + "に公開）。"
	}
	h.Flash(r, msg)
	http.Redirect(w, r, Base, http.StatusSeeOther)
}

// unpublish takes an item off the public pages; it stays as a draft.
func (h *Handler) unpublish(w http.ResponseWriter, r *http.Request) {
	err := h.content.UnpublishNews(r.Context(), site.CurrentOperator(r).ID, id(r))
	if errors.Is(err, content.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "お知らせの公開を取りやめました（下書きに戻しました）。")
	http.Redirect(w, r, Base, http.StatusSeeOther)
}
