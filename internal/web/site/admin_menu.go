package site

import "portal/internal/operator"

// AdminMenuEntry is one entry of the back-office menu.
type AdminMenuEntry struct {
	Label string
	// Path is the entry's page; empty while the page is not built (shown as 準備中).
	Path string
	// Supervisor hides the entry from operators. Guard its routes with RequireSupervisor
	// too: the menu only hides, the guard refuses.
	Supervisor bool
}

// AdminMenu is the back office (SPEC §7) in the order shown. An area that builds one of
// these pages sets its Path here (a one-line edit); new entries go where they belong.
var AdminMenu = []AdminMenuEntry{
	{Label: "管理メニュー", Path: AdminHomePath},
	{Label: "施設検索", Path: "/admin/facilities"},
	{Label: "申請処理（顔認証付きカードリーダー）", Path: "/admin/cardreader"},
	{Label: "申請処理（利用申請）", Path: "/admin/qualification"},
	{Label: "申請処理（電子証明書）", Path: "/admin/certificates"},
	{Label: "申請処理（補助金）"},
	{Label: "承継届出"},
	{Label: "お問い合わせ対応", Path: "/admin/inquiries"},
	{Label: "メール送信状況", Path: "/admin/mails"},
	{Label: "お知らせ", Path: "/admin/news", Supervisor: true},
	{Label: "一斉送信", Path: "/admin/broadcasts", Supervisor: true},
	{Label: "個別文書", Path: "/admin/documents", Supervisor: true},
	{Label: "マスタ取込・文書一括作成", Path: "/admin/batches", Supervisor: true},
	{Label: "カードリーダーカタログ", Path: "/admin/catalog", Supervisor: true},
	{Label: "オペレーター管理", Path: "/admin/operators", Supervisor: true},
	{Label: "操作履歴", Path: "/admin/audit", Supervisor: true},
}

// AdminMenuItem is a menu entry as one page draws it.
type AdminMenuItem struct {
	AdminMenuEntry
	Current bool
}

// AdminMenuFor returns the entries o may see, marking the one path belongs to.
func AdminMenuFor(o *operator.Operator, path string) []AdminMenuItem {
	items := make([]AdminMenuItem, 0, len(AdminMenu))
	for _, e := range AdminMenu {
		if e.Supervisor && !o.IsSupervisor() {
			continue
		}
		current := e.Path != "" && (path == e.Path || (e.Path != AdminHomePath && len(path) > len(e.Path) && path[:len(e.Path)+1] == e.Path+"/"))
		items = append(items, AdminMenuItem{AdminMenuEntry: e, Current: current})
	}
	return items
}
