package broadcast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/audience"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/jobs"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Service runs the broadcast steps.
type Service struct {
	db      *pgxpool.Pool
	jobs    *jobs.Client
	baseURL string
	// ChunkSize is how many mails one transaction of the enqueue job writes.
	ChunkSize int
}

// DefaultChunkSize is the enqueue job's chunk: big enough that the set-based insert does
// the work, small enough that a transaction stays short and progress shows.
const DefaultChunkSize = 25000

// NewService returns the broadcast service and registers its enqueue job on q.
func NewService(db *pgxpool.Pool, q *jobs.Client, baseURL string) *Service {
	s := &Service{db: db, jobs: q, baseURL: baseURL, ChunkSize: DefaultChunkSize}
	jobs.Register(q, &enqueueWorker{s: s})
	return s
}

// Audit actions.
const (
	ActionSend = "broadcast.send"
	ActionStop = "broadcast.stop"
)

// TargetBroadcast is the audit target type of a broadcast.
const TargetBroadcast = "broadcast"

// Count returns how many accounts f selects now.
func (s *Service) Count(ctx context.Context, f audience.Filter) (int, error) {
	return audience.Count(ctx, s.db, f)
}

// Preview checks d and counts its recipients for the confirm page. A filter that matches
// nobody is refused with MsgNobody beside the conditions.
func (s *Service) Preview(ctx context.Context, d Draft) (Preview, error) {
	if errs := CheckDraft(d); !errs.Valid() {
		return Preview{}, &InvalidError{Errors: errs}
	}
	n, err := audience.Count(ctx, s.db, d.Audience)
	if err != nil {
		return Preview{}, err
	}
	if n == 0 {
		return Preview{}, &InvalidError{Errors: form.Errors{"audience": MsgNobody}}
	}
	subject, body, err := mail.Render("broadcast", s.mailData(d.Subject, d.Body, "（医療機関等名）"))
	if err != nil {
		return Preview{}, err
	}
	return Preview{Draft: d, Recipients: n, MailSubject: subject, MailBody: body}, nil
}

func (s *Service) mailData(subject, body, name string) mail.Broadcast {
	return mail.Broadcast{FacilityName: name, Subject: subject, Body: body, BaseURL: s.baseURL}
}

// Send is 送信する on the confirm page: the broadcast is recorded and its enqueue job
// queued in one transaction. token is the confirm page's single-use token: the same page
// posted twice sends once (the first broadcast's id is returned).
func (s *Service) Send(ctx context.Context, operatorID int64, d Draft, token string) (int64, error) {
	if errs := CheckDraft(d); !errs.Valid() {
		return 0, &InvalidError{Errors: errs}
	}
	if len(token) < 16 || len(token) > 64 {
		return 0, &InvalidError{Errors: form.Errors{"subject": "画面の有効期限が切れました。お手数ですが、入力画面からやり直してください。"}}
	}
	var id int64
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		id, err = s.QueueTx(ctx, tx, Spec{Template: "broadcast", Subject: d.Subject, Body: d.Body, Audience: d.Audience,
			OperatorID: operatorID, Token: token})
		return err
	})
	return id, err
}

// Spec is a broadcast to queue: its mail, its recipients and who sends it.
type Spec struct {
	Template string
	Subject  string
	Body     string
	Audience audience.Filter
	// DocumentID narrows the recipients to the facilities a 個別文書 was addressed to.
	DocumentID int64
	OperatorID int64
	Token      string
}

// QueueTx records a broadcast and queues its enqueue job in tx, the caller's
// transaction (a document's, say), so both exist only if the caller commits. Nobody to
// send to is an *InvalidError; a token already used returns that broadcast's id.
func (s *Service) QueueTx(ctx context.Context, tx pgx.Tx, sp Spec) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM broadcasts WHERE token = $1`, sp.Token).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("broadcast: queue: %w", err)
	}
	planned, err := s.recipients(ctx, tx, sp.Audience, sp.DocumentID)
	if err != nil {
		return 0, err
	}
	if planned == 0 {
		return 0, &InvalidError{Errors: form.Errors{"audience": MsgNobody}}
	}
	filter, err := json.Marshal(sp.Audience)
	if err != nil {
		return 0, fmt.Errorf("broadcast: queue: %w", err)
	}
	err = tx.QueryRow(ctx, `INSERT INTO broadcasts (template, subject, body, audience, audience_label, status, planned, created_by, token, document_id)
		VALUES ($1, $2, $3, $4, $5, 'enqueuing', $6, NULLIF($7::bigint, 0), $8, NULLIF($9::bigint, 0))
		ON CONFLICT (token) DO NOTHING RETURNING id`,
		sp.Template, sp.Subject, sp.Body, filter, sp.Audience.Label(), planned, sp.OperatorID, sp.Token, sp.DocumentID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// The same page, posted twice at once: the other request, which waited on the token
		// above and has committed, recorded the broadcast.
		if err := tx.QueryRow(ctx, `SELECT id FROM broadcasts WHERE token = $1`, sp.Token).Scan(&id); err != nil {
			return 0, fmt.Errorf("broadcast: queue: %w", err)
		}
		return id, nil
	}
	if err != nil {
		return 0, fmt.Errorf("broadcast: queue: %w", err)
	}
	if err := s.jobs.InsertTx(ctx, tx, enqueueArgs{BroadcastID: id}); err != nil {
		return 0, err
	}
	return id, operator.Record(ctx, tx, sp.OperatorID, ActionSend, TargetBroadcast, id,
		map[string]any{"subject": sp.Subject, "audience": sp.Audience.Label(), "planned": planned, "document_id": sp.DocumentID})
}

// recipientsFrom is the FROM … WHERE of a broadcast's recipients, its arguments appended.
func recipientsFrom(f audience.Filter, documentID int64, args *[]any) string {
	where := f.Where(args)
	if documentID != 0 {
		*args = append(*args, documentID)
		where += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM facility_messages m WHERE m.facility_id = a.facility_id AND m.document_id = $%d)`, len(*args))
	}
	return audience.From + where
}

