package operators

import (
	"net/http"

	"portal/internal/operator"
	"portal/internal/web/site"
)

// action is one step on an account that a confirmation page asks about.
type action struct {
	path  string
	title string
	// lines explain the step on its confirmation page.
	lines []string
	// button is the confirming button's label.
	button string
	done   string
	// offered says whether the step fits the account as it is.
	offered func(o operator.Operator) bool
}

var actions = []action{
	{path: "disable", title: "利用停止", button: "利用停止する", done: "利用停止しました。",
		lines:   []string{"このオペレーターは管理画面にログインできなくなり、ログイン中の画面もすぐに終了します。", "履歴は残り、あとで利用を再開できます。"},
		offered: func(o operator.Operator) bool { return o.Active() }},
	{path: "enable", title: "利用再開", button: "利用を再開する", done: "利用を再開しました。",
		lines:   []string{"このオペレーターは、これまでのパスワードと二要素認証で再びログインできるようになります。"},
		offered: func(o operator.Operator) bool { return !o.Active() }},
	{path: "reset-password", title: "仮パスワードの発行", button: "仮パスワードを発行する",
		lines: []string{"新しい仮パスワードを発行し、この画面の次に一度だけ表示します。今のパスワードは使えなくなり、ログイン中の画面も終了します。",
			"オペレーターは次回のログイン時に新しいパスワードを設定します。ログインの一時停止も解除されます。"},
		offered: func(operator.Operator) bool { return true }},
	{path: "reset-factor", title: "二要素認証のリセット", button: "二要素認証をリセットする", done: "二要素認証をリセットしました。次回のログイン時に、オペレーターが認証アプリを設定し直します。",
		lines: []string{"スマートフォンの紛失や機種変更で確認コードを入力できなくなったときに行います。",
			"今の認証アプリの設定とリカバリーコードは使えなくなり、ログイン中の画面も終了します。次回のログイン時に設定し直します。"},
		offered: func(operator.Operator) bool { return true }},
}

// confirmPage asks a supervisor to confirm one step on an account.
type confirmPage struct {
	site.AdminBase
	Account operator.Operator
	Title   string
	Lines   []string
	Button  string
	Action  string
}

// actionConfirm shows the step's confirmation page.
func (h *Handler) actionConfirm(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o, ok := h.load(w, r)
		if !ok {
			return
		}
		if o.ID == site.CurrentOperator(r).ID {
			h.refused(w, r, o.ID, operator.ErrSelf)
			return
		}
		if !a.offered(o) {
			h.refused(w, r, o.ID, operator.ErrUnchanged)
			return
		}
		h.RenderAdmin(w, r, http.StatusOK, "admin/operators/confirm", &confirmPage{Account: o, Title: a.title,
			Lines: a.lines, Button: a.button, Action: showPath(o.ID) + "/" + a.path})
	}
}

// actionDo takes the confirmed step.
func (h *Handler) actionDo(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, by, id := r.Context(), *site.CurrentOperator(r), operatorID(r)
		if id == 0 {
			h.NotFound(w, r)
			return
		}
		var err error
		switch a.path {
		case "disable":
			_, err = h.operators.SetActive(ctx, by, id, false)
		case "enable":
			_, err = h.operators.SetActive(ctx, by, id, true)
		case "reset-factor":
			_, err = h.operators.ResetFactor(ctx, by, id)
		case "reset-password":
			o, temp, err := h.operators.ResetPassword(ctx, by, id)
			if h.refused(w, r, id, err) {
				return
			}
			h.RenderAdmin(w, r, http.StatusOK, "admin/operators/password", &passwordPage{Account: o, Password: temp})
			return
		}
		if h.refused(w, r, id, err) {
			return
		}
		h.Flash(r, a.done)
		http.Redirect(w, r, showPath(id), http.StatusSeeOther)
	}
}
