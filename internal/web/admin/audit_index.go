package admin

import (
	"fmt"
	"net/http"

	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// auditPage is the audit log (操作履歴): the latest operator actions.
type auditPage struct {
	site.AdminBase
	Rows []auditRow
}

// auditRow is one audit entry as the table shows it.
type auditRow struct {
	At       string
	Operator string
	Action   string
	Target   string
	Detail   string
}

// auditActionLabels names the actions in Japanese; actions without a label show as written.
var auditActionLabels = map[string]string{
	operator.ActionSignIn:       "ログイン",
	operator.ActionSignOut:      "ログアウト",
	operator.ActionSignInFailed: "ログイン失敗",
}

// auditIndex lists the latest 100 audit entries; supervisors only.
func (h *Handler) auditIndex(w http.ResponseWriter, r *http.Request) {
	entries, err := h.operators.Audit(r.Context(), operator.AuditQuery{Limit: 100})
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &auditPage{Rows: make([]auditRow, 0, len(entries))}
	for _, e := range entries {
		row := auditRow{At: jp.DateTime(e.At), Operator: e.OperatorName,
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
	h.RenderAdmin(w, r, http.StatusOK, "admin/audit", page)
}
