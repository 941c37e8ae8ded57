package web

import (
	"fmt"
	"net/http"
	"time"

	"portal/internal/operator"
)

// adminAuditPage is the audit log (操作履歴): the latest operator actions.
type adminAuditPage struct {
	AdminBase
	Rows []adminAuditRow
}

// adminAuditRow is one audit entry as the table shows it.
type adminAuditRow struct {
	At       string
	Operator string
	Action   string
	Target   string
	Detail   string
}

// callCenterZone is the time zone the call center works in; fixed, so no tz database is needed.
var callCenterZone = time.FixedZone("JST", 9*60*60)

// auditActionLabels names the actions in Japanese; actions without a label show as written.
var auditActionLabels = map[string]string{
	operator.ActionSignIn:       "ログイン",
	operator.ActionSignOut:      "ログアウト",
	operator.ActionSignInFailed: "ログイン失敗",
}

// adminAuditIndex lists the latest 100 audit entries; supervisors only.
func (s *Server) adminAuditIndex(w http.ResponseWriter, r *http.Request) {
	entries, err := operator.AuditEntries(r.Context(), s.db, operator.AuditQuery{Limit: 100})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := &adminAuditPage{Rows: make([]adminAuditRow, 0, len(entries))}
	for _, e := range entries {
		row := adminAuditRow{At: e.At.In(callCenterZone).Format("2006/01/02 15:04:05"), Operator: e.OperatorName,
			Action: e.Action, Target: e.TargetType, Detail: string(e.Detail)}
		if row.Operator == "" {
			row.Operator = "システム"
		}
		if l, ok := auditActionLabels[e.Action]; ok {
			row.Action = l
		}
		if e.TargetID != 0 {
			row.Target += fmt.Sprintf(" #%d", e.TargetID)
		}
		if row.Detail == "{}" {
			row.Detail = ""
		}
		page.Rows = append(page.Rows, row)
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_audit", page)
}
