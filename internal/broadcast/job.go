package broadcast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"portal/internal/audience"
	"portal/internal/database"
	"portal/internal/jobs"
	"portal/internal/mail"
)

// enqueueArgs is the job that writes a broadcast's mails to the outbox.
type enqueueArgs struct {
	BroadcastID int64 `json:"broadcast_id"`
}

// Kind names the job in river_job; never rename a kind that may be queued.
func (enqueueArgs) Kind() string { return "broadcast.enqueue" }

type enqueueWorker struct {
	river.WorkerDefaults[enqueueArgs]
	s *Service
}

// Timeout lets the job write a quarter of a million mails on a busy machine; each chunk
// commits on its own, so a job cut short resumes where it stopped.
func (w *enqueueWorker) Timeout(*river.Job[enqueueArgs]) time.Duration { return 15 * time.Minute }

// Work writes the broadcast's mails chunk by chunk, each chunk in its own transaction
// with the broadcast's cursor, and completes the job in the transaction of the last.
func (w *enqueueWorker) Work(ctx context.Context, job *river.Job[enqueueArgs]) error {
	for {
		done := false
		err := database.WithTx(ctx, w.s.db, func(tx pgx.Tx) error {
			var err error
			if done, err = w.s.enqueueChunk(ctx, tx, job.Args.BroadcastID); err != nil || !done {
				return err
			}
			return jobs.CompleteTx(ctx, tx, job)
		})
		if err != nil || done {
			return err
		}
	}
}

// EnqueueAll runs the enqueue of broadcast id to the end in the calling goroutine (the
// benchmark, and a tool for an operator who must not wait for the job client).
func (s *Service) EnqueueAll(ctx context.Context, id int64) error {
	for {
		done := false
		err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
			var err error
			done, err = s.enqueueChunk(ctx, tx, id)
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// enqueueChunk writes the next ChunkSize mails of broadcast id after its cursor, in tx,
// and reports whether the broadcast has nothing more to write (all written, or stopped).
// The broadcast row is locked first, so a stop waits for the chunk or the chunk sees it.
func (s *Service) enqueueChunk(ctx context.Context, tx pgx.Tx, id int64) (bool, error) {
	var (
		status, template, subject, body string
		filter                          []byte
		cursor, documentID              int64
		title                           string
	)
	err := tx.QueryRow(ctx, `SELECT b.status, b.template, b.subject, b.body, b.audience, b.cursor_account,
			coalesce(b.document_id, 0), coalesce(d.title, '')
		FROM broadcasts b LEFT JOIN documents d ON d.id = b.document_id WHERE b.id = $1 FOR UPDATE OF b`, id).
		Scan(&status, &template, &subject, &body, &filter, &cursor, &documentID, &title)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, nil // nothing to do for a broadcast that does not exist
	}
	if err != nil {
		return false, fmt.Errorf("broadcast: enqueue %d: %w", id, err)
	}
	if status != StatusEnqueuing {
		return true, nil
	}
	var f audience.Filter
	if err := json.Unmarshal(filter, &f); err != nil {
		return false, fmt.Errorf("broadcast: enqueue %d: audience: %w", id, err)
	}
	args := []any{cursor}
	fromWhere := recipientsFrom(f, documentID, &args)
	var upto *int64
	err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT max(id) FROM (SELECT a.id%s AND a.id > $1 ORDER BY a.id LIMIT %d) chunk`,
		fromWhere, s.ChunkSize), args...).Scan(&upto)
	if err != nil {
		return false, fmt.Errorf("broadcast: enqueue %d: next chunk: %w", id, err)
	}
	if upto == nil {
		_, err := tx.Exec(ctx, `UPDATE broadcasts SET status = 'sending', enqueued_at = now() WHERE id = $1`, id)
		if err != nil {
			return false, fmt.Errorf("broadcast: enqueue %d: finish: %w", id, err)
		}
		return true, nil
	}
	args = append(args, *upto)
	recipients := fmt.Sprintf(`SELECT a.email, a.facility_id, a.facility_name%s AND a.id > $1 AND a.id <= $%d`, fromWhere, len(args))
	var data any = mail.Broadcast{FacilityName: mail.FacilityNameMarker, Subject: subject, Body: body, BaseURL: s.baseURL}
	if template == "document_waiting" {
		data = mail.DocumentWaiting{FacilityName: mail.FacilityNameMarker, Title: title, BaseURL: s.baseURL}
	}
	n, err := mail.SendBulk(ctx, tx, mail.Bulk{Template: template, Data: data, BroadcastID: id}, recipients, args...)
	if err != nil {
		return false, err
	}
	_, err = tx.Exec(ctx, `UPDATE broadcasts SET enqueued = enqueued + $2, cursor_account = $3 WHERE id = $1`, id, n, *upto)
	if err != nil {
		return false, fmt.Errorf("broadcast: enqueue %d: progress: %w", id, err)
	}
	return false, nil
}
