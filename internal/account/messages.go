package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Message is a document the fund addresses to one facility (個別の保険医療機関等に宛てた文書),
// shown on that facility's マイページ.
type Message struct {
	ID         int64
	FacilityID int64
	Title      string
	Body       string
	CreatedAt  time.Time
	ReadAt     *time.Time
	// DocumentID is the 個別文書 (a PDF) the message carries, 0 for a text only; FileName
	// and FileSize describe it.
	DocumentID int64
	FileName   string
	FileSize   int
}

// Unread reports whether the facility has not opened the message yet.
func (m Message) Unread() bool { return m.ReadAt == nil }

// Limits of a message.
const (
	MaxMessageTitle = 200
	MaxMessageBody  = 20000
)

// ErrMessageInvalid means a message's title or body is empty or too long.
var ErrMessageInvalid = errors.New("account: message title or body empty or too long")

// messageColumns selects a Message from facility_messages m LEFT JOIN documents d.
const messageColumns = `m.id, m.facility_id, m.title, m.body, m.created_at, m.read_at,
	coalesce(m.document_id, 0), coalesce(d.filename, ''), coalesce(d.size, 0)`

const messageFrom = ` FROM facility_messages m LEFT JOIN documents d ON d.id = m.document_id `

func scanMessage(row pgx.Row) (Message, error) {
	var m Message
	err := row.Scan(&m.ID, &m.FacilityID, &m.Title, &m.Body, &m.CreatedAt, &m.ReadAt, &m.DocumentID, &m.FileName, &m.FileSize)
	if errors.Is(err, pgx.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	return m, err
}

// SendMessage addresses a message to a facility; operatorID is the sender (0 for the system).
func SendMessage(ctx context.Context, db database.DB, facilityID, operatorID int64, title, body string) (Message, error) {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" || body == "" || utf8.RuneCountInString(title) > MaxMessageTitle || utf8.RuneCountInString(body) > MaxMessageBody {
		return Message{}, ErrMessageInvalid
	}
	var sender *int64
	if operatorID != 0 {
		sender = &operatorID
	}
	m, err := scanMessage(db.QueryRow(ctx, `WITH m AS (INSERT INTO facility_messages (facility_id, title, body, sent_by)
		VALUES ($1, $2, $3, $4) RETURNING *) SELECT `+messageColumns+` FROM m LEFT JOIN documents d ON d.id = m.document_id`,
		facilityID, title, body, sender))
	if err != nil {
		return Message{}, fmt.Errorf("account: send message: %w", err)
	}
	return m, nil
}

// MessagesFor lists the facility's messages, newest first, at most limit of them.
func MessagesFor(ctx context.Context, db database.DB, facilityID int64, limit int) ([]Message, error) {
	rows, err := db.Query(ctx, `SELECT `+messageColumns+messageFrom+`WHERE m.facility_id = $1
		ORDER BY m.created_at DESC, m.id DESC LIMIT $2`, facilityID, limit)
	if err != nil {
		return nil, fmt.Errorf("account: messages: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("account: messages: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: messages: %w", err)
	}
	return out, nil
}

// QueueMessages queues MessagesFor on b; *into holds them once b was read.
func QueueMessages(b *pgx.Batch, facilityID int64, limit int, into *[]Message) {
	b.Queue(`SELECT `+messageColumns+messageFrom+`WHERE m.facility_id = $1
		ORDER BY m.created_at DESC, m.id DESC LIMIT $2`, facilityID, limit).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				return fmt.Errorf("account: messages: %w", err)
			}
			*into = append(*into, m)
		}
		return rows.Err()
	})
}

// OpenMessage returns the facility's message id and marks it read. Another facility's
// message is ErrNotFound, the same as none at all.
func OpenMessage(ctx context.Context, db database.DB, facilityID, id int64) (Message, error) {
	m, err := scanMessage(db.QueryRow(ctx, `WITH m AS (UPDATE facility_messages SET read_at = coalesce(read_at, now())
		WHERE id = $1 AND facility_id = $2 RETURNING *) SELECT `+messageColumns+` FROM m LEFT JOIN documents d ON d.id = m.document_id`,
		id, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return m, fmt.Errorf("account: open message: %w", err)
	}
	return m, err
}
