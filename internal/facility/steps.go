package facility

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/auditlog"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/mail"
	"portal/internal/operator"
)

// The audit trail's entries of the steps; the target is the facility (TargetFacility, id).
const (
	TargetFacility          = "facility"
	ActionDeleteProvisional = "facility.provisional_delete"
	ActionReissueLetter     = "facility.letter_reissue"
	ActionIssueNotice       = "facility.notice_issue"
	ActionUnlock            = "facility.unlock"
	ActionResetMail         = "facility.password_reset_mail"
	ActionRegistrationMail  = "facility.registration_mail"
)

// ActionLabel is an audit action in Japanese (the one label table, auditlog.Actions).
func ActionLabel(action string) string { return auditlog.Label(action) }

// The letters, as their titles read.
const (
	// LetterTitle is the mailed letter with the 仮メールアドレス・仮パスワード (SPEC §3.1).
	LetterTitle = "アカウント登録案内文書"
	// NoticeTitle is the letter for a facility whose address no longer works (FAQ Q11).
	NoticeTitle = "パスワード等通知書"
)

// MaxReason is the longest reason an operator writes, in characters.
const MaxReason = 200

// Messages of a reason the step cannot take (ReasonError).
const (
	MsgReasonRequired = "理由を入力してください。"
	MsgReasonTooLong  = "理由は200文字以内で入力してください。"
	MsgReasonBad      = "使用できない文字が含まれています。"
)

// Request is an operator's step on a facility: who, which, what the page showed
// (Detail.Version) and why.
type Request struct {
	Operator   operator.Operator
	FacilityID int64
	Version    string
	Reason     string
}

// checkReason cleans the reason and applies its rules.
func checkReason(reason string, required bool) (string, error) {
	if !form.Printable(reason, true) {
		return "", &ReasonError{MsgReasonBad}
	}
	reason = form.CleanText(reason)
	switch {
	case required && reason == "":
		return "", &ReasonError{MsgReasonRequired}
	case utf8.RuneCountInString(reason) > MaxReason:
		return "", &ReasonError{MsgReasonTooLong}
	}
	return reason, nil
}

// state is what a step finds under the facility's lock.
type state struct {
	facility account.Facility
	snap     snapshot
	account  *account.Account
}

// step runs fn in one transaction with the facility locked, after checking that nothing
// changed since the operator's page (StaleError otherwise).
func (s *Service) step(ctx context.Context, req Request, fn func(tx pgx.Tx, st state) error) error {
	if req.Operator.ID <= 0 {
		return errors.New("facility: a step needs an operator")
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var st state
		var err error
		if _, err = tx.Exec(ctx, `SELECT 1 FROM facilities WHERE id = $1 FOR UPDATE`, req.FacilityID); err != nil {
			return fmt.Errorf("facility: lock: %w", err)
		}
		if st.snap, err = readSnapshot(ctx, tx, req.FacilityID); err != nil {
			return err
		}
		stale, err := stale(ctx, tx, req.FacilityID, req.Version, st.snap)
		if err != nil {
			return err
		}
		if stale != nil {
			return stale
		}
		if st.facility, err = account.FacilityByID(ctx, tx, req.FacilityID); err != nil {
			return err
		}
		a, err := account.ByFacility(ctx, tx, req.FacilityID)
		switch {
		case err == nil:
			st.account = &a
		case !errors.Is(err, account.ErrNotFound):
			return err
		}
		return fn(tx, st)
	})
}

// record writes the step's audit entry on the facility.
func record(ctx context.Context, tx pgx.Tx, req Request, action string, detail map[string]any) error {
	return operator.Record(ctx, tx, req.Operator.ID, action, TargetFacility, req.FacilityID, detail)
}

// DeleteProvisional ends the facility's live provisional credentials at a caller's request
// (the letter was lost), recording who, when and why (SPEC §3.1). The facility then
// registers anew through 初めてご利用になる方 (ScriptAfterDelete).
func (s *Service) DeleteProvisional(ctx context.Context, req Request) error {
	reason, err := checkReason(req.Reason, true)
	if err != nil {
		return err
	}
	return s.step(ctx, req, func(tx pgx.Tx, st state) error {
		if st.snap.ProvisionalID == 0 {
			return ErrNoCredential
		}
		if err := account.DeleteProvisional(ctx, tx, st.snap.ProvisionalID, req.Operator.ID, reason); err != nil {
			return err
		}
		return record(ctx, tx, req, ActionDeleteProvisional, map[string]any{"credential_id": st.snap.ProvisionalID, "reason": reason})
	})
}

// ScriptAfterDelete is what the operator tells the caller once the credentials are deleted.
var ScriptAfterDelete = []string{
	"お手元の" + LetterTitle + "の仮メールアドレス・仮パスワードは使えなくなりました。",
	"医療機関等向けポータルサイトのトップページの「初めてご利用になる方（アカウント登録）」から、受信できるメールアドレスを入力して「仮登録メールを送信する」を押してください。",
	"届いたメールのアカウント登録用URL（24時間有効）を開き、医療機関等情報を入力して登録してください。",
}

// ReissueLetter issues new provisional credentials for a facility without an account and
// returns the letter to print (アカウント登録案内文書), its clear 仮パスワード included: it
// exists only in this answer. Live credentials of an earlier letter end first, recorded
// with the reason.
func (s *Service) ReissueLetter(ctx context.Context, req Request) (account.Letter, error) {
	return s.issue(ctx, req, account.KindLetter, ActionReissueLetter)
}

