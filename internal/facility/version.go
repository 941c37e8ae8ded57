package facility

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/jp"
)

// snapshot is what an operator's step depends on, as the facility page showed it: the
// account (and when it last changed), the lock-out, the live provisional credential and
// the newest audit entry on the facility. A step carries it back (Version) and is refused
// when the facility changed in between, with what changed (StaleError): the operator
// decides again on what is true now, and nothing is done twice.
type snapshot struct {
	AccountID      int64
	AccountUpdated int64 // unix microseconds
	SessionVersion int
	Locked         bool
	ProvisionalID  int64
	LastAudit      int64
}

// String is the snapshot as the page carries it (Detail.Version).
func (s snapshot) String() string {
	locked := 0
	if s.Locked {
		locked = 1
	}
	return fmt.Sprintf("v1.%d.%d.%d.%d.%d.%d", s.AccountID, s.AccountUpdated, s.SessionVersion, locked, s.ProvisionalID, s.LastAudit)
}

// parseVersion reads snapshot.String; ok is false for anything else.
func parseVersion(v string) (snapshot, bool) {
	parts := strings.Split(v, ".")
	if len(v) > 200 || len(parts) != 7 || parts[0] != "v1" {
		return snapshot{}, false
	}
	var n [6]int64
	for i, p := range parts[1:] {
		x, err := strconv.ParseInt(p, 10, 64)
		if err != nil || x < 0 {
			return snapshot{}, false
		}
		n[i] = x
	}
	if n[3] > 1 {
		return snapshot{}, false
	}
	return snapshot{AccountID: n[0], AccountUpdated: n[1], SessionVersion: int(n[2]), Locked: n[3] == 1,
		ProvisionalID: n[4], LastAudit: n[5]}, true
}

// readSnapshot reads the facility's snapshot; in a step's transaction after the facility
// row is locked, so no other step changes it until the step commits.
func readSnapshot(ctx context.Context, db database.DB, facilityID int64) (snapshot, error) {
	var s snapshot
	var updated *time.Time
	err := db.QueryRow(ctx, `SELECT coalesce(a.id, 0), a.updated_at, coalesce(a.session_version, 0),
			EXISTS (SELECT 1 FROM login_throttle t WHERE t.login IN (lower(a.email), lower(p.login_id)) AND t.locked_until > now()),
			coalesce(p.id, 0),
			coalesce((SELECT max(l.id) FROM audit_log l WHERE l.target_type = $2 AND l.target_id = f.id), 0)
		FROM facilities f
		LEFT JOIN accounts a ON a.facility_id = f.id
		LEFT JOIN provisional_credentials p ON p.facility_id = f.id AND p.used_at IS NULL AND p.deleted_at IS NULL
		WHERE f.id = $1`, facilityID, TargetFacility).Scan(&s.AccountID, &updated, &s.SessionVersion, &s.Locked, &s.ProvisionalID, &s.LastAudit)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("facility: snapshot: %w", err)
	}
	if updated != nil {
		s.AccountUpdated = updated.UnixMicro()
	}
	return s, nil
}

// StaleError refuses a step because the facility changed after the operator's page was
// drawn. Changes says what, in Japanese, one line each; Version is the state now, for the
// operator who confirms again.
type StaleError struct {
	Changes []string
	Version string
}

func (e *StaleError) Error() string {
	return "facility: changed since the page was shown: " + strings.Join(e.Changes, " / ")
}

// MsgVersionUnknown explains a step sent without a readable version (an old or edited page).
const MsgVersionUnknown = "画面を開いた時点の状態を確認できませんでした。最新の状態を確認してから、もう一度操作してください。"

// stale compares the version the operator saw with now; nil when nothing changed.
func stale(ctx context.Context, db database.DB, facilityID int64, seen string, now snapshot) (*StaleError, error) {
	old, ok := parseVersion(seen)
	if !ok {
		return &StaleError{Changes: []string{MsgVersionUnknown}, Version: now.String()}, nil
	}
	if old == now {
		return nil, nil
	}
	var changes []string
	switch {
	case old.AccountID == 0 && now.AccountID != 0:
		changes = append(changes, "医療機関等がアカウントを登録しました。")
	case old.AccountID != now.AccountID:
		changes = append(changes, "アカウントが変わりました。")
	case old.AccountUpdated != now.AccountUpdated || old.SessionVersion != now.SessionVersion:
		changes = append(changes, "アカウントの登録内容（メールアドレス・パスワード等）が変更されました。")
	}
	switch {
	case !old.Locked && now.Locked:
		changes = append(changes, "ログインの失敗が続いたため、ログインが一時停止されました。")
	case old.Locked && !now.Locked:
		changes = append(changes, "ログインの一時停止が解除されたか、停止期間が過ぎました。")
	}
	switch {
	case old.ProvisionalID != 0 && now.ProvisionalID == 0:
		changes = append(changes, "仮メールアドレス・仮パスワードが削除されたか、使用されました。")
	case old.ProvisionalID != now.ProvisionalID:
		changes = append(changes, "新しい仮メールアドレス・仮パスワードが発行されました。")
	}
	if now.LastAudit > old.LastAudit {
		entries, err := auditTrail(ctx, db, facilityID, old.LastAudit)
		if err != nil {
			return nil, err
		}
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if e.TargetType != TargetFacility {
				continue
			}
			who := e.OperatorName
			if who == "" {
				who = "システム"
			}
			changes = append(changes, fmt.Sprintf("%s　%sさんが「%s」を行いました。", jp.DateTime(e.At), who, ActionLabel(e.Action)))
		}
	}
	if len(changes) == 0 {
		changes = append(changes, "画面を開いた後に、この施設の状態が変わりました。")
	}
	return &StaleError{Changes: changes, Version: now.String()}, nil
}
