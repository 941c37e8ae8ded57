package facility

import (
	"errors"
	"fmt"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/facility"
	"portal/internal/form"
	"portal/internal/web/site"
)

// Need of a reason on a step's confirmation page.
const (
	reasonNone = iota
	reasonOptional
	reasonRequired
)

// action is one of the operators' steps on a facility: its confirmation page and what
// confirming does.
type action struct {
	slug string
	// Title names the step (the confirmation page's heading, the button on the facility page).
	Title string
	// Lead says on the confirmation page what the step does.
	Lead []string
	// Button confirms.
	Button string
	Reason int
	// Email asks for the address a link is mailed to.
	Email bool
	// Danger marks a step that takes something away.
	Danger  bool
	offered func(d facility.Detail) bool
	do      func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, in confirmInput) error
}

// NeedsReason and ReasonRequired tell the template about the reason field.
func (a action) NeedsReason() bool    { return a.Reason != reasonNone }
func (a action) ReasonRequired() bool { return a.Reason == reasonRequired }

// Slug is the step's path segment.
func (a action) Slug() string { return a.slug }

// confirmInput is what the confirmation form sends besides the reason.
type confirmInput struct {
	Email string
}

var actions = []action{
	{
		slug: "delete-provisional", Title: "仮メールアドレス・仮パスワードの削除", Button: "削除する", Reason: reasonRequired, Danger: true,
		Lead: []string{
			"案内文書を紛失した場合など、医療機関等からの依頼により、現在有効な仮メールアドレス・仮パスワードを削除します。",
			"削除した仮メールアドレス・仮パスワードではログインできなくなります。削除した操作者・日時・理由が記録されます。",
		},
		offered: func(d facility.Detail) bool { return d.LiveCredential() != nil },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, _ confirmInput) error {
			if err := h.facilities.DeleteProvisional(r.Context(), req); err != nil {
				return err
			}
			h.RenderAdmin(w, r, http.StatusOK, "admin/facility/done", &donePage{FacilityID: req.FacilityID,
				Title: "仮メールアドレス・仮パスワードを削除しました", Script: facility.ScriptAfterDelete})
			return nil
		},
	},
	{
		slug: "reissue-letter", Title: facility.LetterTitle + "の再発行", Button: "発行して印刷画面を開く", Reason: reasonRequired,
		Lead: []string{
			"アカウントが未登録の医療機関等に、新しい仮メールアドレス・仮パスワードを発行し、" + facility.LetterTitle + "をA4で印刷します。",
			"有効な仮メールアドレス・仮パスワードがある場合は、それを削除してから発行します。仮パスワードは次の画面にだけ表示されます。必ず印刷してください。",
		},
		offered: func(d facility.Detail) bool { return d.Account == nil },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, _ confirmInput) error {
			l, err := h.facilities.ReissueLetter(r.Context(), req)
			if err != nil {
				return err
			}
			h.printLetter(w, r, l)
			return nil
		},
	},
	{
		slug: "issue-notice", Title: facility.NoticeTitle + "の発行", Button: "発行して印刷画面を開く", Reason: reasonRequired,
		Lead: []string{
			"登録したメールアドレスが使えない、または分からない医療機関等に、一度だけ使える仮メールアドレス・仮パスワードを発行し、" +
				facility.NoticeTitle + "をA4で印刷します。ログインするとアカウント情報編集の画面になり、新しいメールアドレスとパスワードを登録します。",
			"登録済みのメールアドレスにも、通知書を発行したことをお知らせします。仮パスワードは次の画面にだけ表示されます。必ず印刷してください。",
		},
		offered: func(d facility.Detail) bool { return d.Account != nil },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, _ confirmInput) error {
			l, err := h.facilities.IssueNotice(r.Context(), req)
			if err != nil {
				return err
			}
			h.printLetter(w, r, l)
			return nil
		},
	},
	{
		slug: "unlock", Title: "ログイン停止の解除", Button: "解除する", Reason: reasonOptional,
		Lead: []string{
			"ログインの失敗が続いたために一時停止しているログインを、停止期間の終了を待たずに使えるようにします。",
			"登録済みのメールアドレスに、解除したことをお知らせします。",
		},
		offered: func(d facility.Detail) bool { return d.Locked() },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, _ confirmInput) error {
			if err := h.facilities.Unlock(r.Context(), req); err != nil {
				return err
			}
			h.done(w, r, req, "ログインの一時停止を解除し、医療機関等へメールで通知しました。")
			return nil
		},
	},
	{
		slug: "password-reset-mail", Title: "パスワード再設定メールの送信", Button: "送信する",
		Lead: []string{
			"登録済みのメールアドレスに、パスワード再設定用URL（1時間有効）をお送りします。以前にお送りしたURLは使えなくなります。",
		},
		offered: func(d facility.Detail) bool { return d.Account != nil },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, _ confirmInput) error {
			if err := h.facilities.SendPasswordReset(r.Context(), req); err != nil {
				return err
			}
			h.done(w, r, req, "パスワード再設定用URLのメールを送信しました。送信状況はこの画面の「メール」で確認できます。")
			return nil
		},
	},
	{
		slug: "registration-mail", Title: "アカウント登録用URLメールの送信", Button: "送信する", Email: true,
		Lead: []string{
			"アカウントが未登録の医療機関等から伺ったメールアドレスに、アカウント登録用URL（24時間有効）をお送りします。",
			"そのメールアドレスが既に別のアカウントで登録されている場合は、その旨をお知らせするメールになります。",
		},
		offered: func(d facility.Detail) bool { return d.Account == nil },
		do: func(h *Handler, w http.ResponseWriter, r *http.Request, req facility.Request, in confirmInput) error {
			if err := h.facilities.SendRegistration(r.Context(), req, in.Email); err != nil {
				return err
			}
			h.done(w, r, req, "アカウント登録用URLのメールを送信しました。送信状況はこの画面の「メール」で確認できます。")
			return nil
		},
	},
}

