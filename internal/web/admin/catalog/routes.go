// Package catalog is カードリーダーカタログ management in the back office (supervisors):
// makers and their products in page order, adding and editing a product, moving a product
// or a whole maker up and down, and hiding a product (it stays on the applications that
// chose it). /catalog and the card reader form read the same table.
package catalog

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/form"
	"portal/internal/web/site"
)

// Handler serves the catalog pages of the back office.
type Handler struct {
	*site.Site
	content *content.Service
}

// New returns the catalog pages of the back office.
func New(s *site.Site, c *content.Service) *Handler { return &Handler{Site: s, content: c} }

// Base is the catalog's path.
const Base = "/admin/catalog"

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(Base, h.index)
		r.Get(Base+"/new", h.edit)
		r.Post(Base+"/new", h.save)
		r.Get(Base+"/{id}", h.edit)
		r.Post(Base+"/{id}", h.save)
		r.Post(Base+"/{id}/move", h.move)
		r.Post(Base+"/{id}/visibility", h.visibility)
	})
}

func param(r *http.Request) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

type indexPage struct {
	site.AdminBase
	Makers []content.Maker
}

// index shows the catalog as the page orders it, hidden products included.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	makers, err := h.content.Makers(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/catalog/index", &indexPage{Makers: makers})
}

type editPage struct {
	site.AdminBase
	ID     int64
	Form   content.CatalogInput
	Errors form.Errors
	Makers []string
}

func (h *Handler) makers(r *http.Request) []string {
	makers, err := h.content.Makers(r.Context())
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(makers))
	for _, m := range makers {
		out = append(out, m.Name)
	}
	return out
}

// edit is the form of a new product (…/new) or an existing one.
func (h *Handler) edit(w http.ResponseWriter, r *http.Request) {
	p := &editPage{ID: param(r), Makers: h.makers(r)}
	if p.ID == 0 && r.URL.Path != Base+"/new" {
		h.NotFound(w, r)
		return
	}
	if p.ID != 0 {
		m, err := h.content.CardReader(r.Context(), p.ID)
		if errors.Is(err, content.ErrNotFound) {
			h.NotFound(w, r)
			return
		}
		if err != nil {
			h.ServerError(w, r, err)
			return
		}
		p.Form = content.CatalogInput{Maker: m.Maker, Product: m.Product, Size: m.Size, Features: m.Features, Cards: m.Cards,
			Notes: m.Notes, MakerURL: m.MakerURL}
	} else if m := r.URL.Query().Get("maker"); len(m) <= 100 {
		p.Form.Maker = m
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/catalog/edit", p)
}

// save stores the form.
func (h *Handler) save(w http.ResponseWriter, r *http.Request) {
	p := &editPage{ID: param(r), Makers: h.makers(r)}
	if p.ID == 0 && r.URL.Path != Base+"/new" {
		h.NotFound(w, r)
		return
	}
	in := form.NewInput(r.PostForm)
	p.Form = content.CatalogInput{Maker: in.Text("maker"), Product: in.Text("product"), Size: in.Text("size"),
		Features: in.Text("features"), Cards: in.Text("cards"), Notes: in.Multiline("notes"), MakerURL: in.Text("maker_url")}
	p.Errors = in.Errors
	if p.Errors.Valid() {
		var err error
		if p.ID == 0 {
			_, err = h.content.AddCardReader(r.Context(), site.CurrentOperator(r).ID, p.Form)
		} else {
			err = h.content.UpdateCardReader(r.Context(), site.CurrentOperator(r).ID, p.ID, p.Form)
		}
		var invalid *content.InvalidError
		switch {
		case err == nil:
			h.Flash(r, "カタログを更新しました。")
			http.Redirect(w, r, Base, http.StatusSeeOther)
			return
		case errors.Is(err, content.ErrNotFound):
			h.NotFound(w, r)
			return
		case errors.As(err, &invalid):
			p.Errors = invalid.Errors
		default:
			h.ServerError(w, r, err)
			return
		}
	}
	h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/catalog/edit", p)
}

// move moves a product (what=product) or its maker (what=maker) up or down (dir=up|down).
func (h *Handler) move(w http.ResponseWriter, r *http.Request) {
	dir := content.Down
	if r.PostForm.Get("dir") == "up" {
		dir = content.Up
	}
	op, id := site.CurrentOperator(r).ID, param(r)
	var err error
	if r.PostForm.Get("what") == "maker" {
		err = h.content.MoveMaker(r.Context(), op, id, dir)
	} else {
		err = h.content.MoveCardReader(r.Context(), op, id, dir)
	}
	h.after(w, r, err, "並び順を変更しました。")
}

// visibility shows (shown=1) or hides a product.
func (h *Handler) visibility(w http.ResponseWriter, r *http.Request) {
	shown := r.PostForm.Get("shown") == "1"
	err := h.content.SetCardReaderShown(r.Context(), site.CurrentOperator(r).ID, param(r), shown)
	msg := "製品を非表示にしました。申込済みの申請には引き続き表示されます。"
	if shown {
		msg = "製品を表示するようにしました。"
	}
	h.after(w, r, err, msg)
}

func (h *Handler) after(w http.ResponseWriter, r *http.Request, err error, msg string) {
	if errors.Is(err, content.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, msg)
	http.Redirect(w, r, Base, http.StatusSeeOther)
}
