package inquiry

import (
	"errors"
	"net/http"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// done answers a successful step: back to the case with a notice.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, msg string) {
	h.Flash(r, msg)
	http.Redirect(w, r, caseURL(param(r, "id")), http.StatusSeeOther)
}

// refused shows the case again after a refused step, with what was typed kept.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error, field string, adjust func(*showPage)) {
	var invalid *inquiry.InvalidError
	var closed *inquiry.ClosedError
	errs := form.Errors{}
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, inquiry.ErrNotFound):
		h.NotFound(w, r)
		return
	case errors.As(err, &invalid):
		for k, v := range invalid.Errors {
			if k == "body" {
				k = field
			}
			errs.Add(k, v)
		}
	case errors.As(err, &closed):
		errs.Add(field, closed.Message)
		status = http.StatusConflict
	case errors.Is(err, inquiry.ErrNotAllowed):
		errs.Add(field, "この操作は現在の状態ではできません。画面を開き直して、状態を確認してください。")
		status = http.StatusConflict
	default:
		h.ServerError(w, r, err)
		return
	}
	h.renderCase(w, r, status, func(p *showPage) {
		p.Errors = errs
		adjust(p)
	})
}

// answer sends an answer: it joins the thread and is mailed through the outbox.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	body, _ := inquiry.CleanText(r.PostForm.Get("answer"))
	err := h.inquiries.Answer(r.Context(), site.CurrentOperator(r).ID, param(r, "id"), body, r.PostForm.Get("token"))
	if err != nil {
		h.refused(w, r, err, "answer", func(p *showPage) { p.Answer = body })
		return
	}
	h.done(w, r, "回答を登録しました。返信先のメールアドレスがある場合は、メールで送信します。")
}

// note adds an internal note.
func (h *Handler) note(w http.ResponseWriter, r *http.Request) {
	body, _ := inquiry.CleanText(r.PostForm.Get("note"))
	err := h.inquiries.Note(r.Context(), site.CurrentOperator(r).ID, param(r, "id"), body, r.PostForm.Get("token"))
	if err != nil {
		h.refused(w, r, err, "note", func(p *showPage) { p.Note = body })
		return
	}
	h.done(w, r, "内部メモを追加しました。")
}

// status takes a status step (対応中にする, クローズする, 再開する).
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	action := inquiry.Action(r.PostForm.Get("action"))
	err := h.inquiries.Act(r.Context(), site.CurrentOperator(r).ID, param(r, "id"), action)
	if err != nil {
		h.refused(w, r, err, "status", func(*showPage) {})
		return
	}
	h.done(w, r, "状態を変更しました。")
}

// update sets the assignee and the priority.
func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	var assignee int64
	if v := r.PostForm.Get("assignee"); v != "" {
		if assignee = number(v); assignee == 0 {
			h.refused(w, r, &inquiry.InvalidError{Errors: form.Errors{"assignee": "担当者を選択肢から選択してください。"}}, "assignee", func(*showPage) {})
			return
		}
	}
	err := h.inquiries.Update(r.Context(), site.CurrentOperator(r).ID, param(r, "id"), assignee, int(number(r.PostForm.Get("priority"))))
	if err != nil {
		h.refused(w, r, err, "assignee", func(*showPage) {})
		return
	}
	h.done(w, r, "担当者・優先度を更新しました。")
}

// linkFacility ties the case to a facility found by the search (facility_id 0 unties it).
func (h *Handler) linkFacility(w http.ResponseWriter, r *http.Request) {
	id := int64(0)
	if v := r.PostForm.Get("facility_id"); v != "0" {
		if id = number(v); id == 0 {
			h.refused(w, r, &inquiry.InvalidError{Errors: form.Errors{"facility": "医療機関等を検索して選択してください。"}}, "facility", func(*showPage) {})
			return
		}
	}
	if err := h.inquiries.LinkFacility(r.Context(), site.CurrentOperator(r).ID, param(r, "id"), id); err != nil {
		h.refused(w, r, err, "facility", func(*showPage) {})
		return
	}
	if id == 0 {
		h.done(w, r, "医療機関等との紐付けを解除しました。")
		return
	}
	h.done(w, r, "医療機関等に紐付けました。")
}
