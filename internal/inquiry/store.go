package inquiry

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/filecheck"
	"portal/internal/jp"
)

// NewReference draws the next 問い合わせ番号: IQ, the JST date of receipt and a six-digit
// serial, e.g. IQ261201-000001. The date is Japan's, so a case sent at 08:00 JST carries
// today's date, not yesterday's (UTC).
func NewReference(ctx context.Context, db database.DB, now time.Time) (string, error) {
	var n int64
	if err := db.QueryRow(ctx, `SELECT nextval('inquiry_reference_seq')`).Scan(&n); err != nil {
		return "", fmt.Errorf("inquiry: reference: %w", err)
	}
	return fmt.Sprintf("IQ%s-%06d", now.In(jp.Zone).Format("060102"), n), nil
}

// inquiryColumns selects an Inquiry from inquiries i LEFT JOIN facilities f LEFT JOIN
// operators o (the assignee), in the order of scanInquiry.
const inquiryColumns = `i.id, i.reference, i.status, i.priority, i.channel, i.category,
	coalesce(i.facility_id, 0), coalesce(f.name, ''),
	coalesce(lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, ''),
	coalesce(i.account_id, 0), i.facility_code, i.name, i.email, i.phone,
	coalesce(i.assignee_id, 0), coalesce(o.name, ''), coalesce(i.opened_by, 0), i.created_at, i.updated_at`

const inquiryFrom = ` FROM inquiries i LEFT JOIN facilities f ON f.id = i.facility_id LEFT JOIN operators o ON o.id = i.assignee_id `

func scanInquiry(row pgx.Row) (Inquiry, error) {
	var x Inquiry
	err := row.Scan(&x.ID, &x.Reference, &x.Status, &x.Priority, &x.Channel, &x.Category, &x.FacilityID, &x.FacilityName,
		&x.FacilityCode, &x.AccountID, &x.GivenCode, &x.Name, &x.Email, &x.Phone, &x.AssigneeID, &x.AssigneeName,
		&x.OpenedBy, &x.CreatedAt, &x.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return x, ErrNotFound
	}
	return x, err
}

// byID returns a case; facilityID, when not 0, must be the case's facility (anything else
// is ErrNotFound, as if it did not exist). lock takes the row for the transaction's step.
func byID(ctx context.Context, db database.DB, id, facilityID int64, lock bool) (Inquiry, error) {
	q := `SELECT ` + inquiryColumns + inquiryFrom + `WHERE i.id = $1 AND ($2::bigint = 0 OR i.facility_id = $2)`
	if lock {
		q += ` FOR UPDATE OF i`
	}
	x, err := scanInquiry(db.QueryRow(ctx, q, id, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return x, fmt.Errorf("inquiry: case %d: %w", id, err)
	}
	return x, err
}

// thread returns a case's entries, oldest first; internal ones (notes, events) only when
// withInternal.
func thread(ctx context.Context, db database.DB, id int64, withInternal bool) ([]Message, error) {
	rows, err := db.Query(ctx, `SELECT m.id, m.kind, coalesce(m.operator_id, 0), coalesce(o.name, ''), m.body,
			coalesce(m.mail_id, 0), m.created_at
		FROM inquiry_messages m LEFT JOIN operators o ON o.id = m.operator_id
		WHERE m.inquiry_id = $1 AND ($2 OR m.kind IN ('question', 'reply', 'answer'))
		ORDER BY m.created_at, m.id`, id, withInternal)
	if err != nil {
		return nil, fmt.Errorf("inquiry: thread %d: %w", id, err)
	}
	msgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) {
		var m Message
		return m, r.Scan(&m.ID, &m.Kind, &m.OperatorID, &m.OperatorName, &m.Body, &m.MailID, &m.CreatedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("inquiry: thread %d: %w", id, err)
	}
	rows, err = db.Query(ctx, `SELECT id, message_id, filename, content_type, size FROM inquiry_attachments
		WHERE inquiry_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("inquiry: attachments %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a AttachmentInfo
		var msgID int64
		if err := rows.Scan(&a.ID, &msgID, &a.Filename, &a.ContentType, &a.Size); err != nil {
			return nil, fmt.Errorf("inquiry: attachments %d: %w", id, err)
		}
		for i := range msgs {
			if msgs[i].ID == msgID {
				msgs[i].Attachments = append(msgs[i].Attachments, a)
			}
		}
	}
	return msgs, rows.Err()
}

// addMessage writes a thread entry. With a token, a second entry with the same token is
// not written and added is false: the same form posted twice.
func addMessage(ctx context.Context, db database.DB, inquiryID int64, kind string, operatorID int64, body, token string) (id int64, added bool, err error) {
	var tok *string
	if token != "" {
		tok = &token
	}
	err = db.QueryRow(ctx, `INSERT INTO inquiry_messages (inquiry_id, kind, operator_id, body, token)
		VALUES ($1, $2, NULLIF($3::bigint, 0), $4, $5)
		ON CONFLICT (inquiry_id, token) DO NOTHING RETURNING id`, inquiryID, kind, operatorID, body, tok).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("inquiry: add %s: %w", kind, err)
	}
	return id, true, nil
}

// touch sets a case's status and marks it changed now.
func touch(ctx context.Context, db database.DB, id int64, status Status) error {
	if _, err := db.Exec(ctx, `UPDATE inquiries SET status = $2, updated_at = now() WHERE id = $1`, id, status); err != nil {
		return fmt.Errorf("inquiry: update %d: %w", id, err)
	}
	return nil
}

// storeAttachment keeps an uploaded file with its checksum.
func storeAttachment(ctx context.Context, db database.DB, inquiryID, messageID int64, up Upload) error {
	ct, err := filecheck.Detect(up.Data, AttachmentTypes...)
	if err != nil {
		return &InvalidError{Errors: map[string]string{"attachment": "添付できるのはPDF・PNG・JPEGのファイルです。"}}
	}
	sum := sha256.Sum256(up.Data)
	_, err = db.Exec(ctx, `INSERT INTO inquiry_attachments (inquiry_id, message_id, filename, content_type, size, sha256, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, inquiryID, messageID, filecheck.CleanName(up.Filename, ct), ct, len(up.Data), sum[:], up.Data)
	if err != nil {
		return fmt.Errorf("inquiry: store attachment: %w", err)
	}
	return nil
}

// File is a stored attachment with its content.
type File struct {
	AttachmentInfo
	SHA256 []byte
	Data   []byte
}

// attachment returns an attachment; facilityID, when not 0, must be its case's facility
// and the file must belong to what the facility may see (the question or a reply).
func attachment(ctx context.Context, db database.DB, id, facilityID int64) (File, error) {
	var f File
	err := db.QueryRow(ctx, `SELECT a.id, a.filename, a.content_type, a.size, a.sha256, a.data
		FROM inquiry_attachments a JOIN inquiries i ON i.id = a.inquiry_id
		WHERE a.id = $1 AND ($2::bigint = 0 OR i.facility_id = $2)`, id, facilityID).
		Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return File{}, ErrNotFound
	}
	if err != nil {
		return File{}, fmt.Errorf("inquiry: attachment %d: %w", id, err)
	}
	return f, nil
}
