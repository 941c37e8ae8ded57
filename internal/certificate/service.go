package certificate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
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
	"portal/internal/qualification"
)

// Service runs the certificates' steps, each as one call with its transaction, rules,
// history, mail and audit entry inside.
type Service struct {
	db      *pgxpool.Pool
	baseURL string
}

// NewService returns the certificate service on db; baseURL is for links in mails.
func NewService(db *pgxpool.Pool, baseURL string) *Service { return &Service{db: db, baseURL: baseURL} }

// MsgClosed says why 電子証明書発行申請 is not open yet and what to do.
const MsgClosed = "電子証明書発行申請は、オンライン資格確認利用申請が承認された後に行うことができます。先にオンライン資格確認利用申請を行ってください。承認されるとメールでお知らせします。"

// Open reports whether the facility may apply: its 利用申請 is approved.
func (s *Service) Open(ctx context.Context, facilityID int64) (bool, error) {
	return open(ctx, s.db, facilityID)
}

func open(ctx context.Context, db database.DB, facilityID int64) (bool, error) {
	a, err := qualification.ForFacility(ctx, db, facilityID)
	if errors.Is(err, qualification.ErrNotFound) {
		return false, nil
	}
	return err == nil && a.Status == qualification.StatusApproved, err
}

// Standing is what the facility's certificate pages show: whether it may apply, and its
// certificates, newest first.
type Standing struct {
	Open         bool
	Certificates []Certificate
}

// Closure says why the facility cannot apply yet (its 利用申請 is not approved), or nil.
func (st Standing) Closure() *application.Closure {
	if st.Open {
		return nil
	}
	return &application.Closure{Lines: []string{MsgClosed}}
}

// Standing reads the facility's Standing in one round trip.
func (s *Service) Standing(ctx context.Context, facilityID int64) (Standing, error) {
	var st Standing
	b := &pgx.Batch{}
	b.Queue(`SELECT EXISTS (SELECT 1 FROM qualification_applications WHERE facility_id = $1 AND status = $2)`,
		facilityID, qualification.StatusApproved).QueryRow(func(row pgx.Row) error { return row.Scan(&st.Open) })
	queueForFacility(b, facilityID, &st.Certificates)
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return Standing{}, fmt.Errorf("certificate: standing: %w", err)
	}
	return st, nil
}

// List returns every certificate of the facility, newest first.
func (s *Service) List(ctx context.Context, facilityID int64) ([]Certificate, error) {
	return ForFacility(ctx, s.db, facilityID)
}

// Get returns one of the facility's certificates; another's is ErrNotFound.
func (s *Service) Get(ctx context.Context, facilityID, id int64) (Certificate, error) {
	return OfFacility(ctx, s.db, facilityID, id)
}

// Check applies the rules to in for the facility, as the input page does.
func (s *Service) Check(ctx context.Context, facilityID int64, in Input) (form.Errors, error) {
	live, err := liveNames(ctx, s.db, facilityID)
	if err != nil {
		return nil, err
	}
	return Validate(in, live), nil
}

// Submit asks for the certificates of in, one per PC, and mails what was received, in one
// transaction; the rules run again inside it. The second click of a double click finds
// the first one's application and stores nothing.
func (s *Service) Submit(ctx context.Context, ap application.Applicant, in Input) (application.Receipt, error) {
	var rc application.Receipt
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := application.LockFacility(ctx, tx, ap.Facility.ID); err != nil {
			return err
		}
		ok, err := open(ctx, tx, ap.Facility.ID)
		if err != nil {
			return err
		}
		if !ok {
			return &application.ClosedError{Message: MsgClosed}
		}
		reqs := in.Used()
		if ref, same, err := sameAsLast(ctx, tx, ap.Facility.ID, reqs); err != nil || same {
			rc = application.Receipt{Title: Kind.Title, Reference: ref, Outcome: application.Unchanged}
			return err
		}
		live, err := liveNames(ctx, tx, ap.Facility.ID)
		if err != nil {
			return err
		}
		if errs := Validate(in, live); !errs.Valid() {
			return &application.InvalidError{Errors: errs}
		}
		ref, err := insert(ctx, tx, ap.Facility.ID, ap.Account.ID, reqs, time.Now())
		if err != nil {
			return err
		}
		rc = application.Receipt{Title: Kind.Title, Reference: ref, Outcome: application.Created,
			Lines: []string{"電子証明書の通知書は簡易書留でお送りします。"}}
		return mail.Enqueue(ctx, tx, ap.Account.Email, "certificate_applied", mail.ApplicationNotice{
			FacilityName: ap.Account.FacilityName, ReferenceNumber: ref, Details: Describe(reqs), BaseURL: s.baseURL})
	})
	return rc, err
}

