package facility

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/certificate"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/qualification"
)

// What a query was taken for; the result page says which.
const (
	ByCode      = "医療機関等コード"
	ByPhone     = "電話番号"
	ByName      = "名称"
	ByEmail     = "メールアドレス"
	ByLoginID   = "仮メールアドレス"
	ByReference = "申込番号"
)

// Limits of a query.
const (
	// MaxQuery is the longest query, in characters: longer than any name, address or number.
	MaxQuery = 100
	// MinName is the shortest folded name searched for: every piece of two characters of
	// the query must be in the name, so one character has no piece to look for.
	MinName = 2
	// Limit is how many facilities a search returns at most; More says when there were more.
	Limit = 50
)

// Messages of a query the search cannot use, for the page (QueryError).
const (
	MsgEmpty        = "医療機関等コード、名称、電話番号、メールアドレスまたは申込番号を入力してください。"
	MsgTooLong      = "検索する語が長すぎます。100文字以内で入力してください。"
	MsgUnprintable  = "使用できない文字が含まれています。入力した内容を確かめてください。"
	MsgNameTooShort = "名称は2文字以上で入力してください（1文字では検索できません）。"
	MsgDigits       = "番号は、医療機関等コード（7桁または10桁）か電話番号（10桁または11桁）で入力してください。"
	MsgEmail        = "メールアドレスの形式が正しくありません。"
)

// QueryError is a query the search cannot use; Message says why, in Japanese.
type QueryError struct{ Message string }

func (e *QueryError) Error() string { return "facility: unusable query: " + e.Message }

// Hit is one facility a search found.
type Hit struct {
	Facility account.Facility
	// AccountName and AccountEmail are the registered account's, if any.
	AccountName  string
	AccountEmail string
	HasAccount   bool
	// LiveLetter is set while unused provisional credentials exist.
	LiveLetter bool
	// Matched says which of the query's readings found the facility (ByCode, ByName…).
	Matched []string
	// rank orders the hits: whole matches first.
	rank int
}

// State is the facility's account state in a word (AccountState).
func (h Hit) State() string { return accountState(h.HasAccount, h.LiveLetter) }

// Result is what a search found.
type Result struct {
	// Readings are what the query was taken for (a 10-digit number is a code and a phone).
	Readings []string
	// Query is the query as searched (folded for a name).
	Query string
	Hits  []Hit
	// More is set when more than Limit facilities matched: the query should be narrower.
	More bool
}

// reference is a 申込番号 of any kind (CR…, QA…, EC…): prefix, JST date, serial.
var reference = regexp.MustCompile(`^([A-Z]{2})([0-9]{6})-?([0-9]{6,12})$`)

// referenceTables names, per 申込番号 prefix, the table of that kind.
var referenceTables = map[string]string{
	cardreader.Kind.Prefix:    "cardreader_applications",
	qualification.Kind.Prefix: "qualification_applications",
	certificate.Kind.Prefix:   "certificate_applications",
}

// query is a parsed search.
type query struct {
	readings []string
	text     string // digits, the folded name, the lower-case address or the reference
}

// parseQuery decides what q is: digits (7 → code; 10 → code or phone; 11 → phone), an
// e-mail address (has @), a 申込番号, or else a name.
func parseQuery(q string) (query, error) {
	q = form.Clean(q)
	switch {
	case q == "":
		return query{}, &QueryError{MsgEmpty}
	case !form.Printable(q, false):
		return query{}, &QueryError{MsgUnprintable}
	case utf8.RuneCountInString(q) > MaxQuery:
		return query{}, &QueryError{MsgTooLong}
	}
	n := strings.TrimSpace(norm.NFKC.String(q))
	if strings.Contains(n, "@") {
		e := strings.ToLower(strings.ReplaceAll(n, " ", ""))
		if len(e) < 3 || len(e) > 254 || strings.Count(e, "@") != 1 {
			return query{}, &QueryError{MsgEmail}
		}
		return query{readings: []string{ByEmail, ByLoginID}, text: e}, nil
	}
	if m := reference.FindStringSubmatch(strings.ToUpper(form.Digits(n))); m != nil && referenceTables[m[1]] != "" {
		return query{readings: []string{ByReference}, text: m[1] + m[2] + "-" + m[3]}, nil
	}
	if d := digitsOnly(n); d != "" {
		switch len(d) {
		case 7:
			return query{readings: []string{ByCode}, text: d}, nil
		case 10:
			return query{readings: []string{ByCode, ByPhone}, text: d}, nil
		case 11:
			return query{readings: []string{ByPhone}, text: d}, nil
		}
		return query{}, &QueryError{MsgDigits}
	}
	folded := Fold(q)
	if utf8.RuneCountInString(folded) < MinName {
		return query{}, &QueryError{MsgNameTooShort}
	}
	return query{readings: []string{ByName}, text: folded}, nil
}

