package operators

import (
	"errors"
	"net/http"

	"portal/internal/form"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// newPage is the form of a new operator account and its confirmation.
type newPage struct {
	site.AdminBase
	Draft  operator.Draft
	Roles  []operator.Role
	Errors form.Errors
}

// passwordPage shows a temporary password once, in the answer to the step that made it.
type passwordPage struct {
	site.AdminBase
	Account  operator.Operator
	Password string
	// Created is true for a new account, false for a reset password.
	Created bool
}

var roles = []operator.Role{operator.RoleOperator, operator.RoleSupervisor}

func readDraft(r *http.Request) (operator.Draft, form.Errors) {
	in := form.NewInput(r.PostForm)
	d := operator.Draft{Login: in.Text("login"), Name: in.Text("name"), Role: operator.Role(in.Text("role"))}
	errs := in.Errors
	for field, msg := range operator.CheckDraft(d) {
		if !errs.Has(field) {
			errs.Add(field, msg)
		}
	}
	return d, errs
}

// newShow is the form of a new operator account.
func (h *Handler) newShow(w http.ResponseWriter, r *http.Request) {
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/new", &newPage{Draft: operator.Draft{Role: operator.RoleOperator}, Roles: roles})
}

// newConfirm checks the form and shows what will be created.
func (h *Handler) newConfirm(w http.ResponseWriter, r *http.Request) {
	d, errs := readDraft(r)
	page := &newPage{Draft: d, Roles: roles, Errors: errs}
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/operators/new", page)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/new_confirm", page)
}

// create makes the account and shows its temporary password, once.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	d, errs := readDraft(r)
	page := &newPage{Draft: d, Roles: roles, Errors: errs}
	if !errs.Valid() {
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/operators/new", page)
		return
	}
	o, temp, err := h.operators.Create(r.Context(), *site.CurrentOperator(r), d)
	switch {
	case errors.Is(err, operator.ErrLoginTaken):
		page.Errors.Add("login", operator.MsgLoginTaken)
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/operators/new", page)
		return
	case errors.Is(err, operator.ErrNotAllowed):
		h.AdminForbidden(w, r)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/operators/password", &passwordPage{Account: o, Password: temp, Created: true})
}
