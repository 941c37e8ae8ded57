// Package pref holds the reference data every form shares: 都道府県 (JIS X 0401) and
// 点数表コード.
package pref

// Prefecture is one 都道府県 with its JIS X 0401 code.
type Prefecture struct {
	Code int
	Name string
}

var names = [...]string{"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
	"埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
	"静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
	"岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県",
	"大分県", "宮崎県", "鹿児島県", "沖縄県"}

// All lists the 47 prefectures in code order.
func All() []Prefecture {
	out := make([]Prefecture, len(names))
	for i, n := range names {
		out[i] = Prefecture{Code: i + 1, Name: n}
	}
	return out
}

// Name returns the prefecture's name, or "" for a code outside 1–47.
func Name(code int) string {
	if code < 1 || code > len(names) {
		return ""
	}
	return names[code-1]
}

// Code returns the code of a prefecture name, or 0.
func Code(name string) int {
	for i, n := range names {
		if n == name {
			return i + 1
		}
	}
	return 0
}

// ScoreTable is a 点数表コード: 1 医科, 3 歯科, 4 調剤.
type ScoreTable struct {
	Code int
	Name string
}

// ScoreTables lists the three 点数表.
func ScoreTables() []ScoreTable {
	return []ScoreTable{{1, "医科"}, {3, "歯科"}, {4, "調剤"}}
}

// ScoreTableName returns 医科, 歯科 or 調剤, or "" for another code.
func ScoreTableName(code int) string {
	for _, s := range ScoreTables() {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}

// 点数表コード.
const (
	ScoreTableMedical  = 1 // 医科
	ScoreTableDental   = 3 // 歯科
	ScoreTablePharmacy = 4 // 調剤
)

// 施設種別 (SPEC §2): every facility is one of these.
const (
	KindHospital = "病院"
	KindClinic   = "診療所"
	KindPharmacy = "薬局"
)

// Kinds lists the 施設種別 in the order forms and filters show them.
func Kinds() []string { return []string{KindHospital, KindClinic, KindPharmacy} }
