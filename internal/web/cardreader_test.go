package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/content"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// crFacility adds a master facility of the given kind with a registered account and
// returns a client signed in as it.
func crFacility(t *testing.T, env *webtest.Env, kind string, score int, code string, dentalWithMedical bool) (account.Facility, account.Account, *webtest.Client) {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := env.DB.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name,
		postal_code, address, phone, dental_hospital_with_medical)
		VALUES (13, $1, $2, $3, $4, '開設者', '1000013', '東京都千代田区霞が関1-2-2', '03-1234-5678', $5) RETURNING id`,
		score, code, kind, "テスト"+kind+code, dentalWithMedical).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(ctx, env.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	a := seedAccount(t, env, f, code+"@example.jp", "Passw0rd123")
	c := env.Client(t)
	if res := login(c, a.Email, "Passw0rd123"); res.Status != 303 {
		t.Fatalf("login: %d", res.Status)
	}
	return f, a, c
}

func crCatalog(t *testing.T, env *webtest.Env) []cardreader.Model {
	t.Helper()
	if err := content.SeedDemo(context.Background(), env.DB); err != nil {
		t.Fatal(err)
	}
	m, err := cardreader.Catalog(context.Background(), env.DB, 0)
	if err != nil || len(m) < 3 {
		t.Fatalf("catalog: %v %v", m, err)
	}
	return m
}

func crForm(items ...[2]int64) url.Values {
	v := url.Values{"intro_year": {"2027"}, "intro_month": {"4"}, "online_claim": {cardreader.Introduced}, "emr": {cardreader.NotPlanned}}
	for i, it := range items {
		v.Set(fmt.Sprintf("model%d", i+1), fmt.Sprint(it[0]))
		v.Set(fmt.Sprintf("qty%d", i+1), fmt.Sprint(it[1]))
	}
	return v
}

var nonceField = regexp.MustCompile(`name="nonce" value="([^"]+)"`)

// crConfirm posts the form, then confirms it, and returns the completion page.
func crConfirm(t *testing.T, c *webtest.Client, form url.Values) *webtest.Response {
	t.Helper()
	c.Get("/cardreader")
	res := c.PostForm("/cardreader", form)
	if res.Status != 303 || res.Location != "/cardreader/confirm" {
		t.Fatalf("submit: %d %s\n%s", res.Status, res.Location, res.Body)
	}
	conf := c.Get("/cardreader/confirm")
	m := nonceField.FindStringSubmatch(conf.Body)
	if conf.Status != 200 || m == nil {
		t.Fatalf("confirm page: %d", conf.Status)
	}
	res = c.PostForm("/cardreader/confirm", url.Values{"nonce": {m[1]}})
	if res.Status != 303 || res.Location != "/cardreader/complete" {
		t.Fatalf("confirm: %d %s", res.Status, res.Location)
	}
	return c.Get("/cardreader/complete")
}