// Describe lists certificates as the mails and pages show them: 「名称（用途）」.
func Describe(reqs []Request) []string {
	lines := make([]string, len(reqs))
	for i, r := range reqs {
		lines[i] = r.Label()
	}
	return lines
}

// Cancel cancels one of the facility's requested certificates and mails it.
func (s *Service) Cancel(ctx context.Context, ap application.Applicant, id int64) (Certificate, error) {
	return s.facilityStep(ctx, ap, id, ActionCancel, "certificate_cancelled")
}

// RequestRevoke asks to revoke one of the facility's issued certificates and mails it.
func (s *Service) RequestRevoke(ctx context.Context, ap application.Applicant, id int64) (Certificate, error) {
	return s.facilityStep(ctx, ap, id, ActionRequestRevoke, "certificate_revoke_requested")
}

func (s *Service) facilityStep(ctx context.Context, ap application.Applicant, id int64, action, template string) (Certificate, error) {
	var c Certificate
	// step reads facility 0 as "any facility" (the operators' steps): an applicant
	// without one must not reach that.
	if ap.Facility.ID <= 0 {
		return c, ErrNotFound
	}
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if c, err = step(ctx, tx, id, ap.Facility.ID, action, application.ByFacility, ap.Account.ID); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, ap.Account.Email, template, mail.ApplicationNotice{
			FacilityName: ap.Account.FacilityName, ReferenceNumber: c.Reference, Details: []string{c.Label()}, BaseURL: s.baseURL})
	})
	return c, err
}

// Audit actions of the certificates' processing.
const (
	AuditIssue  = "certificate.issue"
	AuditRevoke = "certificate.revoke"
	AuditExport = "certificate.export"
	auditTarget = "certificate"
)

// Issue marks a requested certificate 発行済 and mails the facility, audited.
func (s *Service) Issue(ctx context.Context, op operator.Operator, id int64) error {
	return s.operatorStep(ctx, op, id, ActionIssue, "certificate_issued", AuditIssue)
}

// Revoke marks an issued certificate 失効 (asked for or not) and mails the facility, audited.
func (s *Service) Revoke(ctx context.Context, op operator.Operator, id int64) error {
	return s.operatorStep(ctx, op, id, ActionRevoke, "certificate_revoked", AuditRevoke)
}

func (s *Service) operatorStep(ctx context.Context, op operator.Operator, id int64, action, template, audit string) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		c, err := step(ctx, tx, id, 0, action, application.ByOperator, op.ID)
		if err != nil {
			return err
		}
		acc, err := account.ByFacility(ctx, tx, c.FacilityID)
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			return err
		}
		if err == nil {
			if err := mail.Enqueue(ctx, tx, acc.Email, template, mail.ApplicationNotice{FacilityName: acc.FacilityName,
				ReferenceNumber: c.Reference, Details: []string{c.Label()}, BaseURL: s.baseURL}); err != nil {
				return err
			}
		}
		return operator.Record(ctx, tx, op.ID, audit, auditTarget, id, map[string]string{"reference": c.Reference, "name": c.Name})
	})
}

// Overview is the certificates' place on マイページ (and on the operators' facility page).
func (s *Service) Overview(ctx context.Context, f account.Facility) (application.Overview, error) {
	return application.OverviewNow(ctx, s.db, Kind, s, f)
}

// QueueOverview queues the facility's 利用申請 status and its certificates on b; the
// returned function builds the Overview once b was read.
func (s *Service) QueueOverview(b *pgx.Batch, f account.Facility) func([]application.Event) (application.Overview, error) {
	var (
		approved bool
		certs    []Certificate
	)
	b.Queue(`SELECT EXISTS (SELECT 1 FROM qualification_applications WHERE facility_id = $1 AND status = $2)`,
		f.ID, qualification.StatusApproved).QueryRow(func(row pgx.Row) error { return row.Scan(&approved) })
	b.Queue(`SELECT `+columns+from+`WHERE c.facility_id = $1 ORDER BY c.requested_at DESC, c.id DESC`, f.ID).Query(func(rows pgx.Rows) error {
		var err error
		certs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certificate, error) { return scan(r) })
		return err
	})
	return func(history []application.Event) (application.Overview, error) {
		if !approved {
			return application.Overview{Status: "利用申請の承認後に申請できます", State: application.Waiting}, nil
		}
		ov := application.Overview{Status: "未申請", State: application.Todo, History: history}
		counts := map[string]int{}
		for _, c := range certs {
			counts[c.Status]++
			ov.Details = append(ov.Details, c.Label()+"："+c.Status)
		}
		switch {
		case counts[StatusRequested] > 0:
			ov.Status, ov.State = fmt.Sprintf("申請中 %d件", counts[StatusRequested]), application.InProgress
		case counts[StatusIssued]+counts[StatusRevokeRequested] > 0:
			ov.Status, ov.State = fmt.Sprintf("発行済 %d件", counts[StatusIssued]+counts[StatusRevokeRequested]), application.Done
		}
		if len(certs) > 0 {
			ov.Reference = certs[0].Reference
			ov.Note = "セットアップ予定日の5営業日前までに申請してください。"
		}
		return ov, nil
	}
}