// done ends a step on the facility page with a notice.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, req facility.Request, msg string) {
	h.Flash(r, msg)
	http.Redirect(w, r, fmt.Sprintf("%s/%d", SearchPath, req.FacilityID), http.StatusSeeOther)
}

// confirmPage is a step's confirmation page.
type confirmPage struct {
	site.AdminBase
	Action action
	facility.Detail
	// Version is what the operator saw, sent back with the confirmation.
	Version string
	Reason  string
	Email   string
	Errors  form.Errors
	// Stale lists what changed since the operator's page was drawn.
	Stale []string
	// Problem says why the step cannot be taken now.
	Problem string
}

// donePage ends a step whose outcome the operator must read out (the lost letter).
type donePage struct {
	site.AdminBase
	FacilityID int64
	Title      string
	Script     []string
}

// Messages of steps the facility's state no longer allows.
var stepProblems = map[error]string{
	facility.ErrNoCredential:   "有効な仮メールアドレス・仮パスワードはありません（既に削除されたか、使用されています）。",
	facility.ErrLiveCredential: "有効な仮メールアドレス・仮パスワードがあります。先に削除してください。",
	facility.ErrNoAccount:      "この施設にはアカウントが登録されていないため、この操作はできません。",
	facility.ErrHasAccount:     "この施設には既にアカウントが登録されているため、この操作はできません。",
	facility.ErrNotLocked:      "ログインは停止していません（停止期間が過ぎたか、既に解除されています）。",
}

// confirm shows a step's confirmation page with the facility as it is now.
func (h *Handler) confirm(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, ok := h.confirmPage(w, r, a)
		if !ok {
			return
		}
		page.Version = page.Detail.Version
		if !a.offered(page.Detail) {
			page.Problem = "この施設の現在の状態では、この操作はできません。"
		}
		h.RenderAdmin(w, r, http.StatusOK, "admin/facility/confirm", page)
	}
}

