package operators

import (
	"net/http"

	"portal/internal/operator"
	"portal/internal/web/site"
)

// indexPage lists every operator account.
type indexPage struct {
	site.AdminBase
	Operators []operator.Operator
}

// index lists the operator accounts.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	list, err := h.operators.List(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/index", &indexPage{Operators: list})
}

// showPage is one operator account and the steps a supervisor may take on it.
type showPage struct {
	site.AdminBase
	Account operator.Operator
	// Self is true on the supervisor's own account: the steps are not offered.
	Self bool
}

// show is one operator account.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	o, ok := h.load(w, r)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/show", &showPage{Account: o, Self: o.ID == site.CurrentOperator(r).ID})
}
