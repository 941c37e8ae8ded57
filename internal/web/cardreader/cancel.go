package cardreader

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// cancelPage asks before cancelling.
type cancelPage struct {
	site.Base
	Application cardreader.Application
	Facility    account.Facility
	Description cardreader.Description
}

// cancelShow is the confirmation 「申込を取り消しますか」; once a delivery date is set it
// says why the application can no longer be cancelled.
func (h *Handler) cancelShow(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	st, err := h.standing(r, u)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	app := st.Application
	if app == nil {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	if !app.Changeable() {
		h.Notice(w, r, http.StatusOK, &site.NoticePage{Title: cardreader.Kind.Title,
			Lines: []string{"申込番号 " + app.Reference + "（状態：" + app.Status + "）", cardreader.MsgLocked},
			Links: []site.NoticeLink{{Href: "/mypage", Label: "マイページに戻る", Primary: true}}})
		return
	}
	h.Render(w, r, http.StatusOK, "cardreader/cancel", &cancelPage{Application: *app, Facility: u.Facility,
		Description: cardreader.Describe(app.Input, u.Facility, st.Catalog)})
}

// cancelSubmit cancels the facility's own live application; there is no id in the
// request, so no other facility's application can be reached.
func (h *Handler) cancelSubmit(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	rc, err := h.readers.Cancel(r.Context(), apply.Applicant(u))
	if errors.Is(err, cardreader.ErrNothingToCancel) {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	if h.flow.Failed(w, r, u, Form{}, err) {
		return
	}
	h.flow.Done(w, r, rc)
}
