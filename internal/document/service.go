package document

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/database"
	"portal/internal/filecheck"
	"portal/internal/form"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Service runs the document steps.
type Service struct {
	db         *pgxpool.Pool
	broadcasts *broadcast.Service
	baseURL    string
}

// NewService returns the document service; notices to many facilities go out as
// broadcasts of bs.
func NewService(db *pgxpool.Pool, bs *broadcast.Service, baseURL string) *Service {
	return &Service{db: db, broadcasts: bs, baseURL: baseURL}
}

// Audit action of sending a document.
const ActionSend = "document.send"

// TargetDocument is the audit target type of a document.
const TargetDocument = "document"

// Send is 送信する on the upload form: the file is checked and stored once with its
// checksum, addressed to the facility or the set, and the notice mailed (at once to one
// facility; as a broadcast to a set), all in one transaction. The same form posted twice
// sends once and returns the first result. A set that matches nobody is an
// *InvalidError with broadcast.MsgNobody.
func (s *Service) Send(ctx context.Context, operatorID int64, in Input) (Result, error) {
	if errs := Check(in); !errs.Valid() {
		return Result{}, &InvalidError{Errors: errs}
	}
	if len(in.Token) < 16 || len(in.Token) > 64 {
		return Result{}, &InvalidError{Errors: form.Errors{"title": "画面の有効期限が切れました。お手数ですが、画面を開き直してからやり直してください。"}}
	}
	note := in.Note
	if note == "" {
		note = DefaultNote
	}
	var rc Result
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id, recipients FROM documents WHERE token = $1`, in.Token).Scan(&rc.DocumentID, &rc.Recipients)
		if err == nil {
			return nil // posted twice
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("document: send: %w", err)
		}
		sum := sha256.Sum256(in.File.Data)
		label := in.Audience.Label()
		if !in.ToAudience {
			label = ""
		}
		err = tx.QueryRow(ctx, `INSERT INTO documents (title, filename, size, sha256, data, audience_label, created_by, token)
			VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7::bigint, 0), $8) ON CONFLICT (token) DO NOTHING RETURNING id`,
			in.Title, filecheck.CleanName(in.File.Filename, filecheck.PDF), len(in.File.Data), sum[:], in.File.Data, label,
			operatorID, in.Token).Scan(&rc.DocumentID)
		if errors.Is(err, pgx.ErrNoRows) {
			// Posted twice at once: the other request, which held the token and has
			// committed, sent it.
			err := tx.QueryRow(ctx, `SELECT id, recipients FROM documents WHERE token = $1`, in.Token).Scan(&rc.DocumentID, &rc.Recipients)
			if err != nil {
				return fmt.Errorf("document: send: %w", err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("document: store: %w", err)
		}
		if in.ToAudience {
			err = s.toAudience(ctx, tx, operatorID, in, note, &rc)
		} else {
			err = s.toFacility(ctx, tx, operatorID, in, note, &rc)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET recipients = $2 WHERE id = $1`, rc.DocumentID, rc.Recipients); err != nil {
			return fmt.Errorf("document: send: %w", err)
		}
		return operator.Record(ctx, tx, operatorID, ActionSend, TargetDocument, rc.DocumentID, map[string]any{
			"title": in.Title, "sha256": hex.EncodeToString(sum[:]), "recipients": rc.Recipients, "facility_id": in.FacilityID,
			"audience": label, "no_account": rc.NoAccount})
	})
	return rc, err
}

