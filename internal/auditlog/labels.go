// Package auditlog reads the audit trail (操作履歴) as people read it: every action in
// Japanese from one label table, the operator's name, the facility the target belongs to,
// filters (who, what, facility, period), keyset pages from both ends with a capped count,
// and the CSV export. operator.Record writes the entries; this package only reads them.
package auditlog

import (
	"portal/internal/broadcast"
	"portal/internal/cardreader"
	"portal/internal/certificate"
	"portal/internal/content"
	"portal/internal/document"
	"portal/internal/inquiry"
	"portal/internal/operator"
	"portal/internal/outbox"
	"portal/internal/qualification"
)

// ActionExport is written when a supervisor downloads the audit trail.
const ActionExport = "audit.export"

// Action is one kind of audit entry as the back office names it.
type Action struct {
	Code  string
	Label string
}

// Actions is THE label table: every action the code writes with operator.Record, in the
// order the filter offers them. A test walks the source tree and fails on an action
// written anywhere that is missing here, so a new action comes with its label.
var Actions = []Action{
	{operator.ActionSignIn, "ログイン"},
	{operator.ActionSignOut, "ログアウト"},
	{operator.ActionSignInFailed, "ログイン失敗（パスワード）"},
	{operator.ActionCodeFailed, "ログイン失敗（確認コード）"},
	{operator.ActionEnrolled, "二要素認証の設定"},
	{operator.ActionRecoveryCodeUsed, "リカバリーコードでのログイン"},
	{operator.ActionPasswordChange, "パスワード変更"},
	{operator.ActionCreate, "オペレーターの登録"},
	{operator.ActionDisable, "オペレーターの利用停止"},
	{operator.ActionEnable, "オペレーターの利用再開"},
	{operator.ActionPasswordReset, "仮パスワードの発行"},
	{operator.ActionFactorReset, "二要素認証のリセット"},
	{operator.ActionRoleChange, "権限の変更"},
	{cardreader.AuditDeliveryDate, "カードリーダー配送予定日の設定"},
	{cardreader.AuditDeliveryDateCorrected, "カードリーダー配送予定日の訂正"},
	{cardreader.AuditShipped, "カードリーダー発送済の登録"},
	{cardreader.AuditExport, "カードリーダーのメーカー向けCSV出力"},
	{qualification.AuditApprove, "利用申請の承認"},
	{qualification.AuditReturn, "利用申請の差戻し"},
	{qualification.AuditExport, "利用申請のCSV出力"},
	{certificate.AuditIssue, "電子証明書の発行"},
	{certificate.AuditRevoke, "電子証明書の失効"},
	{certificate.AuditExport, "電子証明書のCSV出力"},
	// The facility page's call-center steps and the supervisors' batches (packages facility
	// and batch; written here by code, as those packages read this table).
	{"facility.provisional_delete", "仮メールアドレス・仮パスワードの削除"},
	{"facility.letter_reissue", "アカウント登録案内文書の再発行"},
	{"facility.notice_issue", "パスワード等通知書の発行"},
	{"facility.unlock", "ログイン停止の解除"},
	{"facility.password_reset_mail", "パスワード再設定メールの送信"},
	{"facility.registration_mail", "アカウント登録用URLメールの送信"},
	{"batch.master_import", "施設マスタの取込"},
	{"batch.letters", "アカウント登録案内文書の一括作成"},
	{"batch.letters_download", "案内文書CSVのダウンロード"},
	{"batch.done", "一括処理の完了"},
	{inquiry.ActionOpen, "電話の問い合わせの起票"},
	{inquiry.ActionAnswer, "問い合わせへの回答"},
	{inquiry.ActionNote, "問い合わせの内部メモ"},
	{inquiry.ActionStatus, "問い合わせの状態変更"},
	{inquiry.ActionUpdate, "問い合わせの担当・優先度の変更"},
	{inquiry.ActionLink, "問い合わせと医療機関等の紐付け"},
	{inquiry.ActionTemplateSave, "回答テンプレートの保存"},
	{inquiry.ActionTemplateDelete, "回答テンプレートの削除"},
	{content.ActionNewsCreate, "お知らせの作成"},
	{content.ActionNewsUpdate, "お知らせの編集"},
	{content.ActionNewsUnpublish, "お知らせの公開取りやめ"},
	{broadcast.ActionSend, "一斉送信"},
	{broadcast.ActionStop, "一斉送信の停止"},
	{document.ActionSend, "個別文書の送付"},
	{content.ActionCatalogAdd, "カタログ製品の追加"},
	{content.ActionCatalogUpdate, "カタログ製品の編集"},
	{content.ActionCatalogMove, "カタログの並び替え"},
	{content.ActionCatalogHide, "カタログ製品の非表示"},
	{content.ActionCatalogShow, "カタログ製品の再表示"},
	{outbox.ActionRetry, "メールの再試行"},
	{outbox.ActionResend, "メールの再送"},
	{ActionExport, "操作履歴のCSV出力"},
}

var actionLabels = func() map[string]string {
	m := make(map[string]string, len(Actions))
	for _, a := range Actions {
		m[a.Code] = a.Label
	}
	return m
}()

// Label is the action's Japanese name; an action missing from the table shows as written.
func Label(code string) string {
	if l, ok := actionLabels[code]; ok {
		return l
	}
	return code
}

// KnownAction reports whether code is in the label table.
func KnownAction(code string) bool { _, ok := actionLabels[code]; return ok }

// targetLabels name the target types the code writes.
var targetLabels = map[string]string{
	operator.TargetOperator:     "オペレーター",
	"facility":                  "医療機関等",
	"account":                   "アカウント",
	"provisional_credential":    "仮アカウント",
	"cardreader_application":    "カードリーダー申込",
	"cardreader_maker":          "カードリーダーメーカー",
	"qualification_application": "利用申請",
	"certificate":               "電子証明書",
	outbox.TargetMail:           "メール",
	inquiry.TargetInquiry:       "問い合わせ",
	inquiry.TargetTemplate:      "回答テンプレート",
	content.TargetNews:          "お知らせ",
	content.TargetCardReader:    "カタログ製品",
	broadcast.TargetBroadcast:   "一斉送信",
	document.TargetDocument:     "個別文書",
	"batch_run":                 "一括処理",
}

// TargetLabel is the target type's Japanese name.
func TargetLabel(targetType string) string {
	if l, ok := targetLabels[targetType]; ok {
		return l
	}
	return targetType
}

// detailLabels name the keys of the entries' details.
var detailLabels = map[string]string{
	"date": "日付", "previous": "変更前の日付", "maker": "メーカー", "status": "状態", "encoding": "文字コード",
	"login": "ログインID", "role": "権限", "from": "変更前", "to": "変更後", "reference": "申込番号",
	"name": "名称", "reason": "理由", "locked": "ロック", "replay": "使用済みコード", "template": "テンプレート",
	"facility_id": "施設ID", "new_mail_id": "再送メールID", "prefecture": "都道府県", "kind": "施設種別",
	"operator": "操作者", "action": "操作", "facility": "医療機関等", "from_date": "期間（から）", "to_date": "期間（まで）",
}
