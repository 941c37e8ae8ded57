// Package certificate is 申請処理（電子証明書）in the back office: the filtered list of
// certificates, one certificate with its application's history, marking it 発行済 or 失効
// (each confirmed on its own page, mailed to the facility), and the CSV export.
package certificate

import (
	"context"

	"github.com/go-chi/chi/v5"

	"portal/internal/certificate"
	"portal/internal/operator"
	"portal/internal/web/admin/applist"
	"portal/internal/web/site"
)

// Mount registers the certificate pages of the back office (inside the operators' group).
func Mount(r chi.Router, s *site.Site, certs *certificate.Service) {
	lines := func(d certificate.Detail, what string) []string {
		c := d.Certificate
		return []string{"申込番号 " + c.Reference + "　" + d.Facility.Name + "（" + d.Facility.TenDigitCode() + "）",
			c.Label() + "　現在の状態：" + c.Status, what}
	}
	applist.Mount(r, &applist.Kind[certificate.Row, certificate.Detail]{Site: s, Path: "/admin/certificates",
		Name: "admin/certificate", CSV: "certificates", Statuses: certificate.Statuses,
		List: certs.Search, Detail: certs.Detail, Export: certs.Export,
		Steps: []applist.Step[certificate.Detail]{
			{Slug: "issue", Title: "電子証明書を発行済にする", Button: "発行済にする", Allowed: certificate.Detail.CanIssue,
				Lines: func(d certificate.Detail) []string {
					return lines(d, "発行済にすると医療機関等へメールで通知します。")
				},
				Done: "発行済にし、医療機関等へメールで通知しました。",
				Do: func(ctx context.Context, op operator.Operator, id int64, _ string) error {
					return certs.Issue(ctx, op, id)
				}},
			{Slug: "revoke", Title: "電子証明書を失効にする", Button: "失効にする", Danger: true, Allowed: certificate.Detail.CanRevoke,
				Lines: func(d certificate.Detail) []string {
					return lines(d, "失効にすると、この電子証明書ではオンライン資格確認等システムに接続できなくなります。医療機関等へメールで通知します。")
				},
				Done: "失効にし、医療機関等へメールで通知しました。",
				Do: func(ctx context.Context, op operator.Operator, id int64, _ string) error {
					return certs.Revoke(ctx, op, id)
				}},
		}})
}
