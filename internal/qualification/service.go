package qualification

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Service runs the 利用申請's steps, each as one call with its transaction, rules,
// history, mail and audit entry inside.
type Service struct {
	db      *pgxpool.Pool
	baseURL string
	// Now is the clock of the rules (no month before this one); tests set it.
	Now func() time.Time
}

// NewService returns the 利用申請 service on db; baseURL is for links in mails.
func NewService(db *pgxpool.Pool, baseURL string) *Service {
	return &Service{db: db, baseURL: baseURL, Now: time.Now}
}

// MsgApproved says why an approved application cannot be changed.
const MsgApproved = "オンライン資格確認利用申請は承認済みのため、申請内容を変更できません。変更が必要な場合は、オンライン資格確認等コールセンター（0800-080-4583）へお問い合わせください。"

// Current returns the facility's 利用申請, or ErrNotFound.
func (s *Service) Current(ctx context.Context, facilityID int64) (Application, error) {
	return ForFacility(ctx, s.db, facilityID)
}

// ClosureOf says why the facility can no longer change its 利用申請 a (it is approved), or
// nil while it can. It reads nothing: the page that shows the application read it already.
func ClosureOf(a Application) *application.Closure {
	if a.Changeable() {
		return nil
	}
	lines := append([]string{"申込番号 " + a.Reference + "（" + a.Status + "　" + jp.Date(*a.ApprovedAt) + "）"}, Describe(a.Input)...)
	return &application.Closure{Lines: append(lines, MsgApproved)}
}

// Approved reports whether the facility's 利用申請 is approved (電子証明書発行申請 opens).
func (s *Service) Approved(ctx context.Context, facilityID int64) (bool, error) {
	a, err := ForFacility(ctx, s.db, facilityID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil && a.Status == StatusApproved, err
}

// Check applies the rules to in, as the input page does before the confirm page.
func (s *Service) Check(in Input) form.Errors { return Validate(in, s.Now().In(jp.Zone)) }

// Submit is 「上記の内容で申請する」: a new 利用申請, a change of one waiting for approval, or
// the corrected one sent back, with its history and its mail, in one transaction. A double
// submit stores nothing twice.
func (s *Service) Submit(ctx context.Context, ap application.Applicant, in Input) (application.Receipt, error) {
	var rc application.Receipt
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Now()
		if errs := Validate(in, now.In(jp.Zone)); !errs.Valid() {
			return &application.InvalidError{Errors: errs}
		}
		if err := application.LockFacility(ctx, tx, ap.Facility.ID); err != nil {
			return err
		}
		a, outcome, err := submit(ctx, tx, ap.Facility.ID, ap.Account.ID, in, now)
		switch {
		case errors.Is(err, ErrApproved):
			return &application.ClosedError{Message: MsgApproved}
		case err != nil:
			return err
		}
		rc = application.Receipt{Title: Kind.Title, Reference: a.Reference, Outcome: outcome}
		if outcome != application.Unchanged {
			rc.Lines = []string{"承認されましたら、改めてメールでお知らせします。"}
		}
		template := map[application.Outcome]string{application.Created: "qualification_applied",
			application.Changed: "qualification_changed", application.Resubmitted: "qualification_resubmitted"}[outcome]
		if template == "" {
			return nil
		}
		return mail.Enqueue(ctx, tx, ap.Account.Email, template, mail.ApplicationNotice{
			FacilityName: ap.Account.FacilityName, ReferenceNumber: a.Reference, Details: Describe(a.Input), BaseURL: s.baseURL})
	})
	return rc, err
}

// Describe is an application's input in words, one line each (confirm page, mails).
func Describe(in Input) []string {
	lines := []string{"電気通信回線種別：" + in.LineType, "提供事業者：" + in.Provider}
	if in.CustomerID != "" {
		lines = append(lines, "お客さまID："+in.CustomerID)
	}
	lines = append(lines, "利用開始予定年月："+jp.YearMonth(in.StartYear, in.StartMonth))
	test := "（未定）"
	if in.TestYear != 0 {
		test = jp.YearMonth(in.TestYear, in.TestMonth)
	}
	return append(lines, "疎通確認（運用テスト）開始予定年月："+test)
}

// Overview is the 利用申請's place on マイページ (and on the operators' facility page).
func (s *Service) Overview(ctx context.Context, f account.Facility) (application.Overview, error) {
	return application.OverviewNow(ctx, s.db, Kind, s, f)
}