// toFacility addresses the document to one facility and mails its account, if any.
func (s *Service) toFacility(ctx context.Context, tx pgx.Tx, operatorID int64, in Input, note string, rc *Result) error {
	var name, email string
	var account *int64
	err := tx.QueryRow(ctx, `SELECT f.name, a.id, coalesce(a.email, '') FROM facilities f LEFT JOIN accounts a ON a.facility_id = f.id
		WHERE f.id = $1`, in.FacilityID).Scan(&name, &account, &email)
	if errors.Is(err, pgx.ErrNoRows) {
		return &InvalidError{Errors: form.Errors{"facility": "送付先の医療機関等が見つかりません。検索し直してください。"}}
	}
	if err != nil {
		return fmt.Errorf("document: facility: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO facility_messages (facility_id, title, body, sent_by, document_id)
		VALUES ($1, $2, $3, NULLIF($4::bigint, 0), $5)`, in.FacilityID, in.Title, note, operatorID, rc.DocumentID)
	if err != nil {
		return fmt.Errorf("document: address: %w", err)
	}
	rc.Recipients = 1
	if account == nil {
		rc.NoAccount = true
		return nil
	}
	var facilityName string
	if err := tx.QueryRow(ctx, `SELECT facility_name FROM accounts WHERE id = $1`, *account).Scan(&facilityName); err != nil {
		return fmt.Errorf("document: account: %w", err)
	}
	_, err = mail.Send(ctx, tx, mail.Message{To: email, Template: "document_waiting", FacilityID: in.FacilityID,
		Data: mail.DocumentWaiting{FacilityName: facilityName, Title: in.Title, BaseURL: s.baseURL}})
	return err
}

// toAudience addresses the document to the facilities of the accounts the filter selects,
// in one INSERT … SELECT, and queues the notice as a broadcast.
func (s *Service) toAudience(ctx context.Context, tx pgx.Tx, operatorID int64, in Input, note string, rc *Result) error {
	args := []any{in.Title, note, operatorID, rc.DocumentID}
	tag, err := tx.Exec(ctx, `INSERT INTO facility_messages (facility_id, title, body, sent_by, document_id)
		SELECT a.facility_id, $1, $2, NULLIF($3::bigint, 0), $4`+audience.From+in.Audience.Where(&args), args...)
	if err != nil {
		return fmt.Errorf("document: address: %w", err)
	}
	rc.Recipients = int(tag.RowsAffected())
	if rc.Recipients == 0 {
		return &InvalidError{Errors: form.Errors{"audience": broadcast.MsgNobody}}
	}
	rc.BroadcastID, err = s.broadcasts.QueueTx(ctx, tx, broadcast.Spec{Template: "document_waiting", Subject: "個別文書のお知らせ",
		Body: in.Title, Audience: in.Audience, DocumentID: rc.DocumentID, OperatorID: operatorID, Token: "document:" + in.Token})
	return err
}

// List returns the newest documents with how many recipients read them.
func (s *Service) List(ctx context.Context, limit, offset int) ([]Document, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("document: count: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT `+docColumns+` FROM documents d LEFT JOIN operators o ON o.id = d.created_by
		ORDER BY d.created_at DESC, d.id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("document: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Document, error) { return scanDoc(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("document: list: %w", err)
	}
	return list, total, nil
}

const docColumns = `d.id, d.title, d.filename, d.size, encode(d.sha256, 'hex'), d.audience_label, d.recipients,
	(SELECT count(*) FROM facility_messages m WHERE m.document_id = d.id AND m.read_at IS NOT NULL),
	coalesce(o.name, ''), d.created_at,
	coalesce((SELECT b.id FROM broadcasts b WHERE b.document_id = d.id ORDER BY b.id LIMIT 1), 0)`

func scanDoc(row pgx.Row) (Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.Title, &d.Filename, &d.Size, &d.SHA256, &d.AudienceLabel, &d.Recipients, &d.Read,
		&d.CreatedBy, &d.CreatedAt, &d.BroadcastID)
	return d, err
}

// Get returns one document with a page of its recipients: the unread first, then in
// order of code.
func (s *Service) Get(ctx context.Context, id int64, limit, offset int) (Document, []Recipient, error) {
	d, err := scanDoc(s.db.QueryRow(ctx, `SELECT `+docColumns+` FROM documents d LEFT JOIN operators o ON o.id = d.created_by
		WHERE d.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, nil, ErrNotFound
	}
	if err != nil {
		return d, nil, fmt.Errorf("document: %d: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `SELECT f.id, lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, f.name,
			EXISTS (SELECT 1 FROM accounts a WHERE a.facility_id = f.id), m.read_at
		FROM facility_messages m JOIN facilities f ON f.id = m.facility_id
		WHERE m.document_id = $1 ORDER BY m.read_at IS NOT NULL, f.prefecture_code, f.score_table_code, f.code
		LIMIT $2 OFFSET $3`, id, limit, offset)
	if err != nil {
		return d, nil, fmt.Errorf("document: recipients %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Recipient, error) {
		var x Recipient
		return x, r.Scan(&x.FacilityID, &x.Code, &x.Name, &x.HasAccount, &x.ReadAt)
	})
	if err != nil {
		return d, nil, fmt.Errorf("document: recipients %d: %w", id, err)
	}
	return d, list, nil
}

// File returns a document's content for the operators.
func (s *Service) File(ctx context.Context, id int64) (File, error) {
	var f File
	err := s.db.QueryRow(ctx, `SELECT filename, sha256, data FROM documents WHERE id = $1`, id).Scan(&f.Filename, &f.SHA256, &f.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("document: file %d: %w", id, err)
	}
	return f, nil
}

// FacilityFile returns the document of message messageID if that message is addressed to
// facilityID, and marks it read; anything else, whatever the ID, is ErrNotFound.
func (s *Service) FacilityFile(ctx context.Context, facilityID, messageID int64) (File, error) {
	var f File
	if facilityID <= 0 {
		return f, ErrNotFound
	}
	err := s.db.QueryRow(ctx, `WITH m AS (
			UPDATE facility_messages SET read_at = coalesce(read_at, now())
			WHERE id = $1 AND facility_id = $2 AND document_id IS NOT NULL RETURNING document_id)
		SELECT d.filename, d.sha256, d.data FROM m JOIN documents d ON d.id = m.document_id`, messageID, facilityID).
		Scan(&f.Filename, &f.SHA256, &f.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("document: facility file: %w", err)
	}
	return f, nil
}
