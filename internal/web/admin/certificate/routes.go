// Package certificate is 申請処理（電子証明書）in the back office: the filtered list of
// certificates, one certificate with its application's history, marking it 発行済 or 失効
// (each confirmed on its own page, mailed to the facility), and the CSV export.
package certificate

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/application"
	"portal/internal/certificate"
	"portal/internal/jp"
	"portal/internal/web/admin/applist"
	"portal/internal/web/site"
)

// Handler serves the certificate pages of the back office.
type Handler struct {
	*site.Site
	certs *certificate.Service
}

// New returns the certificate pages of the back office.
func New(s *site.Site, certs *certificate.Service) *Handler { return &Handler{Site: s, certs: certs} }

const path = "/admin/certificates"

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(path, h.index)
	r.Get(path+"/export.csv", h.export)
	r.Get(path+"/{id}", h.show)
	r.Get(path+"/{id}/issue", h.issueConfirm)
	r.Post(path+"/{id}/issue", h.issue)
	r.Get(path+"/{id}/revoke", h.revokeConfirm)
	r.Post(path+"/{id}/revoke", h.revoke)
}

type indexPage struct {
	applist.Page
	Rows []certificate.Row
}

// index lists certificates by status, prefecture, facility type and period.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	req, q, errs := applist.Read(r, certificate.Statuses)
	p, err := h.certs.Search(r.Context(), req)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/certificate/index",
		&indexPage{Page: applist.NewPage(path, certificate.Statuses, q, errs, req.Request, p), Rows: p.Rows})
}

// export streams the filtered certificates as CSV; the export is audited.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	req, _, errs := applist.Read(r, certificate.Statuses)
	enc, err := jp.ParseEncoding(r.URL.Query().Get("encoding"))
	if err != nil || !errs.Valid() {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	applist.Export(w, "certificates", enc)
	if err := h.certs.Export(r.Context(), *site.CurrentOperator(r), w, req.Filter, enc); err != nil {
		h.Log.ErrorContext(r.Context(), "certificate export failed", site.RequestAttrs(r), site.ErrAttr(err))
	}
}

type showPage struct {
	site.AdminBase
	certificate.Detail
}

func (h *Handler) detail(w http.ResponseWriter, r *http.Request) (certificate.Detail, bool) {
	d, err := h.certs.Detail(r.Context(), applist.ID(r, chi.URLParam(r, "id")))
	if errors.Is(err, application.ErrNotFound) {
		h.NotFound(w, r)
		return d, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return d, false
	}
	return d, true
}

// show is one certificate with its application's history and the steps its status allows.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.detail(w, r); ok {
		h.RenderAdmin(w, r, http.StatusOK, "admin/certificate/show", &showPage{Detail: d})
	}
}

func detailPath(id int64) string { return fmt.Sprintf("%s/%d", path, id) }

// step is one operator step on a certificate: its confirmation page and its POST.
type step struct {
	title, button, line, done string
	allowed                   func(certificate.Detail) bool
	do                        func(h *Handler, r *http.Request, id int64) error
}

var (
	issueStep = step{title: "電子証明書を発行済にする", button: "発行済にする",
		line: "発行済にすると医療機関等へメールで通知します。", done: "発行済にし、医療機関等へメールで通知しました。",
		allowed: certificate.Detail.CanIssue,
		do: func(h *Handler, r *http.Request, id int64) error {
			return h.certs.Issue(r.Context(), *site.CurrentOperator(r), id)
		}}
	revokeStep = step{title: "電子証明書を失効にする", button: "失効にする",
		line: "失効にすると、この電子証明書ではオンライン資格確認等システムに接続できなくなります。医療機関等へメールで通知します。",
		done: "失効にし、医療機関等へメールで通知しました。", allowed: certificate.Detail.CanRevoke,
		do: func(h *Handler, r *http.Request, id int64) error {
			return h.certs.Revoke(r.Context(), *site.CurrentOperator(r), id)
		}}
)

func (h *Handler) issueConfirm(w http.ResponseWriter, r *http.Request)  { h.confirm(w, r, issueStep) }
func (h *Handler) revokeConfirm(w http.ResponseWriter, r *http.Request) { h.confirm(w, r, revokeStep) }
func (h *Handler) issue(w http.ResponseWriter, r *http.Request)         { h.take(w, r, issueStep) }
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request)        { h.take(w, r, revokeStep) }

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, s step) {
	d, ok := h.detail(w, r)
	if !ok {
		return
	}
	c := d.Certificate
	if !s.allowed(d) {
		applist.Done(h.Site, w, r, application.ErrNotAllowed, detailPath(c.ID), "")
		return
	}
	applist.Confirm(h.Site, w, r, &applist.ConfirmPage{Title: s.title, Button: s.button, Back: detailPath(c.ID),
		Action: r.URL.Path, Danger: s.button == revokeStep.button,
		Lines: []string{"申込番号 " + c.Reference + "　" + d.Facility.Name + "（" + d.Facility.TenDigitCode() + "）",
			c.Label() + "　現在の状態：" + c.Status, s.line}})
}

func (h *Handler) take(w http.ResponseWriter, r *http.Request, s step) {
	id := applist.ID(r, chi.URLParam(r, "id"))
	applist.Done(h.Site, w, r, s.do(h, r, id), detailPath(id), s.done)
}
