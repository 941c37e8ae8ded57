package certificate

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/application"
	"portal/internal/certificate"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

type indexPage struct {
	site.Base
	Certificates []certificate.Certificate
}

// index is 電子証明書の状況: every certificate of the facility with the steps its status
// allows; until the 利用申請 is approved, why the application is closed.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	closed, err := h.Closed(r, u)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	if closed != nil {
		h.Notice(w, r, http.StatusOK, closed)
		return
	}
	certs, err := h.certs.List(r.Context(), u.Facility.ID)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "certificate/index", &indexPage{Certificates: certs})
}

// step is one facility step on a certificate: its confirmation page and its POST.
type step struct {
	title, button, line, done string
	allowed                   func(certificate.Certificate) bool
	do                        func(h *Handler, r *http.Request, id int64) error
}

var (
	cancelStep = step{title: "電子証明書発行申請の取消", button: "申請を取り消す",
		line: "この電子証明書の発行申請を取り消します。よろしいですか。", done: "電子証明書の発行申請を取り消しました。確認のメールをお送りしました。",
		allowed: certificate.Certificate.Cancellable,
		do: func(h *Handler, r *http.Request, id int64) error {
			_, err := h.certs.Cancel(r.Context(), apply.Applicant(site.CurrentUser(r)), id)
			return err
		}}
	revokeStep = step{title: "電子証明書の失効申請", button: "失効を申請する",
		line: "この電子証明書の失効を申請します。失効すると、この電子証明書ではオンライン資格確認等システムに接続できなくなります。よろしいですか。",
		done: "電子証明書の失効申請を受け付けました。確認のメールをお送りしました。", allowed: certificate.Certificate.Revocable,
		do: func(h *Handler, r *http.Request, id int64) error {
			_, err := h.certs.RequestRevoke(r.Context(), apply.Applicant(site.CurrentUser(r)), id)
			return err
		}}
)

type stepPage struct {
	site.Base
	Title, Line, Button, Action string
	Certificate                 certificate.Certificate
}

func (h *Handler) cancelConfirm(w http.ResponseWriter, r *http.Request) { h.confirm(w, r, cancelStep) }
func (h *Handler) revokeConfirm(w http.ResponseWriter, r *http.Request) { h.confirm(w, r, revokeStep) }
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request)        { h.take(w, r, cancelStep) }
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request)        { h.take(w, r, revokeStep) }

// certificateID reads {id}; 0 (found nowhere) when it is not a positive number.
func certificateID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// confirm asks before the step. Another facility's certificate is a 404, like one that
// does not exist; one whose status no longer allows the step goes back with a notice.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, s step) {
	c, err := h.certs.Get(r.Context(), site.CurrentUser(r).Facility.ID, certificateID(r))
	switch {
	case errors.Is(err, application.ErrNotFound):
		h.NotFound(w, r)
	case err != nil:
		h.ServerError(w, r, err)
	case !s.allowed(c):
		h.Flash(r, fmt.Sprintf("「%s」は%sのため、この操作はできません。", c.Name, c.Status))
		http.Redirect(w, r, "/certificates", http.StatusSeeOther)
	default:
		h.Render(w, r, http.StatusOK, "certificate/step", &stepPage{Title: s.title, Line: s.line, Button: s.button,
			Action: r.URL.Path, Certificate: c})
	}
}

// take runs the step on the facility's own certificate; the domain refuses any other.
func (h *Handler) take(w http.ResponseWriter, r *http.Request, s step) {
	h.AfterStep(w, r, s.do(h, r, certificateID(r)), "/certificates", s.done)
}
