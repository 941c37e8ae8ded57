package facility

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"portal/internal/facility"
	"portal/internal/mail"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// showPage is the facility page: everything about one facility, and its steps.
type showPage struct {
	site.AdminBase
	facility.Detail
	// Actions are the steps the facility's state allows, in order.
	Actions []action
	// InquiryPath, when set, opens a new inquiry for the facility (問い合わせを起票); the
	// slot stays empty until that page exists.
	InquiryPath string
	// MailsPath lists every mail about the facility on the outbox page.
	MailsPath string
}

// show is the facility page.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	d, err := h.facilities.Detail(r.Context(), facilityID(r))
	if errors.Is(err, facility.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &showPage{Detail: d, MailsPath: "/admin/mails?" + url.Values{"facility": {strconv.FormatInt(d.Facility.ID, 10)}}.Encode()}
	for _, a := range actions {
		if a.offered(d) {
			page.Actions = append(page.Actions, a)
		}
	}
	if h.InquiryPath != "" {
		page.InquiryPath = h.InquiryPath + "?" + url.Values{"facility": {strconv.FormatInt(d.Facility.ID, 10)}}.Encode()
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/facility/show", page)
}

// MailState is a mail's delivery state in Japanese.
func (p *showPage) MailState(status string) string { return mail.StatusLabel(status) }

// ActionLabel is an audit action in Japanese.
func (p *showPage) ActionLabel(a string) string { return facility.ActionLabel(a) }

// Who names an audit entry's operator.
func (p *showPage) Who(e operator.AuditEntry) string {
	if e.OperatorName == "" {
		return "システム"
	}
	return e.OperatorName
}