func (h *Handler) confirmPage(w http.ResponseWriter, r *http.Request, a action) (*confirmPage, bool) {
	d, err := h.facilities.Detail(r.Context(), facilityID(r))
	if errors.Is(err, facility.ErrNotFound) {
		h.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return nil, false
	}
	return &confirmPage{Action: a, Detail: d}, true
}

// submit takes the step as confirmed; a refusal shows the confirmation page again with why.
func (h *Handler) submit(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in := form.NewInput(r.PostForm)
		version, reason := in.Text("version"), in.Multiline("reason")
		errs := in.Errors
		var ci confirmInput
		if a.Email {
			addr, aerrs := accountform.ReadAddress(r.PostForm)
			ci.Email = addr.Email
			errs.Merge(aerrs)
		}
		req := facility.Request{Operator: *site.CurrentOperator(r), FacilityID: facilityID(r), Version: version, Reason: reason}
		var err error
		if errs.Valid() {
			if err = a.do(h, w, r, req, ci); err == nil {
				return
			}
		}
		page, ok := h.confirmPage(w, r, a)
		if !ok {
			return
		}
		page.Version, page.Reason, page.Email, page.Errors = version, reason, ci.Email, errs
		status := http.StatusUnprocessableEntity
		var re *facility.ReasonError
		var stale *facility.StaleError
		switch {
		case err == nil:
		case errors.As(err, &re):
			page.Errors.Add("reason", re.Message)
		case errors.Is(err, facility.ErrBadEmail):
			page.Errors.Add("email", "メールアドレスの形式が正しくありません。")
		case errors.As(err, &stale):
			page.Stale, page.Version, status = stale.Changes, page.Detail.Version, http.StatusConflict
			if !a.offered(page.Detail) {
				page.Problem = "この施設の現在の状態では、この操作はできません。"
			}
		case errors.Is(err, facility.ErrNotFound):
			h.NotFound(w, r)
			return
		default:
			msg := ""
			for e, m := range stepProblems {
				if errors.Is(err, e) {
					msg = m
				}
			}
			if msg == "" {
				h.ServerError(w, r, err)
				return
			}
			page.Problem, page.Version, status = msg, page.Detail.Version, http.StatusConflict
		}
		h.RenderAdmin(w, r, status, "admin/facility/confirm", page)
	}
}

// letterPage is a printable A4 letter: the アカウント登録案内文書 or the パスワード等通知書,
// with the content of the print vendor's CSV row.
type letterPage struct {
	site.AdminBase
	Letter account.Letter
	Notice bool
	Steps  []string
}

func (h *Handler) printLetter(w http.ResponseWriter, r *http.Request, l account.Letter) {
	page := &letterPage{Letter: l, Notice: l.Kind == account.KindNotice, Steps: account.LetterSteps}
	if page.Notice {
		page.Steps = noticeSteps
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/facility/letter", page)
}

// noticeSteps are the steps printed on the back of a パスワード等通知書: the letter's steps,
// where the edit also sets the new address.
var noticeSteps = []string{
	"① 検索サイト等で「医療機関ポータル」と検索し、医療機関等向けポータルサイトを開いてください。",
	"② 画面上部の右側の「すでにアカウントをお持ちの方はログイン」をクリックしてください。",
	"③ 表面記載の仮メールアドレス・仮パスワードを、それぞれ「メールアドレス・パスワード欄」に入力し、「ログイン」をクリックしてください。",
	"④ 「アカウント情報編集」の画面が表示されます。現在登録されている貴医療機関・薬局の情報を確認し、メールアドレスを受信できるメールアドレスに変更して、任意のパスワードを入力してください。「確認画面へ進む」をクリックしてください。",
	"⑤ 変更内容が反映されているかご確認いただき、「上記の内容に同意して確定する」をクリックしてください。以上で完了です。以後は新しいメールアドレスとパスワードでログインしてください。",
}
