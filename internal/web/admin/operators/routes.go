// Package operators is オペレーター管理 in the back office (supervisors only): the list of
// operator accounts, creating one with a temporary password, and per account disabling
// and enabling, a new temporary password, a reset of the second factor and a change of
// role, each confirmed on its own page and audited by the domain (operator.Service).
package operators

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/operator"
	"portal/internal/web/site"
)

// Handler serves the operator accounts' pages.
type Handler struct {
	*site.Site
	operators *operator.Service
}

// New returns the operator accounts' pages.
func New(s *site.Site, operators *operator.Service) *Handler {
	return &Handler{Site: s, operators: operators}
}

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get("/admin/operators", h.index)
		r.Get("/admin/operators/new", h.newShow)
		r.Post("/admin/operators/new", h.newConfirm)
		r.Post("/admin/operators/create", h.create)
		r.Get("/admin/operators/{id}", h.show)
		for _, a := range actions {
			r.Get("/admin/operators/{id}/"+a.path, h.actionConfirm(a))
			r.Post("/admin/operators/{id}/"+a.path, h.actionDo(a))
		}
		r.Get("/admin/operators/{id}/role", h.roleShow)
		r.Post("/admin/operators/{id}/role", h.roleSubmit)
	})
}

// operatorID reads {id} of the route; 0 when it is not a positive number.
func operatorID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func showPath(id int64) string { return fmt.Sprintf("/admin/operators/%d", id) }

// load returns the operator of the route, answering 404 itself when there is none.
func (h *Handler) load(w http.ResponseWriter, r *http.Request) (operator.Operator, bool) {
	o, err := h.operators.ByID(r.Context(), operatorID(r))
	switch {
	case errors.Is(err, operator.ErrNotFound):
		h.NotFound(w, r)
		return o, false
	case err != nil:
		h.ServerError(w, r, err)
		return o, false
	}
	return o, true
}

// Messages of a refused step.
const (
	msgLastSupervisor = "有効なスーパーバイザーがこの1人だけのため、利用停止・権限の変更はできません。先に別のスーパーバイザーを登録してください。"
	msgSelf           = "自分自身のアカウントはこの画面では操作できません。別のスーパーバイザーに依頼してください（パスワードの変更は「パスワード変更」から行えます）。"
	msgUnchanged      = "このアカウントはすでにその状態です。他のスーパーバイザーが先に操作した可能性があります。"
)

// refused answers a step the domain refused: a notice on the account's page for the
// rules, 403, 404 or 500 for the rest. It reports whether err was answered.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, id int64, err error) bool {
	var msg string
	switch {
	case err == nil:
		return false
	case errors.Is(err, operator.ErrLastSupervisor):
		msg = msgLastSupervisor
	case errors.Is(err, operator.ErrSelf):
		msg = msgSelf
	case errors.Is(err, operator.ErrUnchanged):
		msg = msgUnchanged
	case errors.Is(err, operator.ErrNotAllowed):
		h.AdminForbidden(w, r)
		return true
	case errors.Is(err, operator.ErrNotFound):
		h.NotFound(w, r)
		return true
	default:
		h.ServerError(w, r, err)
		return true
	}
	h.Flash(r, msg)
	http.Redirect(w, r, showPath(id), http.StatusSeeOther)
	return true
}