// QueueOverview queues the facility's 利用申請 on b; the returned function builds the
// Overview once b was read.
func (s *Service) QueueOverview(b *pgx.Batch, f account.Facility) func([]application.Event) (application.Overview, error) {
	var a *Application
	b.Queue(`SELECT `+columns+` FROM qualification_applications WHERE facility_id = $1`, f.ID).QueryRow(func(row pgx.Row) error {
		got, err := scan(row)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil
		case err != nil:
			return fmt.Errorf("qualification: overview: %w", err)
		}
		a = &got
		return nil
	})
	return func(history []application.Event) (application.Overview, error) {
		ov := application.Overview{Status: "未申請", State: application.Todo, History: history}
		if a == nil {
			return ov, nil
		}
		ov.Status, ov.Reference, ov.Details = a.Status, a.Reference, Describe(a.Input)
		switch a.Status {
		case StatusApproved:
			ov.State = application.Done
			ov.Note = "承認日 " + jp.Date(*a.ApprovedAt) + "。電子証明書発行申請ができます。"
		case StatusReturned:
			ov.State = application.Todo
			ov.Note = "差戻しの理由：" + a.ReturnReason + "　内容を修正して再度申請してください。"
		default:
			ov.State = application.InProgress
			ov.Note = "承認されるまで申請内容を変更できます。"
		}
		return ov, nil
	}
}

// Detail is one 利用申請 as an operator sees it.
type Detail struct {
	Application Application
	Facility    account.Facility
	Account     account.Account
	Lines       []string
	History     []application.Event
}

// CanDecide reports whether an operator may approve or send it back now.
func (d Detail) CanDecide() bool {
	return Kind.Can(d.Application.Status, ActionApprove, application.ByOperator)
}

// Detail returns one application with its facility, account and history.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	if d.Application, err = ByID(ctx, s.db, id); err != nil {
		return d, err
	}
	if d.Facility, err = account.FacilityByID(ctx, s.db, d.Application.FacilityID); err != nil {
		return d, err
	}
	if d.Account, err = account.ByID(ctx, s.db, d.Application.AccountID); err != nil {
		return d, err
	}
	d.Lines = Describe(d.Application.Input)
	d.History, err = application.History(ctx, s.db, Kind, id)
	return d, err
}

// List returns one page of the operators' list.
func (s *Service) List(ctx context.Context, req application.ListRequest) (listing.Page[Row], error) {
	return List(ctx, s.db, req)
}

// Audit actions of the 利用申請's processing.
const (
	AuditApprove = "qualification.approve"
	AuditReturn  = "qualification.return"
	AuditExport  = "qualification.export"
	auditTarget  = "qualification_application"
)

// Approve approves an application waiting for it and mails the facility, with the history
// and the audit entry, in one transaction.
func (s *Service) Approve(ctx context.Context, op operator.Operator, id int64) error {
	return s.decide(ctx, op, id, ActionApprove, "", AuditApprove, "qualification_approved")
}

// SendBack returns an application to the facility with the reason, which is mailed.
func (s *Service) SendBack(ctx context.Context, op operator.Operator, id int64, reason string) error {
	return s.decide(ctx, op, id, ActionReturn, reason, AuditReturn, "qualification_returned")
}

func (s *Service) decide(ctx context.Context, op operator.Operator, id int64, action, reason, audit, template string) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		a, err := decide(ctx, tx, id, op.ID, action, reason)
		if err != nil {
			return err
		}
		acc, err := account.ByID(ctx, tx, a.AccountID)
		if err != nil {
			return err
		}
		if err := mail.Enqueue(ctx, tx, acc.Email, template, mail.ApplicationNotice{FacilityName: acc.FacilityName,
			ReferenceNumber: a.Reference, Details: Describe(a.Input), Reason: reason, BaseURL: s.baseURL}); err != nil {
			return err
		}
		detail := map[string]string{"reference": a.Reference}
		if reason != "" {
			detail["reason"] = reason
		}
		return operator.Record(ctx, tx, op.ID, audit, auditTarget, id, detail)
	})
}

// Export writes the filtered applications as CSV in enc after recording the export.
func (s *Service) Export(ctx context.Context, op operator.Operator, w io.Writer, fl application.Filter, enc jp.Encoding) error {
	if err := operator.Record(ctx, s.db, op.ID, AuditExport, auditTarget, 0, map[string]any{
		"status": fl.Status, "prefecture": fl.Prefecture, "kind": fl.FacilityKind, "encoding": string(enc)}); err != nil {
		return err
	}
	return Export(ctx, s.db, w, fl, enc)
}