func TestCardReaderApplyChangeCancel(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, acc, c := crFacility(t, env, "病院", 1, "3000001", false)

	page := c.Get("/cardreader")
	for _, want := range []string{"顔認証付きカードリーダー申込", "オンライン資格確認導入（予定）時期", "レセプトのオンライン請求について",
		"電子カルテシステムの導入（保険薬局を除く）", "カードリーダー1", "カードリーダーの送付先変更", "この画面を開いた状態に戻す",
		"確認画面へ進む", "費用相当額を返還"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "調剤システムの導入") {
		t.Error("a hospital is asked about 調剤システム")
	}

	// Errors come back beside the fields with what was typed kept.
	bad := crForm([2]int64{models[0].ID, 2}, [2]int64{models[0].ID, 2})
	bad.Set("intro_year", "２７")
	bad.Set("delivery_change", "1")
	bad.Set("delivery_name", "<script>alert(1)</script>")
	res := c.PostForm("/cardreader", bad)
	if res.Status != 422 {
		t.Fatalf("bad input: %d", res.Status)
	}
	for _, want := range []string{"▲エラーが発生しました。入力フォームのエラー箇所をチェックしてください。", "年は半角数字4桁（西暦）で入力してください。",
		"カードリーダー2・3は別のメーカーを申し込む場合のみ選択してください。", "郵便番号は半角数字3桁及び4桁で入力してください。",
		`value="27"`, "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("typed script echoed unescaped")
	}

	// A hospital: three readers from two makers.
	done := crConfirm(t, c, crForm([2]int64{models[0].ID, 2}, [2]int64{models[1].ID, 1}))
	if !strings.Contains(done.Body, "送信が完了しました。") || !strings.Contains(done.Body, "ありがとうございました。") {
		t.Fatalf("completion page:\n%s", done.Body)
	}
	app, err := cardreader.ForFacility(context.Background(), env.DB, acc.FacilityID)
	if err != nil || !strings.Contains(done.Body, app.Reference) {
		t.Fatalf("reference %q not on the completion page (%v)", app.Reference, err)
	}
	m := env.WaitMail(t, acc.Email, "顔認証付きカードリーダー申込完了のお知らせ")
	if !strings.Contains(m.Body, "申し込まれただけでは") || !strings.Contains(m.Body, app.Reference) {
		t.Errorf("mail body:\n%s", m.Body)
	}
	// Resubmitting the confirm page makes nothing new.
	if res := c.PostForm("/cardreader/confirm", url.Values{"nonce": {"stale"}}); res.Status != 303 {
		t.Errorf("resubmitted confirm: %d", res.Status)
	}
	var n int
	if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM cardreader_applications`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d applications after resubmit", n)
	}

	// The form opens with the application; all --- cancels it after confirmation.
	if page := c.Get("/cardreader"); !strings.Contains(page.Body, app.Reference) {
		t.Error("form does not show the existing application")
	}
	cancelled := crConfirm(t, c, crForm())
	if !strings.Contains(cancelled.Body, "申込を取り消しました") {
		t.Errorf("cancel completion:\n%s", cancelled.Body)
	}
	env.WaitMail(t, acc.Email, "顔認証付きカードリーダー申込取消のお知らせ")
	if _, err := cardreader.ForFacility(context.Background(), env.DB, acc.FacilityID); err != cardreader.ErrNotFound {
		t.Errorf("application still live after cancel: %v", err)
	}
}

func TestCardReaderLimitsByFacility(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, _, clinic := crFacility(t, env, "診療所", 1, "3100001", false)
	_, _, dental := crFacility(t, env, "病院", 3, "3100002", true)
	_, _, pharmacy := crFacility(t, env, "薬局", 4, "3100003", false)
	for name, c := range map[string]*webtest.Client{"clinic": clinic, "dental hospital": dental, "pharmacy": pharmacy} {
		c.Get("/cardreader")
		f := crForm([2]int64{models[0].ID, 2})
		res := c.PostForm("/cardreader", f)
		if res.Status != 422 || !strings.Contains(res.Body, "1台") {
			t.Errorf("%s: 2 readers accepted (%d)", name, res.Status)
		}
	}
	page := pharmacy.Get("/cardreader")
	if !strings.Contains(page.Body, "調剤システムの導入（保険薬局のみ）") || strings.Contains(page.Body, "電子カルテシステムの導入") {
		t.Error("pharmacy survey questions wrong")
	}
}

func TestCardReaderPostalLookupWithoutJavaScript(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	crCatalog(t, env)
	_, _, c := crFacility(t, env, "診療所", 1, "3200001", false)
	c.Get("/cardreader")
	f := crForm()
	f.Set("delivery_zip1", "１００")
	f.Set("delivery_zip2", "0013")
	f.Set("postal_lookup", "1")
	res := c.PostForm("/cardreader", f)
	if res.Status != 200 || !strings.Contains(res.Body, `value="千代田区霞が関"`) || !strings.Contains(res.Body, `<option value="13" selected>東京都</option>`) {
		t.Fatalf("postal lookup round trip: %d\n%s", res.Status, res.Body)
	}
}

func TestCardReaderOwnershipAndOperators(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, accA, a := crFacility(t, env, "診療所", 1, "3300001", false)
	_, _, b := crFacility(t, env, "診療所", 1, "3300002", false)
	crConfirm(t, a, crForm([2]int64{models[0].ID, 1}))
	app, err := cardreader.ForFacility(context.Background(), env.DB, accA.FacilityID)
	if err != nil {
		t.Fatal(err)
	}
	// B sees nothing of A's application and cannot cancel it, whatever it sends.
	if page := b.Get("/cardreader"); strings.Contains(page.Body, app.Reference) {
		t.Fatal("facility B sees A's application")
	}
	b.Get("/cardreader")
	b.PostForm("/cardreader/cancel", url.Values{"id": {fmt.Sprint(app.ID)}, "facility_id": {fmt.Sprint(accA.FacilityID)}})
	if got, err := cardreader.ByID(context.Background(), env.DB, app.ID); err != nil || got.Status != cardreader.StatusReceived {
		t.Fatalf("A's application after B's cancel: %v %v", got.Status, err)
	}
	// Facilities cannot reach the back office.
	if res := a.Get(fmt.Sprintf("/admin/cardreader/%d", app.ID)); res.Status != 303 || !strings.HasPrefix(res.Location, "/admin/login") {
		t.Fatalf("facility reached the back office: %d %s", res.Status, res.Location)
	}

	adminCreateOperator(t, env, "op1", "オペ一郎", "OpPassw0rd1", operator.RoleOperator)
	op := env.Client(t)
	if res := adminLogin(op, "op1", "OpPassw0rd1"); res.Status != 303 {
		t.Fatalf("operator login: %d", res.Status)
	}
	list := op.Get("/admin/cardreader?maker=" + url.QueryEscape(models[0].Maker) + "&kind=診療所&status=受付済")
	if list.Status != 200 || !strings.Contains(list.Body, app.Reference) {
		t.Fatalf("operator list: %d", list.Status)
	}
	if other := op.Get("/admin/cardreader?kind=病院"); strings.Contains(other.Body, app.Reference) {
		t.Error("kind filter ignored")
	}
	show := op.Get(fmt.Sprintf("/admin/cardreader/%d", app.ID))
	if show.Status != 200 || strings.Contains(show.Body, "/ship") || !strings.Contains(show.Body, "/delivery-date/confirm") {
		t.Fatalf("detail: %d", show.Status)
	}
	base := fmt.Sprintf("/admin/cardreader/%d", app.ID)
	iso := func(days int) string { return jp.ISODate(jp.Today().AddDate(0, 0, days)) }
	for date, msg := range map[string]string{
		"12/10":    "配送予定日を「2026-12-10」の形式で入力してください。",
		iso(-1):    cardreader.MsgDeliveryDatePast,
		iso(366):   "配送予定日には1年以内の日付を入力してください",
		"<script>": "配送予定日を「2026-12-10」の形式で入力してください。",
	} {
		if res := op.PostForm(base+"/delivery-date/confirm", url.Values{"delivery_date": {date}, "current": {""}}); res.Status != 422 ||
			!strings.Contains(res.Body, msg) {
			t.Errorf("date %q: %d", date, res.Status)
		}
	}
	// The confirm page sends nothing; the mail goes out only once confirmed.
	first := jp.Today().AddDate(0, 0, 9)
	res := op.PostForm(base+"/delivery-date/confirm", url.Values{"delivery_date": {jp.ISODate(first)}, "current": {""}})
	if res.Status != 200 || !strings.Contains(res.Body, "配送予定日の設定（確認）") || !strings.Contains(res.Body, jp.Date(first)) ||
		!strings.Contains(res.Body, accA.Email) {
		t.Fatalf("confirm page: %d", res.Status)
	}
	if got, _ := cardreader.ByID(context.Background(), env.DB, app.ID); got.DeliveryDate != nil {
		t.Fatal("the confirm page set the date")
	}
	if res := op.PostForm(base+"/delivery-date", url.Values{"delivery_date": {jp.ISODate(first)}, "current": {""}}); res.Status != 303 {
		t.Fatalf("delivery date: %d", res.Status)
	}
	m := env.WaitMail(t, accA.Email, "顔認証付きカードリーダー配送予定日のお知らせ")
	if !strings.Contains(m.Body, jp.Date(first)) || strings.Contains(m.Subject, "訂正") {
		t.Errorf("delivery mail %q:\n%s", m.Subject, m.Body)
	}
	// Now the facility can no longer change it.
	if page := a.Get("/cardreader"); strings.Contains(page.Body, `href="/cardreader/cancel"`) {
		t.Error("cancel offered after the delivery date")
	}
	// A stale confirm page (made before the date was set) is refused, not applied.
	if res := op.PostForm(base+"/delivery-date", url.Values{"delivery_date": {iso(20)}, "current": {""}}); res.Status != 303 {
		t.Fatalf("stale: %d", res.Status)
	} else if page := op.Get(res.Location); !strings.Contains(page.Body, cardreader.MsgStale) {
		t.Error("no message for a stale confirm page")
	}
	// The same date is no correction.
	if res := op.PostForm(base+"/delivery-date/confirm", url.Values{"delivery_date": {jp.ISODate(first)}, "current": {jp.ISODate(first)}}); res.Status != 422 ||
		!strings.Contains(res.Body, cardreader.MsgSameDate) {
		t.Errorf("same date: %d", res.Status)
	}
	// A wrong date is corrected: confirmed, and the facility gets a mail saying so.
	second := jp.Today().AddDate(0, 0, 16)
	show = op.Get(base)
	if !strings.Contains(show.Body, "配送予定日の訂正") || !strings.Contains(show.Body, `href="`+base+`/ship"`) {
		t.Fatal("no correction or ship offered once scheduled")
	}
	res = op.PostForm(base+"/delivery-date/confirm", url.Values{"delivery_date": {jp.ISODate(second)}, "current": {jp.ISODate(first)}})
	if res.Status != 200 || !strings.Contains(res.Body, "訂正前の配送予定日") || !strings.Contains(res.Body, jp.Date(first)) {
		t.Fatalf("correction confirm: %d", res.Status)
	}
	if res := op.PostForm(base+"/delivery-date", url.Values{"delivery_date": {jp.ISODate(second)}, "current": {jp.ISODate(first)}}); res.Status != 303 {
		t.Fatalf("correction: %d", res.Status)
	}
	m = env.WaitMail(t, accA.Email, "【訂正】顔認証付きカードリーダー配送予定日のお知らせ")
	if !strings.Contains(m.Body, "■配送予定日（訂正後）\n"+jp.Date(second)) || !strings.Contains(m.Body, "■配送予定日（訂正前）\n"+jp.Date(first)) {
		t.Errorf("correction mail:\n%s", m.Body)
	}
	// 発送済 is confirmed on its own page.
	if res := op.Get(base + "/ship"); res.Status != 200 || !strings.Contains(res.Body, "発送済にする（確認）") {
		t.Fatalf("ship confirm: %d", res.Status)
	}
	if res := op.PostForm(base+"/ship", nil); res.Status != 303 {
		t.Fatalf("ship: %d", res.Status)
	}
	if got, _ := cardreader.ByID(context.Background(), env.DB, app.ID); got.Status != cardreader.StatusShipped {
		t.Errorf("status %s, want 発送済", got.Status)
	}
	// No dead buttons once shipped; the steps are refused by URL too.
	show = op.Get(base)
	if strings.Contains(show.Body, "/delivery-date/confirm") || strings.Contains(show.Body, `href="`+base+`/ship"`) {
		t.Error("steps offered after shipping")
	}
	if res := op.Get(base + "/ship"); res.Status != 303 {
		t.Errorf("ship page after shipping: %d", res.Status)
	}
	if res := op.PostForm(base+"/delivery-date/confirm", url.Values{"delivery_date": {iso(3)}, "current": {jp.ISODate(second)}}); res.Status != 303 {
		t.Errorf("correction after shipping: %d", res.Status)
	}
	// The history names the operator of each step.
	if strings.Count(show.Body, "コールセンター（オペ一郎）") != 3 || !strings.Contains(show.Body, cardreader.ActionCorrect) {
		t.Errorf("history does not name the operator:\n%s", show.Body)
	}
	if res := op.Get("/admin/cardreader/999999"); res.Status != 404 {
		t.Errorf("unknown application: %d", res.Status)
	}
	if res := op.Get("/admin/cardreader/abc"); res.Status != 404 {
		t.Errorf("malformed id: %d", res.Status)
	}
	csv := op.Get("/admin/cardreader/export.csv?encoding=utf8&maker=" + url.QueryEscape(models[0].Maker))
	if csv.Status != 200 || !strings.HasPrefix(csv.Body, "\uFEFF申込番号,") || !strings.Contains(csv.Body, app.Reference) {
		t.Fatalf("export: %d\n%s", csv.Status, csv.Body)
	}
	if res := op.Get("/admin/cardreader/export.csv?encoding=latin1&maker=x"); res.Status != 400 {
		t.Errorf("bad export request: %d", res.Status)
	}
}

func TestCardReaderOnMypage(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, acc, c := crFacility(t, env, "診療所", 1, "3400001", false)
	if page := c.Get("/mypage"); !strings.Contains(page.Body, "未申請") {
		t.Fatalf("mypage before applying:\n%s", page.Body)
	}
	crConfirm(t, c, crForm([2]int64{models[0].ID, 1}))
	app, err := cardreader.ForFacility(context.Background(), env.DB, acc.FacilityID)
	if err != nil {
		t.Fatal(err)
	}
	page := c.Get("/mypage")
	for _, want := range []string{app.Reference, cardreader.StatusReceived, models[0].Label(), "申込（" + app.Reference + "）"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("mypage lacks %q", want)
		}
	}
}
