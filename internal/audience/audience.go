// Package audience selects facility accounts for what the fund sends to many at once
// (一斉送信, 個別文書): every account, or those of a prefecture, a facility type, a 点数表
// and an application state such as "registered but no card reader application". A Filter
// is data (it is stored with what was sent, as JSON) and becomes SQL only through Where,
// with its values as arguments.
package audience

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/pref"
)

// Filter selects accounts; zero fields do not filter.
type Filter struct {
	Prefecture int    `json:"prefecture,omitempty"`
	Kind       string `json:"kind,omitempty"` // 施設種別: pref.KindHospital, …
	ScoreTable int    `json:"score_table,omitempty"`
	State      string `json:"state,omitempty"` // a State's Code
}

// State is an application state an account's facility is in.
type State struct {
	Code  string
	Label string
	// cond is the SQL condition over the account a.
	cond string
}

// States are the application states a filter offers.
var States = []State{
	{"cardreader_none", "アカウント登録済みで、カードリーダー未申込",
		`NOT EXISTS (SELECT 1 FROM cardreader_applications c WHERE c.facility_id = a.facility_id AND c.status <> '取消')`},
	{"cardreader_applied", "カードリーダー申込済み",
		`EXISTS (SELECT 1 FROM cardreader_applications c WHERE c.facility_id = a.facility_id AND c.status <> '取消')`},
	{"qualification_none", "利用申請 未申請",
		`NOT EXISTS (SELECT 1 FROM qualification_applications q WHERE q.facility_id = a.facility_id)`},
	{"qualification_not_approved", "利用申請 未承認（未申請・申請中・差戻し）",
		`NOT EXISTS (SELECT 1 FROM qualification_applications q WHERE q.facility_id = a.facility_id AND q.status = '承認済')`},
	{"qualification_returned", "利用申請 差戻し中",
		`EXISTS (SELECT 1 FROM qualification_applications q WHERE q.facility_id = a.facility_id AND q.status = '差戻し')`},
	{"qualification_approved_no_certificate", "利用申請 承認済みで、電子証明書未申請",
		`EXISTS (SELECT 1 FROM qualification_applications q WHERE q.facility_id = a.facility_id AND q.status = '承認済')
		 AND NOT EXISTS (SELECT 1 FROM certificate_applications e WHERE e.facility_id = a.facility_id)`},
}

// Kinds are the facility types a filter offers.
var Kinds = pref.Kinds()

func state(code string) (State, bool) {
	i := slices.IndexFunc(States, func(s State) bool { return s.Code == code })
	if i < 0 {
		return State{}, false
	}
	return States[i], true
}

// Check reports the filter's values that are not choices of the form.
func (f Filter) Check() form.Errors {
	var errs form.Errors
	if f.Prefecture != 0 && pref.Name(f.Prefecture) == "" {
		errs.Add("pref", "都道府県を選択肢から選択してください。")
	}
	if f.Kind != "" && !slices.Contains(Kinds, f.Kind) {
		errs.Add("kind", "施設種別を選択肢から選択してください。")
	}
	if f.ScoreTable != 0 && pref.ScoreTableName(f.ScoreTable) == "" {
		errs.Add("score_table", "点数表を選択肢から選択してください。")
	}
	if _, ok := state(f.State); f.State != "" && !ok {
		errs.Add("state", "申請の状況を選択肢から選択してください。")
	}
	return errs
}

// Label names the filter for pages and records: 「全アカウント」 or its conditions.
func (f Filter) Label() string {
	var parts []string
	if f.Prefecture != 0 {
		parts = append(parts, pref.Name(f.Prefecture))
	}
	if f.Kind != "" {
		parts = append(parts, f.Kind)
	}
	if f.ScoreTable != 0 {
		parts = append(parts, pref.ScoreTableName(f.ScoreTable))
	}
	if s, ok := state(f.State); ok {
		parts = append(parts, s.Label)
	}
	if len(parts) == 0 {
		return "全アカウント"
	}
	return strings.Join(parts, "・")
}

// From is the FROM clause Where applies to: accounts a and their facilities f.
const From = ` FROM accounts a JOIN facilities f ON f.id = a.facility_id `

// Where returns "WHERE …" over From, appending the filter's values to args. An unknown
// state selects nobody rather than everybody.
func (f Filter) Where(args *[]any) string {
	conds := []string{"true"}
	add := func(cond string, v any) {
		*args = append(*args, v)
		conds = append(conds, fmt.Sprintf(cond, len(*args)))
	}
	if f.Prefecture != 0 {
		add("f.prefecture_code = $%d", f.Prefecture)
	}
	if f.Kind != "" {
		add("f.kind = $%d", f.Kind)
	}
	if f.ScoreTable != 0 {
		add("f.score_table_code = $%d", f.ScoreTable)
	}
	if f.State != "" {
		s, ok := state(f.State)
		if !ok {
			return "WHERE false"
		}
		conds = append(conds, s.cond)
	}
	return "WHERE " + strings.Join(conds, " AND ")
}

// Count returns how many accounts the filter selects.
func Count(ctx context.Context, db database.DB, f Filter) (int, error) {
	var args []any
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*)`+From+f.Where(&args), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("audience: count: %w", err)
	}
	return n, nil
}

// Read builds a filter from form values (get is url.Values.Get or the like): pref, kind,
// score_table and state. A value that is not a number reads as 0; Check refuses the rest.
func Read(get func(string) string) Filter {
	num := func(s string) int {
		n := 0
		if len(s) > 3 {
			return -1
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return -1
			}
			n = n*10 + int(r-'0')
		}
		return n
	}
	return Filter{Prefecture: num(get("pref")), Kind: get("kind"), ScoreTable: num(get("score_table")), State: get("state")}
}

// Choices are the options of the audience form's selects.
type Choices struct {
	Prefectures []pref.Prefecture
	Kinds       []string
	ScoreTables []pref.ScoreTable
	States      []State
}

// FormChoices returns the audience form's options.
func FormChoices() Choices {
	return Choices{Prefectures: pref.All(), Kinds: Kinds, ScoreTables: pref.ScoreTables(), States: States}
}
