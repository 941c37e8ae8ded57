package applist

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	"portal/internal/form"
	"portal/internal/web/site"
)

// ConfirmPage asks an operator to confirm one step on its own page (承認する, 発行済にする,
// …), with a reason field where the step needs one.
type ConfirmPage struct {
	site.AdminBase
	Title string
	// Lines say what the step does and to what.
	Lines  []string
	Action string
	Button string
	// Back is where 「戻る」 leads.
	Back string
	// Reason asks for a reason (差戻し); ReasonLabel names it.
	Reason      bool
	ReasonLabel string
	ReasonValue string
	Errors      form.Errors
	// Danger marks a step that cannot be undone.
	Danger bool
}

// MaxReason is the longest reason an operator may give.
const MaxReason = 1000

// Confirm shows the confirmation page of a step.
func Confirm(s *site.Site, w http.ResponseWriter, r *http.Request, p *ConfirmPage) {
	status := http.StatusOK
	if !p.Errors.Valid() {
		status = http.StatusUnprocessableEntity
	}
	s.RenderAdmin(w, r, status, "admin/confirm", p)
}

// ReadReason reads the reason field of a confirmation; ok is false (with the error set on
// the page) when it is missing or too long.
func ReadReason(r *http.Request, p *ConfirmPage) (string, bool) {
	in := form.NewInput(r.PostForm)
	reason := in.Multiline("reason")
	p.Errors.Merge(in.Errors)
	p.ReasonValue = reason
	switch {
	case !p.Errors.Valid():
	case reason == "":
		p.Errors.Add("reason", p.ReasonLabel+"を入力してください。")
	case utf8.RuneCountInString(reason) > MaxReason:
		p.Errors.Add("reason", fmt.Sprintf("%sは%d文字以下で入力してください。", p.ReasonLabel, MaxReason))
	}
	return reason, p.Errors.Valid()
}

// Done answers the result of a step (site.AfterStep): back to the record.
func Done(s *site.Site, w http.ResponseWriter, r *http.Request, err error, detail, done string) {
	s.AfterStep(w, r, err, detail, done)
}