// Detail is one certificate as an operator sees it.
type Detail struct {
	Certificate Certificate
	Facility    account.Facility
	History     []application.Event
}

// CanIssue and CanRevoke report which operator steps the status allows.
func (d Detail) CanIssue() bool {
	return Kind.Can(d.Certificate.Status, ActionIssue, application.ByOperator)
}

// CanRevoke reports whether an operator may revoke the certificate now.
func (d Detail) CanRevoke() bool {
	return Kind.Can(d.Certificate.Status, ActionRevoke, application.ByOperator)
}

// Detail returns one certificate with its facility and its application's history.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	if d.Certificate, err = ByID(ctx, s.db, id); err != nil {
		return d, err
	}
	if d.Facility, err = account.FacilityByID(ctx, s.db, d.Certificate.FacilityID); err != nil {
		return d, err
	}
	d.History, err = application.History(ctx, s.db, Kind, d.Certificate.ApplicationID)
	return d, err
}

// Row is one certificate in the operators' list.
type Row struct {
	Certificate
	TenDigitCode string
	FacilityName string
	FacilityKind string
}

const listFrom = ` FROM certificates c JOIN certificate_applications a ON a.id = c.application_id
	JOIN facilities f ON f.id = c.facility_id `

// Search returns one page of certificates matching the filter, newest request first, with
// the capped number of all matches.
func (s *Service) Search(ctx context.Context, req application.ListRequest) (listing.Page[Row], error) {
	return application.List(ctx, s.db, req, listFrom, "c.status", "c.requested_at", "c.id",
		columns+`, lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, f.name, f.kind`,
		func(r pgx.CollectableRow) (Row, error) {
			var x Row
			c := &x.Certificate
			return x, r.Scan(&c.ID, &c.ApplicationID, &c.Reference, &c.FacilityID, &c.Purpose, &c.Name, &c.Status, &c.RequestedAt,
				&c.IssuedAt, &c.RevokeRequestedAt, &c.RevokedAt, &c.CancelledAt, &x.TenDigitCode, &x.FacilityName, &x.FacilityKind)
		},
		func(x Row) listing.Key { return listing.Key{At: x.RequestedAt, ID: x.ID} })
}

// ExportHeader is the header row of the operators' CSV.
var ExportHeader = []string{"申込番号", "証明書ID", "状態", "申請日時", "都道府県コード", "点数表コード", "医療機関等コード",
	"医療機関等名称", "施設種別", "用途", "名称", "発行日時", "失効申請日時", "失効日時"}

// Export writes the filtered certificates as CSV in enc after recording the export.
func (s *Service) Export(ctx context.Context, op operator.Operator, w io.Writer, fl application.Filter, enc jp.Encoding) error {
	if err := operator.Record(ctx, s.db, op.ID, AuditExport, auditTarget, 0, map[string]any{
		"status": fl.Status, "prefecture": fl.Prefecture, "kind": fl.FacilityKind, "encoding": string(enc)}); err != nil {
		return err
	}
	cw, err := jp.NewCSVWriter(w, enc)
	if err != nil {
		return err
	}
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	var args []any
	where := fl.Where("c.status", "c.requested_at", &args)
	rows, err := s.db.Query(ctx, `SELECT a.reference, c.id, c.status, c.requested_at, f.prefecture_code, f.score_table_code,
		f.code, f.name, f.kind, c.purpose, c.name, c.issued_at, c.revoke_requested_at, c.revoked_at`+listFrom+where+
		` ORDER BY c.requested_at, c.id`, args...)
	if err != nil {
		return fmt.Errorf("certificate: export: %w", err)
	}
	defer rows.Close()
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return jp.ISODateTime(*t)
	}
	for rows.Next() {
		var (
			ref, status, code, name, kind, purpose, cname string
			id                                            int64
			requested                                     time.Time
			pref, score                                   int
			issued, revokeRequested, revoked              *time.Time
		)
		if err := rows.Scan(&ref, &id, &status, &requested, &pref, &score, &code, &name, &kind, &purpose, &cname,
			&issued, &revokeRequested, &revoked); err != nil {
			return fmt.Errorf("certificate: export: %w", err)
		}
		if err := cw.Write([]string{ref, strconv.FormatInt(id, 10), status, stamp(&requested), fmt.Sprintf("%02d", pref),
			strconv.Itoa(score), code, jp.Cell(name), kind, purpose, jp.Cell(cname), stamp(issued), stamp(revokeRequested),
			stamp(revoked)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("certificate: export: %w", err)
	}
	return cw.Close()
}
