package site

// Application is one entry of 「利用申請・補助申請される方」, the numbered list the top page,
// /flow and マイページ share: its form is open when Href is set, and shown as （準備中）
// otherwise.
type Application struct {
	Number int
	Title  string
	Href   string
	// Kind is the application kind's code (internal/application) once it is built.
	Kind string
}

// Applications is the numbered list as the portal shows it.
var Applications = []Application{
	{1, "顔認証付きカードリーダー申し込み", "/cardreader", "cardreader"},
	{2, "オンライン資格確認利用申請", "/qualification", "qualification"},
	{3, "電子証明書発行申請", "/certificates", "certificate"},
	{4, "オンライン資格確認関係補助金申請", "", ""},
	{5, "オンライン請求利用申請", "", ""},
	{6, "電子カルテ標準化関係補助金申請", "", ""},
}
