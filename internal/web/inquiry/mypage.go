package inquiry

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// casesShown is how many cases the facility's list shows.
const casesShown = 100

type listPage struct {
	site.Base
	Cases []inquiry.Inquiry
}

// list is the facility's own cases, newest first.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	cases, err := h.inquiries.FacilityCases(r.Context(), site.CurrentUser(r).Facility.ID, casesShown)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "inquiry/list", &listPage{Cases: cases})
}

type showPage struct {
	site.Base
	Case   inquiry.Case
	Reply  string
	Errors form.Errors
	Token  string
	// Closed is the message shown instead of the reply form on a closed case.
	Closed string
}

// show is one of the facility's cases: the question, the answers, the replies. Another
// facility's case, whatever its number, is the 404 page.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	h.renderCase(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, status int, reply string, errs form.Errors) {
	c, err := h.inquiries.FacilityCase(r.Context(), site.CurrentUser(r).Facility.ID, param(r, "id"))
	if errors.Is(err, inquiry.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &showPage{Case: c, Reply: reply, Errors: errs, Token: inquiry.NewStepToken()}
	if c.Status == inquiry.Closed {
		page.Closed = inquiry.MsgClosedReply
	}
	h.Render(w, r, status, "inquiry/show", page)
}

// reply adds the facility's message to its case's thread.
func (h *Handler) reply(w http.ResponseWriter, r *http.Request) {
	body, dropped := inquiry.CleanText(r.PostForm.Get("body"))
	id := param(r, "id")
	err := h.inquiries.Reply(r.Context(), site.CurrentUser(r).Facility.ID, id, body, r.PostForm.Get("token"))
	var invalid *inquiry.InvalidError
	var closed *inquiry.ClosedError
	switch {
	case err == nil && !dropped:
		h.Flash(r, "返信を送信しました。")
		http.Redirect(w, r, "/mypage/inquiries/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case err == nil:
		h.Flash(r, "返信を送信しました（使用できない文字は取り除きました）。")
		http.Redirect(w, r, "/mypage/inquiries/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case errors.Is(err, inquiry.ErrNotFound):
		h.NotFound(w, r)
	case errors.As(err, &invalid):
		h.renderCase(w, r, http.StatusUnprocessableEntity, body, invalid.Errors)
	case errors.As(err, &closed):
		h.renderCase(w, r, http.StatusConflict, body, form.Errors{"body": closed.Message})
	default:
		h.ServerError(w, r, err)
	}
}

// file sends an attachment of one of the facility's cases.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	c, err := h.inquiries.FacilityCase(r.Context(), site.CurrentUser(r).Facility.ID, param(r, "id"))
	if err == nil {
		want := param(r, "file")
		for _, m := range c.Thread {
			for _, a := range m.Attachments {
				if a.ID == want {
					f, err := h.inquiries.FacilityAttachment(r.Context(), c.FacilityID, a.ID)
					if err != nil {
						h.ServerError(w, r, err)
						return
					}
					site.Download(w, f.Filename, f.ContentType, f.Data)
					return
				}
			}
		}
		err = inquiry.ErrNotFound
	}
	if errors.Is(err, inquiry.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	h.ServerError(w, r, err)
}
