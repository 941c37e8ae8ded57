package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"portal/internal/database"
)

// Actions written by this package. Other areas name theirs "<area>.<verb>" in the same way
// (e.g. "cardreader.status_change") and keep the constants in their own package.
const (
	// ActionSignIn is a completed sign-in: password and second factor.
	ActionSignIn       = "operator.signin"
	ActionSignOut      = "operator.signout"
	ActionSignInFailed = "operator.signin_failed"
	// ActionCodeFailed is a wrong (or replayed) second-factor code.
	ActionCodeFailed       = "operator.code_failed"
	ActionEnrolled         = "operator.totp_enrolled"
	ActionRecoveryCodeUsed = "operator.recovery_code_used"
	ActionPasswordChange   = "operator.password_change"
	// The supervisors' steps on operator accounts (オペレーター管理).
	ActionCreate        = "operator.create"
	ActionDisable       = "operator.disable"
	ActionEnable        = "operator.enable"
	ActionPasswordReset = "operator.password_reset"
	ActionFactorReset   = "operator.factor_reset"
	ActionRoleChange    = "operator.role_change"
)

// TargetOperator is the target type of entries about an operator account itself. Other
// areas use their own nouns: "facility", "account", "cardreader_application", ...
const TargetOperator = "operator"

// AuditEntry is one line of the audit trail (操作履歴).
type AuditEntry struct {
	ID           int64
	At           time.Time
	OperatorID   int64  // 0 for the system itself
	OperatorName string // empty for the system itself
	Action       string
	TargetType   string
	TargetID     int64 // 0 when the action has no single target
	Detail       json.RawMessage
}

// Record writes an audit entry. Pass the transaction of the change being recorded as db, so
// the entry and the change commit or roll back together. operatorID 0 means the system;
// targetID 0 means no single target; detail is marshalled to JSON (nil gives {}) and must
// hold no secrets.
func Record(ctx context.Context, db database.DB, operatorID int64, action, targetType string, targetID int64, detail any) error {
	raw := []byte("{}")
	if detail != nil {
		var err error
		if raw, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("operator: audit detail: %w", err)
		}
	}
	_, err := db.Exec(ctx, `INSERT INTO audit_log (operator_id, action, target_type, target_id, detail)
		VALUES (NULLIF($1::bigint, 0), $2, $3, NULLIF($4::bigint, 0), $5)`, operatorID, action, targetType, targetID, raw)
	if err != nil {
		return fmt.Errorf("operator: record %s: %w", action, err)
	}
	return nil
}

// AuditQuery selects audit entries; zero fields do not filter.
type AuditQuery struct {
	OperatorID int64
	TargetType string
	TargetID   int64
	// Limit caps the entries returned, newest first; 0 means 100.
	Limit int
}

// AuditEntries returns the entries matching q, newest first.
func AuditEntries(ctx context.Context, db database.DB, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	rows, err := db.Query(ctx, `SELECT l.id, l.at, coalesce(l.operator_id, 0), coalesce(o.name, ''),
			l.action, l.target_type, coalesce(l.target_id, 0), l.detail
		FROM audit_log l LEFT JOIN operators o ON o.id = l.operator_id
		WHERE ($1::bigint = 0 OR l.operator_id = $1)
		  AND ($2::text = '' OR l.target_type = $2)
		  AND ($3::bigint = 0 OR l.target_id = $3)
		ORDER BY l.at DESC, l.id DESC
		LIMIT $4`, q.OperatorID, q.TargetType, q.TargetID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("operator: audit entries: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.OperatorID, &e.OperatorName, &e.Action, &e.TargetType, &e.TargetID, &e.Detail); err != nil {
			return nil, fmt.Errorf("operator: audit entries: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("operator: audit entries: %w", err)
	}
	return out, nil
}
