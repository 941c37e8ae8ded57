package operators

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// rolePage is the change of an account's role, confirmed on this page.
type rolePage struct {
	site.AdminBase
	Account operator.Operator
	Roles   []operator.Role
	Errors  form.Errors
}

// roleShow shows the account's role and the choice of the new one.
func (h *Handler) roleShow(w http.ResponseWriter, r *http.Request) {
	o, ok := h.load(w, r)
	if !ok {
		return
	}
	if o.ID == site.CurrentOperator(r).ID {
		h.refused(w, r, o.ID, operator.ErrSelf)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/role", &rolePage{Account: o, Roles: roles})
}

// roleSubmit changes the role.
func (h *Handler) roleSubmit(w http.ResponseWriter, r *http.Request) {
	id := operatorID(r)
	if id == 0 {
		h.NotFound(w, r)
		return
	}
	in := form.NewInput(r.PostForm)
	role := operator.Role(in.Text("role"))
	if !role.Valid() {
		o, ok := h.load(w, r)
		if !ok {
			return
		}
		page := &rolePage{Account: o, Roles: roles}
		page.Errors.Add("role", operator.MsgRoleRequired)
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/operators/role", page)
		return
	}
	o, err := h.operators.ChangeRole(r.Context(), *site.CurrentOperator(r), id, role)
	if h.refused(w, r, id, err) {
		return
	}
	h.Flash(r, "権限を「"+o.Role.Label()+"」に変更しました。")
	http.Redirect(w, r, showPath(id), http.StatusSeeOther)
}