func (s *Service) recipients(ctx context.Context, db database.DB, f audience.Filter, documentID int64) (int, error) {
	var args []any
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*)`+recipientsFrom(f, documentID, &args), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("broadcast: count recipients: %w", err)
	}
	return n, nil
}

// Stop is 送信を停止する: the mails not yet handed to a worker are cancelled and the
// enqueue job, if still running, writes no more. Stopping twice changes nothing.
func (s *Service) Stop(ctx context.Context, operatorID, id int64) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM broadcasts WHERE id = $1 FOR UPDATE`, id).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("broadcast: stop %d: %w", id, err)
		}
		if status == StatusStopped {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE broadcasts SET status = 'stopped', stopped_at = now(), stopped_by = $2 WHERE id = $1`, id, operatorID); err != nil {
			return fmt.Errorf("broadcast: stop %d: %w", id, err)
		}
		tag, err := tx.Exec(ctx, `UPDATE mail_outbox SET status = 'cancelled', next_attempt_at = now()
			WHERE broadcast_id = $1 AND status = 'queued'`, id)
		if err != nil {
			return fmt.Errorf("broadcast: cancel mails of %d: %w", id, err)
		}
		return operator.Record(ctx, tx, operatorID, ActionStop, TargetBroadcast, id, map[string]any{"cancelled": tag.RowsAffected()})
	})
}

// columns selects a Broadcast from broadcasts b with its creator c and stopper p.
const columns = `b.id, b.template, b.subject, b.body, b.audience, b.audience_label, coalesce(b.document_id, 0), b.status,
	b.planned, b.enqueued, coalesce(c.name, ''), b.created_at, b.enqueued_at, coalesce(p.name, ''), b.stopped_at`

const from = ` FROM broadcasts b LEFT JOIN operators c ON c.id = b.created_by LEFT JOIN operators p ON p.id = b.stopped_by `

func scan(row pgx.Row) (Broadcast, error) {
	var b Broadcast
	var filter []byte
	err := row.Scan(&b.ID, &b.Template, &b.Subject, &b.Body, &filter, &b.AudienceLabel, &b.DocumentID, &b.Status,
		&b.Planned, &b.Enqueued, &b.CreatedBy, &b.CreatedAt, &b.EnqueuedAt, &b.StoppedBy, &b.StoppedAt)
	if err != nil {
		return b, err
	}
	_ = json.Unmarshal(filter, &b.Audience)
	return b, nil
}

// Get returns one broadcast with its progress.
func (s *Service) Get(ctx context.Context, id int64) (Broadcast, error) {
	b, err := scan(s.db.QueryRow(ctx, `SELECT `+columns+from+`WHERE b.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("broadcast: %d: %w", id, err)
	}
	rows, err := s.db.Query(ctx, `SELECT status, count(*) FROM mail_outbox WHERE broadcast_id = $1 GROUP BY status`, id)
	if err != nil {
		return b, fmt.Errorf("broadcast: progress %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return b, fmt.Errorf("broadcast: progress %d: %w", id, err)
		}
		switch st {
		case mail.StatusQueued:
			b.Progress.Queued = n
		case mail.StatusSending:
			b.Progress.Sending = n
		case mail.StatusSent:
			b.Progress.Sent = n
		case mail.StatusFailed:
			b.Progress.Failed = n
		case mail.StatusCancelled:
			b.Progress.Cancelled = n
		}
	}
	return b, rows.Err()
}

// List returns the newest broadcasts (documents' notices included), at most limit after
// offset, each with whether mails are still left (Progress.Queued is 1 when some are).
func (s *Service) List(ctx context.Context, limit, offset int) ([]Broadcast, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM broadcasts`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("broadcast: count: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT `+columns+`, EXISTS (SELECT 1 FROM mail_outbox o
			WHERE o.broadcast_id = b.id AND o.status IN ('queued', 'sending'))`+from+`
		ORDER BY b.created_at DESC, b.id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("broadcast: list: %w", err)
	}
	defer rows.Close()
	var out []Broadcast
	for rows.Next() {
		var b Broadcast
		var filter []byte
		var left bool
		if err := rows.Scan(&b.ID, &b.Template, &b.Subject, &b.Body, &filter, &b.AudienceLabel, &b.DocumentID, &b.Status,
			&b.Planned, &b.Enqueued, &b.CreatedBy, &b.CreatedAt, &b.EnqueuedAt, &b.StoppedBy, &b.StoppedAt, &left); err != nil {
			return nil, 0, fmt.Errorf("broadcast: list: %w", err)
		}
		_ = json.Unmarshal(filter, &b.Audience)
		if left {
			b.Progress.Queued = 1
		}
		out = append(out, b)
	}
	return out, total, rows.Err()
}