// digitsOnly returns the digits of s when s is a number as people write one (digits with
// hyphens, spaces or brackets between them), else "".
func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '(' || r == ')' || r == '‐' || r == '−' || r == 'ー' || r == '―' || r == '–' || r == '—':
		default:
			return ""
		}
	}
	return b.String()
}

// Search finds the facilities q names: a 7- or 10-digit 医療機関等コード, a name or part of
// one (folded: full-width/half-width, hiragana/katakana), a phone number in any writing, an
// e-mail address (the account's, a provisional login ID, or one the portal mailed about the
// facility) or a 申込番号 of any kind. Every reading is an index lookup; a query it cannot
// use is a *QueryError.
func (s *Service) Search(ctx context.Context, q string) (Result, error) {
	pq, err := parseQuery(q)
	if err != nil {
		return Result{}, err
	}
	res := Result{Readings: pq.readings, Query: pq.text}
	found := map[int64]*Hit{}
	var order []int64
	add := func(id int64, matched string, rank int) {
		h, ok := found[id]
		if !ok {
			h = &Hit{rank: rank}
			found[id] = h
			order = append(order, id)
		}
		if !slices.Contains(h.Matched, matched) {
			h.Matched = append(h.Matched, matched)
		}
		h.rank = min(h.rank, rank)
	}
	for _, reading := range pq.readings {
		matches, err := s.match(ctx, reading, pq.text)
		if err != nil {
			return Result{}, err
		}
		for _, m := range matches {
			add(m.id, reading, m.rank)
		}
	}
	if len(order) > Limit {
		res.More = true
	}
	hits, err := s.hits(ctx, order)
	if err != nil {
		return Result{}, err
	}
	for i := range hits {
		h := found[hits[i].Facility.ID]
		hits[i].Matched, hits[i].rank = h.Matched, h.rank
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.Facility.TenDigitCode(), b.Facility.TenDigitCode())
	})
	if len(hits) > Limit {
		hits = hits[:Limit]
	}
	res.Hits = hits
	return res, nil
}

// match is one facility a reading found, ranked: 0 whole, 1 beginning, 2 anywhere.
type match struct {
	id   int64
	rank int
}

