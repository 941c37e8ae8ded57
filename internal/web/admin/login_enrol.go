package admin

import (
	"html/template"
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// enrolPage sets up the second factor at an operator's first sign-in: the QR code and the
// secret in text for the authenticator app, and the first code it shows.
type enrolPage struct {
	site.AdminBase
	Secret string
	// QR is the QR code as a data: URL of a PNG made on the server (no script).
	QR     template.URL
	Errors form.Errors
}

// recoveryPage shows the ten recovery codes, once, right after the enrolment.
type recoveryPage struct {
	site.AdminBase
	Codes []string
	Next  string
}

// enrolShow shows the enrolment of a pending sign-in whose operator has no second factor.
func (h *Handler) enrolShow(w http.ResponseWriter, r *http.Request) {
	if site.CurrentOperator(r) != nil {
		http.Redirect(w, r, site.AdminHomePath, http.StatusSeeOther)
		return
	}
	p, ok := h.pending(r)
	if !ok {
		http.Redirect(w, r, site.AdminLoginPath, http.StatusSeeOther)
		return
	}
	h.renderEnrol(w, r, p, http.StatusOK, nil)
}

func (h *Handler) renderEnrol(w http.ResponseWriter, r *http.Request, p pendingSignIn, status int, errs form.Errors) {
	e, err := h.operators.Enrolment(r.Context(), p.ID, p.Version)
	if err != nil {
		if st, done := h.codeFailure(w, r, err, &errs); done || st == 0 {
			return
		}
	}
	// template.URL: the data: URL is a PNG the server itself encoded, never input.
	page := &enrolPage{Secret: e.SecretGroups(), QR: template.URL(e.QR), Errors: errs}
	h.RenderAdmin(w, r, status, "admin/login_enrol", page)
}

// enrolSubmit completes the enrolment with the app's first code: the operator session
// starts and the recovery codes are shown, this once, in the answer itself (never kept in
// the session).
func (h *Handler) enrolSubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pending(r)
	if !ok {
		h.restart(w, r, msgPendingGone)
		return
	}
	var errs form.Errors
	code, bad := readCode(r, &errs)
	if bad {
		h.renderEnrol(w, r, p, http.StatusUnprocessableEntity, errs)
		return
	}
	o, codes, err := h.operators.Enrol(r.Context(), p.ID, p.Version, code, h.ClientAddr(r))
	if status, done := h.codeFailure(w, r, err, &errs); done {
		return
	} else if status != 0 {
		h.renderEnrol(w, r, p, status, errs)
		return
	}
	h.dropPending(r)
	if err := h.StartOperatorSession(r, o); err != nil {
		h.ServerError(w, r, err)
		return
	}
	// The page is drawn for the operator now signed in (menu and header).
	r = r.WithContext(site.WithOperator(r.Context(), &o))
	next := p.Next
	if o.MustChangePassword {
		next = site.AdminPasswordPath
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/login_recovery", &recoveryPage{Codes: codes, Next: next})
}
