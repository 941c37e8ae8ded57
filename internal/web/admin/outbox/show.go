package outbox

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/mail"
	"portal/internal/outbox"
	"portal/internal/web/site"
)

// showPage is one mail with its delivery history and text.
type showPage struct {
	site.AdminBase
	outbox.Detail
	// PrunedMessage replaces the text once it is gone.
	PrunedMessage string
	CanRetry      bool
	CanResend     bool
}

// StatusLabel names a status for the template.
func (p *showPage) StatusLabel(s string) string { return mail.StatusLabel(s) }

// TemplateSubject names a template for the template.
func (p *showPage) TemplateSubject(t string) string { return mail.TemplateSubject(t) }

// StepLabel names an operator's step on the mail.
func (p *showPage) StepLabel(action string) string {
	switch action {
	case outbox.ActionRetry:
		return "再試行"
	case outbox.ActionResend:
		return "再送"
	}
	return action
}

// msgPruned is shown where the text of an old mail was.
const msgPruned = "本文は保存期間を過ぎたため削除されました"

func (h *Handler) load(w http.ResponseWriter, r *http.Request) (*showPage, bool) {
	d, err := h.outbox.Get(r.Context(), mailID(r))
	if errors.Is(err, mail.ErrNoMail) {
		h.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return nil, false
	}
	page := &showPage{Detail: d}
	pruned := d.BodyPrunedAt != nil
	if pruned {
		page.PrunedMessage = msgPruned
	}
	page.CanRetry = d.Status == mail.StatusFailed && !pruned
	page.CanResend = d.Status == mail.StatusSent && !pruned
	return page, true
}

// show is one mail's page.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	page, ok := h.load(w, r)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/outbox/show", page)
}

// step is 再試行 or 再送: a confirmation page and what confirming does.
type step struct {
	slug   string
	Title  string
	Lead   string
	Button string
	can    func(p *showPage) bool
	do     func(h *Handler, r *http.Request, id int64) (string, error)
}

// Slug is the step's path segment.
func (s step) Slug() string { return s.slug }

var steps = []step{
	{slug: "retry", Title: "送信失敗メールの再試行", Button: "再試行する",
		Lead: "送信に失敗したこのメールを、送信待ちに戻してもう一度送ります（新しいメールは作りません）。",
		can:  func(p *showPage) bool { return p.CanRetry },
		do: func(h *Handler, r *http.Request, id int64) (string, error) {
			return "再試行しました。まもなく送信されます。", h.outbox.Retry(r.Context(), *site.CurrentOperator(r), id)
		}},
	{slug: "resend", Title: "送信済メールの再送", Button: "再送する",
		Lead: "送信済のこのメールと同じ内容のメールを、同じ宛先へもう一度送ります（新しいメールとして記録されます）。",
		can:  func(p *showPage) bool { return p.CanResend },
		do: func(h *Handler, r *http.Request, id int64) (string, error) {
			_, err := h.outbox.Resend(r.Context(), *site.CurrentOperator(r), id)
			return "再送するメールを作成しました。まもなく送信されます。", err
		}},
}

// confirmPage is the confirmation of 再試行 or 再送.
type confirmPage struct {
	*showPage
	Step    step
	Problem string
}

func (h *Handler) confirm(s step) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, ok := h.load(w, r)
		if !ok {
			return
		}
		cp := &confirmPage{showPage: page, Step: s}
		if !s.can(page) {
			cp.Problem = "このメールの現在の状態では、この操作はできません。"
		}
		h.RenderAdmin(w, r, http.StatusOK, "admin/outbox/confirm", cp)
	}
}

func (h *Handler) submit(s step) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := mailID(r)
		done, err := s.do(h, r, id)
		if err == nil {
			h.Flash(r, done)
			http.Redirect(w, r, ListPath+"/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
		if errors.Is(err, mail.ErrNoMail) {
			h.NotFound(w, r)
			return
		}
		msg := Message(err)
		if msg == "" {
			h.ServerError(w, r, err)
			return
		}
		page, ok := h.load(w, r)
		if !ok {
			return
		}
		h.RenderAdmin(w, r, http.StatusConflict, "admin/outbox/confirm", &confirmPage{showPage: page, Step: s, Problem: msg})
	}
}