// match runs one reading. Each query asks for one more than Limit, so a crowded name
// costs no more than a rare one.
func (s *Service) match(ctx context.Context, reading, text string) ([]match, error) {
	var queries []struct {
		sql  string
		rank int
		args []any
	}
	add := func(rank int, sql string, args ...any) {
		queries = append(queries, struct {
			sql  string
			rank int
			args []any
		}{sql, rank, args})
	}
	lim := Limit + 1
	switch reading {
	case ByCode:
		if len(text) == 7 {
			add(0, `SELECT id FROM facilities WHERE code = $1 LIMIT $2`, text, lim)
		} else {
			add(0, `SELECT id FROM facilities WHERE prefecture_code = $1 AND score_table_code = $2 AND code = $3 LIMIT $4`,
				atoi(text[:2]), atoi(text[2:3]), text[3:], lim)
		}
	case ByPhone:
		add(0, `SELECT id FROM facilities WHERE regexp_replace(phone, '[^0-9]', '', 'g') = $1 LIMIT $2`, text, lim)
		add(0, `SELECT facility_id FROM accounts WHERE regexp_replace(phone, '[^0-9]', '', 'g') = $1 LIMIT $2`, text, lim)
	case ByEmail:
		add(0, `SELECT facility_id FROM accounts WHERE lower(email) = $1 LIMIT $2`, text, lim)
		add(1, `SELECT DISTINCT facility_id FROM (SELECT facility_id FROM mail_outbox
			WHERE lower(to_addr) = $1 AND facility_id IS NOT NULL ORDER BY created_at DESC LIMIT 1000) m LIMIT $2`, text, lim)
	case ByLoginID:
		add(0, `SELECT facility_id FROM provisional_credentials WHERE login_id = $1 LIMIT $2`, text, lim)
	case ByReference:
		add(0, `SELECT facility_id FROM `+referenceTables[text[:2]]+` WHERE reference = $1 LIMIT $2`, text, lim)
	case ByName:
		// Whole names and beginnings from the B-tree (text_pattern_ops), then names that hold
		// the query anywhere: every two-character piece of the query is in the name (GIN),
		// and LIKE confirms the pieces stand together. The master's name and the account's.
		tables := [][2]string{{"facilities", "id"}, {"accounts", "facility_id"}}
		for _, t := range tables {
			add(0, `SELECT `+t[1]+` FROM `+t[0]+` WHERE search_name = $1 LIMIT $2`, text, lim)
		}
		for _, t := range tables {
			add(1, `SELECT `+t[1]+` FROM `+t[0]+` WHERE search_name LIKE $1 AND search_name <> $2 LIMIT $3`,
				likeEscape(text)+"%", text, lim)
		}
		for _, t := range tables {
			add(2, `SELECT `+t[1]+` FROM `+t[0]+` WHERE portal_bigrams(search_name) @> portal_bigrams($1)
				AND search_name LIKE $2 LIMIT $3`, text, "%"+likeEscape(text)+"%", lim)
		}
	}
	var out []match
	seen := map[int64]bool{}
	for _, q := range queries {
		// The best matches come first: once they fill the page, the rest are not asked.
		if len(seen) > Limit {
			break
		}
		// Planned with the values each time (an unnamed statement): a cached generic plan
		// cannot read a LIKE prefix as an index range.
		rows, err := s.db.Query(ctx, q.sql, append([]any{pgx.QueryExecModeExec}, q.args...)...)
		if err != nil {
			return nil, fmt.Errorf("facility: search by %s: %w", reading, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return nil, fmt.Errorf("facility: search by %s: %w", reading, err)
		}
		for _, id := range ids {
			out = append(out, match{id, q.rank})
			seen[id] = true
		}
	}
	return out, nil
}

// likeEscape escapes LIKE's wildcards and its escape character in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// hits reads the facilities ids names with their account and provisional state, at most
// Limit+1 of them.
func (s *Service) hits(ctx context.Context, ids []int64) ([]Hit, error) {
	if len(ids) > Limit+1 {
		ids = ids[:Limit+1]
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return readHits(ctx, s.db, ids)
}

func readHits(ctx context.Context, db database.DB, ids []int64) ([]Hit, error) {
	rows, err := db.Query(ctx, `SELECT f.id, f.prefecture_code, f.score_table_code, f.code, f.kind, f.name, f.founder_name,
			f.postal_code, f.address, f.phone, f.large_chain_pharmacy, f.dental_hospital_with_medical,
			coalesce(a.facility_name, ''), coalesce(a.email, ''), a.id IS NOT NULL,
			EXISTS (SELECT 1 FROM provisional_credentials p WHERE p.facility_id = f.id AND p.used_at IS NULL AND p.deleted_at IS NULL)
		FROM facilities f LEFT JOIN accounts a ON a.facility_id = f.id
		WHERE f.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("facility: search results: %w", err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Hit, error) {
		var h Hit
		f := &h.Facility
		err := r.Scan(&f.ID, &f.PrefectureCode, &f.ScoreTableCode, &f.Code, &f.Kind, &f.Name, &f.FounderName,
			&f.PostalCode, &f.Address, &f.Phone, &f.LargeChainPharmacy, &f.DentalHospitalWithMedical,
			&h.AccountName, &h.AccountEmail, &h.HasAccount, &h.LiveLetter)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("facility: search results: %w", err)
	}
	return hits, nil
}
