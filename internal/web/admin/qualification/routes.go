// Package qualification is 申請処理（利用申請）in the back office: the filtered list of
// オンライン資格確認利用申請, one application with its history, approving it or sending it
// back with a reason (each confirmed on its own page), and the CSV export.
package qualification

import (
	"context"

	"github.com/go-chi/chi/v5"

	"portal/internal/operator"
	"portal/internal/qualification"
	"portal/internal/web/admin/applist"
	"portal/internal/web/site"
)

// Mount registers the 利用申請 pages of the back office (inside the operators' group).
func Mount(r chi.Router, s *site.Site, apps *qualification.Service) {
	lines := func(d qualification.Detail) []string {
		return append([]string{"申込番号 " + d.Application.Reference + "　" + d.Facility.Name + "（" + d.Facility.TenDigitCode() + "）"}, d.Lines...)
	}
	applist.Mount(r, &applist.Kind[qualification.Row, qualification.Detail]{Site: s, Path: "/admin/qualification",
		Name: "admin/qualification", CSV: "qualification", Statuses: qualification.Statuses,
		List: apps.List, Detail: apps.Detail, Export: apps.Export,
		Steps: []applist.Step[qualification.Detail]{
			{Slug: "approve", Title: "利用申請を承認する", Button: "承認する", Allowed: qualification.Detail.CanDecide,
				Lines: func(d qualification.Detail) []string {
					return append(lines(d), "承認すると医療機関等へメールで通知し、電子証明書発行申請ができるようになります。承認後は医療機関等が申請内容を変更できなくなります。")
				},
				Done: "利用申請を承認し、医療機関等へメールで通知しました。",
				Do: func(ctx context.Context, op operator.Operator, id int64, _ string) error {
					return apps.Approve(ctx, op, id)
				}},
			{Slug: "return", Title: "利用申請を差し戻す", Button: "差し戻す", ReasonLabel: "差戻しの理由", Allowed: qualification.Detail.CanDecide,
				Lines: func(d qualification.Detail) []string {
					return append(lines(d), "差戻しの理由は医療機関等へメールで送られます。医療機関等は内容を修正して再申請できます。")
				},
				Done: "利用申請を差し戻し、理由を医療機関等へメールで通知しました。",
				Do:   apps.SendBack},
		}})
}
