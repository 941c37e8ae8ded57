package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/cardreader"
	"portal/internal/webtest"
)

// crBrowserLogin signs in through the login page.
func crBrowserLogin(t *testing.T, tab context.Context, env *webtest.Env, email string) {
	t.Helper()
	browsertest.Run(t, tab, "sign in as "+email,
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, "Passw0rd123"),
		chromedp.Click(`form button[type=submit]`),
		// Wait for マイページ itself: the login page's own h1 is visible at once, and a
		// navigation started before the form's lands would abort it.
		chromedp.WaitVisible(`main a[href="/account/edit"]`))
}

// crBrowserConfirm goes from the filled form to the completion page and returns its text.
func crBrowserConfirm(t *testing.T, tab context.Context) string {
	t.Helper()
	browsertest.Run(t, tab, "確認画面へ進む → 上記の内容で確定する",
		chromedp.Click(`form[action="/cardreader"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`form[action="/cardreader/confirm"]`),
		chromedp.Click(`form[action="/cardreader/confirm"] button[type=submit]`),
		chromedp.WaitVisible(`.complete-box`))
	return browsertest.Get(t, tab, "completion", chromedp.Text(`.complete-box`))
}

// TestBrowserCardReaderHospital: a hospital applies for three readers from two makers with
// a delivery change filled by the in-page postal lookup, then cancels; the mails arrive.
func TestBrowserCardReaderHospital(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, acc, _ := crFacility(t, env, "病院", 1, "4000001", false)
	tab := browsertest.Tab(t, 90*time.Second)
	crBrowserLogin(t, tab, env, acc.Email)

	browsertest.Run(t, tab, "open the form and answer the survey",
		chromedp.Navigate(env.URL+"/cardreader"),
		chromedp.WaitVisible(`#intro_year`),
		chromedp.SendKeys(`#intro_year`, "2027"),
		chromedp.SendKeys(`#intro_month`, "4"),
		chromedp.Click(`input[name=online_claim][value="`+cardreader.Planned+`"]`),
		chromedp.WaitVisible(`#online_claim_year`),
		chromedp.SendKeys(`#online_claim_year`, "2027"),
		chromedp.SendKeys(`#online_claim_month`, "6"),
		chromedp.Click(`input[name=emr][value="`+cardreader.Introduced+`"]`))
	if vis := browsertest.Get(t, tab, "emr year hidden", chromedp.Evaluate[bool](`document.getElementById("emr-planned").hidden`)); !vis {
		t.Error("the 年/月 of 電子カルテ shows although 導入している was chosen")
	}
	browsertest.Run(t, tab, "readers: 2 + 1 from two makers",
		chromedp.SetValue(`#model1`, fmt.Sprint(models[0].ID)),
		chromedp.SetValue(`#qty1`, "2"),
		chromedp.SetValue(`#model2`, fmt.Sprint(models[1].ID)),
		chromedp.SetValue(`#qty2`, "1"))
	browsertest.Run(t, tab, "delivery change with the postal lookup",
		chromedp.Click(`#delivery_change`),
		chromedp.WaitVisible(`#delivery_zip1`),
		chromedp.SendKeys(`#delivery_zip1`, "100"),
		chromedp.SendKeys(`#delivery_zip2`, "0013"),
		chromedp.Click(`button[data-postal-lookup]`))
	browsertest.Get(t, tab, "address filled in the page",
		chromedp.Poll[bool](`document.getElementById("delivery_address").value.startsWith("千代田区霞が関")`))
	pref := browsertest.Get(t, tab, "prefecture", chromedp.Value(`#delivery_pref`))
	if pref != "13" {
		t.Errorf("都道府県 %q, want 13 (東京都)", pref)
	}
	browsertest.Run(t, tab, "the rest of the delivery",
		chromedp.SendKeys(`#delivery_address`, "1-2-2"),
		chromedp.SendKeys(`#delivery_name`, "テスト病院 別館"),
		chromedp.SendKeys(`#delivery_phone`, "０３－１２３４－５６７８"),
		chromedp.SendKeys(`#delivery_contact`, "配送 太郎"))
	done := crBrowserConfirm(t, tab)
	if !strings.Contains(done, "送信が完了しました。") {
		t.Fatalf("completion: %q", done)
	}
	app, err := cardreader.ForFacility(context.Background(), env.DB, acc.FacilityID)
	if err != nil || app.Input.Items[0].Quantity != 2 || app.Input.Items[1].Quantity != 1 || app.Input.Delivery.Phone != "03-1234-5678" ||
		app.Input.Delivery.Address != "千代田区霞が関1-2-2" {
		t.Fatalf("stored: %+v %v", app.Input, err)
	}
	env.WaitMail(t, acc.Email, "顔認証付きカードリーダー申込完了のお知らせ")

	browsertest.Run(t, tab, "cancel from the form",
		chromedp.Navigate(env.URL+"/cardreader"),
		chromedp.Click(`a[href="/cardreader/cancel"]`),
		chromedp.WaitVisible(`form[action="/cardreader/cancel"]`),
		chromedp.Click(`form[action="/cardreader/cancel"] button[type=submit]`),
		chromedp.WaitVisible(`.complete-box`))
	env.WaitMail(t, acc.Email, "顔認証付きカードリーダー申込取消のお知らせ")
}

// TestBrowserCardReaderClinic: a clinic is held to one reader with the error beside the
// field, keeps what it typed, then applies.
func TestBrowserCardReaderClinic(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, acc, _ := crFacility(t, env, "診療所", 1, "4000002", false)
	tab := browsertest.Tab(t, 90*time.Second)
	crBrowserLogin(t, tab, env, acc.Email)
	browsertest.Run(t, tab, "two readers for a clinic",
		chromedp.Navigate(env.URL+"/cardreader"),
		chromedp.WaitVisible(`#intro_year`),
		chromedp.SendKeys(`#intro_year`, "２０２７"),
		chromedp.SendKeys(`#intro_month`, "10"),
		chromedp.Click(`input[name=online_claim][value="`+cardreader.Introduced+`"]`),
		chromedp.SetValue(`#model1`, fmt.Sprint(models[2].ID)),
		chromedp.SetValue(`#qty1`, "2"),
		chromedp.Click(`form[action="/cardreader"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`#qty1-error`))
	banner := browsertest.Get(t, tab, "banner", chromedp.Text(`.form-banner`))
	if !strings.Contains(banner, "▲エラーが発生しました。入力フォームのエラー箇所をチェックしてください。") {
		t.Errorf("banner %q", banner)
	}
	if y := browsertest.Get(t, tab, "year kept", chromedp.Value(`#intro_year`)); y != "2027" {
		t.Errorf("typed year not kept: %q", y)
	}
	browsertest.Run(t, tab, "one reader", chromedp.SetValue(`#qty1`, "1"))
	if done := crBrowserConfirm(t, tab); !strings.Contains(done, "ありがとうございました。") {
		t.Fatalf("completion: %q", done)
	}
	m := env.WaitMail(t, acc.Email, "顔認証付きカードリーダー申込完了のお知らせ")
	if !strings.Contains(m.Body, "オンライン資格確認は導入できません") {
		t.Errorf("mail:\n%s", m.Body)
	}
}

// TestBrowserCardReaderEnterSubmits: pressing Enter in a field of the card reader form is
// 確認画面へ進む, not 【郵便番号から住所検索】, though the lookup button comes first in the form.
func TestBrowserCardReaderEnterSubmits(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, acc, _ := crFacility(t, env, "診療所", 1, "4000003", false)
	tab := browsertest.Tab(t, 90*time.Second)
	crBrowserLogin(t, tab, env, acc.Email)
	browsertest.Run(t, tab, "fill the form, a delivery change included",
		chromedp.Navigate(env.URL+"/cardreader"),
		chromedp.WaitVisible(`#intro_year`),
		chromedp.SendKeys(`#intro_year`, "2027"),
		chromedp.SendKeys(`#intro_month`, "4"),
		chromedp.Click(`input[name=online_claim][value="`+cardreader.Introduced+`"]`),
		chromedp.SetValue(`#model1`, fmt.Sprint(models[0].ID)),
		chromedp.SetValue(`#qty1`, "1"),
		chromedp.Click(`#delivery_change`),
		chromedp.WaitVisible(`#delivery_zip1`),
		chromedp.SendKeys(`#delivery_zip1`, "100"),
		chromedp.SendKeys(`#delivery_zip2`, "0013"),
		chromedp.SetValue(`#delivery_pref`, "13"),
		chromedp.SendKeys(`#delivery_address`, "千代田区霞が関1-2-2"),
		chromedp.SendKeys(`#delivery_name`, "別館"),
		chromedp.SendKeys(`#delivery_phone`, "03-1234-5678"),
		chromedp.SendKeys(`#delivery_contact`, "配送 太郎"),
		chromedp.Focus(`#delivery_zip2`))
	browsertest.Run(t, tab, "Enter in the postal code field", pressEnter,
		chromedp.WaitVisible(`form[action="/cardreader/confirm"]`))
}
