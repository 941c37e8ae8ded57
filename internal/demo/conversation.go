package demo

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/filecheck"
)

// demoTemplates are answer templates (回答テンプレート) an operator can try on a case.
var demoTemplates = [][2]string{
	{"パスワードを忘れた場合", "{{施設名}} ご担当者様\n\nお問い合わせいただき、ありがとうございます。\nログイン画面の「パスワードを忘れた方はこちら」から、登録済みのメールアドレスを入力してください。パスワード再設定用のURLをお送りします（有効期限は1時間です）。\n\n医療機関等コード：{{医療機関等コード}}"},
	{"アカウント登録案内文書を紛失した場合", "{{施設名}} ご担当者様\n\nアカウント登録案内文書を紛失・破棄された場合は、コールセンターで仮メールアドレスと仮パスワードを削除したうえで、「初めてご利用になる方（アカウント登録）」から登録できます。オンライン資格確認等コールセンター（0800-080-4583）へお電話ください。"},
}

// seedConversation adds the answer templates and a 個別文書 (a PDF) for the demo clinic.
func seedConversation(ctx context.Context, tx pgx.Tx) error {
	for i, t := range demoTemplates {
		if _, err := tx.Exec(ctx, `INSERT INTO inquiry_templates (title, body, sort_order) VALUES ($1, $2, $3)
			ON CONFLICT ON CONSTRAINT inquiry_templates_title_key DO NOTHING`, t[0], t[1], (i+1)*10); err != nil {
			return fmt.Errorf("demo template: %w", err)
		}
	}
	clinic, err := account.FacilityByIdentity(ctx, tx, demoClinic.pref, demoClinic.table, demoClinic.code)
	if err != nil {
		return fmt.Errorf("demo clinic: %w", err)
	}
	pdf := filecheck.SamplePDF("Demo document")
	sum := sha256.Sum256(pdf)
	var doc int64
	err = tx.QueryRow(ctx, `INSERT INTO documents (title, filename, size, sha256, data, token)
		VALUES ('顔認証付きカードリーダーの設置のお願い（デモ）', 'demo.pdf', $1, $2, $3, 'demo-document')
		ON CONFLICT (token) DO UPDATE SET token = EXCLUDED.token RETURNING id`, len(pdf), sum[:], pdf).Scan(&doc)
	if err != nil {
		return fmt.Errorf("demo document: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO facility_messages (facility_id, title, body, document_id)
		VALUES ($1, '顔認証付きカードリーダーの設置のお願い（デモ）', '添付のPDFファイルをご確認ください。（この文書はデモ用のサンプルです。）', $2)
		ON CONFLICT DO NOTHING`, clinic.ID, doc)
	if err != nil {
		return fmt.Errorf("demo document message: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE documents SET recipients = 1 WHERE id = $1`, doc)
	return err
}
