package cardreader

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"portal/internal/database"
	"portal/internal/jp"
	"portal/internal/pref"
)

// ExportHeader is the header row of the makers' CSV.
var ExportHeader = []string{"申込番号", "申込状況", "申込日", "都道府県コード", "点数表コード", "医療機関等コード",
	"医療機関等名称", "施設種別", "メーカー名", "製品名", "台数", "送付先郵便番号", "送付先都道府県", "送付先住所",
	"送付先住所(ビル、マンション名)", "送付先名称", "送付先電話番号", "送付先担当者名", "配送予定日"}

// Export streams one CSV row per reader line of the maker's applications matching status
// ("" for every live one) straight from the database cursor to w: memory stays flat
// however many applications there are.
func Export(ctx context.Context, db database.DB, w io.Writer, maker, status string, enc jp.Encoding) error {
	// Characters CP932 lacks (rare kanji variants, emoji) become 〓 (jp.Replacement) rather
	// than failing the whole export.
	cw, err := jp.NewCSVWriter(w, enc)
	if err != nil {
		return err
	}
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	cond, args := "a.status <> '取消'", []any{maker}
	if status != "" {
		cond, args = "a.status = $2", append(args, status)
	}
	rows, err := db.Query(ctx, `SELECT a.reference, a.status, a.created_at, f.prefecture_code, f.score_table_code, f.code,
		f.name, f.kind, m.maker, m.product, i.quantity,
		a.delivery_change, a.delivery_postal, a.delivery_pref, a.delivery_address, a.delivery_building,
		a.delivery_name, a.delivery_phone, a.delivery_contact,
		f.postal_code, f.address, f.phone, coalesce(acc.contact_name, ''), a.delivery_date
		FROM cardreader_application_items i
		JOIN card_reader_models m ON m.id = i.model_id
		JOIN cardreader_applications a ON a.id = i.application_id
		JOIN facilities f ON f.id = a.facility_id
		LEFT JOIN accounts acc ON acc.id = a.account_id
		WHERE m.maker = $1 AND `+cond+`
		ORDER BY a.id, i.slot`, args...)
	if err != nil {
		return fmt.Errorf("cardreader: export: %w", err)
	}
	defer rows.Close()
	rec := make([]string, len(ExportHeader))
	for rows.Next() {
		var (
			ref, st, name, kind, mk, product                string
			created                                         time.Time
			prefCode, score, qty                            int
			code                                            string
			change                                          bool
			dPostal, dAddr, dBuilding, dName, dPhone, dCont string
			dPref                                           *int
			fPostal, fAddr, fPhone, contact                 string
			deliveryDate                                    *time.Time
		)
		if err := rows.Scan(&ref, &st, &created, &prefCode, &score, &code, &name, &kind, &mk, &product, &qty,
			&change, &dPostal, &dPref, &dAddr, &dBuilding, &dName, &dPhone, &dCont,
			&fPostal, &fAddr, &fPhone, &contact, &deliveryDate); err != nil {
			return fmt.Errorf("cardreader: export: %w", err)
		}
		toPostal, toPref, toAddr, toBuilding, toName, toPhone, toContact := fPostal, pref.Name(prefCode), fAddr, "", name, fPhone, contact
		if change {
			toPostal, toAddr, toBuilding, toName, toPhone, toContact = dPostal, dAddr, dBuilding, dName, dPhone, dCont
			if dPref != nil {
				toPref = pref.Name(*dPref)
			}
		}
		toAddr = withoutPrefecture(toAddr, toPref)
		date := ""
		if deliveryDate != nil {
			date = jp.ISODate(*deliveryDate)
		}
		rec = append(rec[:0], ref, st, jp.ISODate(created), fmt.Sprintf("%02d", prefCode), strconv.Itoa(score), code,
			jp.Cell(name), kind, jp.Cell(mk), jp.Cell(product), strconv.Itoa(qty), formatPostal(toPostal), toPref, jp.Cell(toAddr),
			jp.Cell(toBuilding), jp.Cell(toName), jp.Cell(toPhone), jp.Cell(toContact), date)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cardreader: export: %w", err)
	}
	return cw.Close()
}

// withoutPrefecture drops the prefecture's name from the front of an address: the
// facility master writes 「東京都港区芝公園…」 while a changed address is typed without it,
// and 送付先住所 must read the same both ways beside 送付先都道府県.
func withoutPrefecture(addr, prefName string) string {
	addr = strings.TrimLeft(addr, " 　")
	if prefName != "" && strings.HasPrefix(addr, prefName) {
		return strings.TrimLeft(strings.TrimPrefix(addr, prefName), " 　")
	}
	return addr
}

func formatPostal(s string) string {
	if len(s) == 7 {
		return s[:3] + "-" + s[3:]
	}
	return s
}