// IssueNotice issues a パスワード等通知書 for a facility whose account's address no longer
// works (FAQ Q11): new one-time credentials leading to the forced アカウント情報編集, and the
// letter to print with its clear 仮パスワード (this answer only). The account's address is
// told, in case the call was not the facility's. Live credentials end first.
func (s *Service) IssueNotice(ctx context.Context, req Request) (account.Letter, error) {
	return s.issue(ctx, req, account.KindNotice, ActionIssueNotice)
}

func (s *Service) issue(ctx context.Context, req Request, kind, action string) (account.Letter, error) {
	reason, err := checkReason(req.Reason, true)
	if err != nil {
		return account.Letter{}, err
	}
	var letter account.Letter
	err = s.step(ctx, req, func(tx pgx.Tx, st state) error {
		switch {
		case kind == account.KindLetter && st.account != nil:
			return ErrHasAccount
		case kind == account.KindNotice && st.account == nil:
			return ErrNoAccount
		}
		detail := map[string]any{"reason": reason}
		if st.snap.ProvisionalID != 0 {
			if err := account.DeleteProvisional(ctx, tx, st.snap.ProvisionalID, req.Operator.ID, reason); err != nil {
				return err
			}
			detail["replaced_credential_id"] = st.snap.ProvisionalID
		}
		var err error
		if letter, err = account.IssueOne(ctx, tx, s.key, req.FacilityID, kind); err != nil {
			return err
		}
		detail["credential_id"] = letter.CredentialID
		if kind == account.KindNotice {
			_, err := mail.Send(ctx, tx, mail.Message{To: st.account.Email, Template: "notice_issued", FacilityID: req.FacilityID,
				Data: mail.NoticeIssued{FacilityName: st.account.FacilityName, IssuedAt: jp.DateTime(letter.IssuedAt), BaseURL: s.baseURL}})
			if err != nil && !errors.Is(err, mail.ErrBadAddress) {
				return err
			}
		}
		return record(ctx, tx, req, action, detail)
	})
	return letter, err
}

// Unlock lifts a sign-in lock-out of the facility's account (and of its live provisional
// login) before it runs out, and tells the account's address.
func (s *Service) Unlock(ctx context.Context, req Request) error {
	reason, err := checkReason(req.Reason, false)
	if err != nil {
		return err
	}
	return s.step(ctx, req, func(tx pgx.Tx, st state) error {
		if st.account == nil {
			return ErrNoAccount
		}
		if !st.snap.Locked {
			return ErrNotLocked
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE login = lower($1)
			OR login IN (SELECT lower(login_id) FROM provisional_credentials WHERE id = $2)`,
			st.account.Email, st.snap.ProvisionalID); err != nil {
			return fmt.Errorf("facility: unlock: %w", err)
		}
		_, err := mail.Send(ctx, tx, mail.Message{To: st.account.Email, Template: "account_unlocked", FacilityID: req.FacilityID,
			Data: mail.AccountUnlocked{FacilityName: st.account.FacilityName, UnlockedAt: jp.DateTime(time.Now()), BaseURL: s.baseURL}})
		if err != nil {
			return err
		}
		return record(ctx, tx, req, ActionUnlock, map[string]any{"reason": reason})
	})
}

// SendPasswordReset mails the account a new password reset link (パスワード再設定用URL), as
// the facility's own request would, for a caller whose mail did not come.
func (s *Service) SendPasswordReset(ctx context.Context, req Request) error {
	return s.step(ctx, req, func(tx pgx.Tx, st state) error {
		if st.account == nil {
			return ErrNoAccount
		}
		a, tok, err := account.IssuePasswordResetLink(ctx, tx, st.account.Email)
		if err != nil {
			return err
		}
		id, err := mail.Send(ctx, tx, mail.Message{To: a.Email, Template: "password_reset_url", FacilityID: req.FacilityID,
			Data: mail.PasswordResetURL{FacilityName: a.FacilityName, URL: s.baseURL + "/password/reset/verify?token=" + tok,
				ExpiresAt: jp.DateTime(time.Now().Add(account.PasswordResetTTL)), BaseURL: s.baseURL}})
		if err != nil {
			return err
		}
		return record(ctx, tx, req, ActionResetMail, map[string]any{"mail_id": id})
	})
}

// ErrBadEmail means the address for a registration link is not a plain mail address.
var ErrBadEmail = errors.New("facility: not a valid e-mail address")

// SendRegistration mails a registration link (アカウント登録用URL) to the address a caller of a
// facility without an account gives, as 初めてご利用になる方 would; an address that is already
// an account's gets the note saying so instead.
func (s *Service) SendRegistration(ctx context.Context, req Request, email string) error {
	email = strings.TrimSpace(email)
	if a, err := netmail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return ErrBadEmail
	}
	return s.step(ctx, req, func(tx pgx.Tx, st state) error {
		if st.account != nil {
			return ErrHasAccount
		}
		r, err := account.IssueRegistrationLink(ctx, tx, email)
		if err != nil {
			return err
		}
		m := mail.Message{To: email, Template: "register_existing", FacilityID: req.FacilityID,
			Data: mail.RegistrationExisting{Email: email, BaseURL: s.baseURL}}
		if !r.Registered {
			m.Template, m.Data = "register_url", mail.RegistrationURL{URL: s.baseURL + "/register/verify?token=" + r.Token,
				ExpiresAt: jp.DateTime(time.Now().Add(account.RegisterTTL)), BaseURL: s.baseURL}
		}
		id, err := mail.Send(ctx, tx, m)
		if errors.Is(err, mail.ErrBadAddress) {
			return ErrBadEmail
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, req, ActionRegistrationMail, map[string]any{"mail_id": id, "template": m.Template})
	})
}
