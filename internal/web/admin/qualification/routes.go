// Package qualification is 申請処理（利用申請）in the back office: the filtered list of
// オンライン資格確認利用申請, one application with its history, approving it or sending it
// back with a reason (each confirmed on its own page), and the CSV export.
package qualification

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/application"
	"portal/internal/jp"
	"portal/internal/qualification"
	"portal/internal/web/admin/applist"
	"portal/internal/web/site"
)

// Handler serves the 利用申請 pages of the back office.
type Handler struct {
	*site.Site
	apps *qualification.Service
}

// New returns the 利用申請 pages of the back office.
func New(s *site.Site, apps *qualification.Service) *Handler { return &Handler{Site: s, apps: apps} }

const path = "/admin/qualification"

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(path, h.index)
	r.Get(path+"/export.csv", h.export)
	r.Get(path+"/{id}", h.show)
	r.Get(path+"/{id}/approve", h.approveConfirm)
	r.Post(path+"/{id}/approve", h.approve)
	r.Get(path+"/{id}/return", h.returnConfirm)
	r.Post(path+"/{id}/return", h.sendBack)
}

type indexPage struct {
	applist.Page
	Rows []qualification.Row
}

// index lists applications by status, prefecture, facility type and period.
func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	req, q, errs := applist.Read(r, qualification.Statuses)
	p, err := h.apps.List(r.Context(), req)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/qualification/index",
		&indexPage{Page: applist.NewPage(path, qualification.Statuses, q, errs, req.Request, p), Rows: p.Rows})
}

// export streams the filtered applications as CSV; the export is audited.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	req, _, errs := applist.Read(r, qualification.Statuses)
	enc, err := jp.ParseEncoding(r.URL.Query().Get("encoding"))
	if err != nil || !errs.Valid() {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	applist.Export(w, "qualification", enc)
	if err := h.apps.Export(r.Context(), *site.CurrentOperator(r), w, req.Filter, enc); err != nil {
		h.Log.ErrorContext(r.Context(), "qualification export failed", site.RequestAttrs(r), site.ErrAttr(err))
	}
}

type showPage struct {
	site.AdminBase
	qualification.Detail
}

func (h *Handler) detail(w http.ResponseWriter, r *http.Request) (qualification.Detail, bool) {
	d, err := h.apps.Detail(r.Context(), applist.ID(r, chi.URLParam(r, "id")))
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

// show is one application with its history and the steps its status allows.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	if d, ok := h.detail(w, r); ok {
		h.RenderAdmin(w, r, http.StatusOK, "admin/qualification/show", &showPage{Detail: d})
	}
}

func detailPath(id int64) string { return fmt.Sprintf("%s/%d", path, id) }

func (h *Handler) confirmPage(d qualification.Detail, approve bool) *applist.ConfirmPage {
	a := d.Application
	p := &applist.ConfirmPage{Back: detailPath(a.ID),
		Lines: append([]string{"申込番号 " + a.Reference + "　" + d.Facility.Name + "（" + d.Facility.TenDigitCode() + "）"}, d.Lines...)}
	if approve {
		p.Title, p.Action, p.Button = "利用申請を承認する", detailPath(a.ID)+"/approve", "承認する"
		p.Lines = append(p.Lines, "承認すると医療機関等へメールで通知し、電子証明書発行申請ができるようになります。承認後は医療機関等が申請内容を変更できなくなります。")
		return p
	}
	p.Title, p.Action, p.Button = "利用申請を差し戻す", detailPath(a.ID)+"/return", "差し戻す"
	p.Reason, p.ReasonLabel = true, "差戻しの理由"
	p.Lines = append(p.Lines, "差戻しの理由は医療機関等へメールで送られます。医療機関等は内容を修正して再申請できます。")
	return p
}

// approveConfirm and returnConfirm ask before the step; a status that no longer allows it
// goes back to the detail with a notice.
func (h *Handler) approveConfirm(w http.ResponseWriter, r *http.Request) { h.confirm(w, r, true) }
func (h *Handler) returnConfirm(w http.ResponseWriter, r *http.Request)  { h.confirm(w, r, false) }

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, approve bool) {
	d, ok := h.detail(w, r)
	if !ok {
		return
	}
	if !d.CanDecide() {
		applist.Done(h.Site, w, r, application.ErrNotAllowed, detailPath(d.Application.ID), "")
		return
	}
	applist.Confirm(h.Site, w, r, h.confirmPage(d, approve))
}

// approve approves the application (mailed and audited in the domain step).
func (h *Handler) approve(w http.ResponseWriter, r *http.Request) {
	id := applist.ID(r, chi.URLParam(r, "id"))
	err := h.apps.Approve(r.Context(), *site.CurrentOperator(r), id)
	applist.Done(h.Site, w, r, err, detailPath(id), "利用申請を承認し、医療機関等へメールで通知しました。")
}

// sendBack returns the application with the reason, which is mailed.
func (h *Handler) sendBack(w http.ResponseWriter, r *http.Request) {
	d, ok := h.detail(w, r)
	if !ok {
		return
	}
	p := h.confirmPage(d, false)
	reason, ok := applist.ReadReason(r, p)
	if !ok {
		applist.Confirm(h.Site, w, r, p)
		return
	}
	err := h.apps.SendBack(r.Context(), *site.CurrentOperator(r), d.Application.ID, reason)
	applist.Done(h.Site, w, r, err, detailPath(d.Application.ID), "利用申請を差し戻し、理由を医療機関等へメールで通知しました。")
}
