package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/postal"
	"portal/internal/webtest"
)

type lookupJSON struct {
	Candidates []postal.Address `json:"candidates"`
	Message    string           `json:"message"`
}

func getLookup(t *testing.T, c *webtest.Client, code string) (*webtest.Response, lookupJSON) {
	t.Helper()
	res := c.Get("/postal/lookup?code=" + url.QueryEscape(code))
	var body lookupJSON
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatalf("lookup %q: %d %q: %v", code, res.Status, res.Body, err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("lookup %q: Content-Type %q", code, ct)
	}
	return res, body
}

func TestPostalLookupJSON(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)

	res := c.Get("/postal/lookup?code=1000013")
	want := `{"candidates":[{"prefecture_code":13,"prefecture":"東京都","city":"千代田区","town":"霞が関"}]}`
	if res.Status != 200 || res.Body != want {
		t.Errorf("1000013: %d %s", res.Status, res.Body)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=86400") {
		t.Errorf("Cache-Control %q", cc)
	}

	for _, code := range []string{"１００－００１３", "〒100-0013", "100 0013"} {
		if res, body := getLookup(t, c, code); res.Status != 200 || len(body.Candidates) != 1 || body.Candidates[0].Town != "霞が関" {
			t.Errorf("%q: %d %+v", code, res.Status, body)
		}
	}

	res, body := getLookup(t, c, "9218046")
	if res.Status != 200 || len(body.Candidates) != 2 || body.Candidates[1].Town != "三小牛町" || body.Message != "" {
		t.Errorf("several: %d %+v", res.Status, body)
	}

	res, body = getLookup(t, c, "1000007")
	if res.Status != 200 || len(body.Candidates) != 0 || body.Message != "該当する住所が見つかりませんでした。" || !strings.Contains(res.Body, `"candidates":[]`) {
		t.Errorf("unknown: %d %s", res.Status, res.Body)
	}

	for _, code := range []string{"", "12345", "12345678", "<script>alert(1)</script>", "1000013' OR '1'='1", "\x00\x01", strings.Repeat("9", 5000)} {
		res, body := getLookup(t, c, code)
		if res.Status != 422 || body.Message != "郵便番号は7桁の数字で入力してください。" || len(body.Candidates) != 0 {
			t.Errorf("bad %q: %d %+v", code, res.Status, body)
		}
		if strings.Contains(res.Body, "<script>") || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("bad %q: %s %q", code, res.Body, res.Header.Get("Cache-Control"))
		}
	}
}

// TestPostalLookupUsesImportedData: once the database holds an import, a starting
// instance answers from it, not from the embedded data.
func TestPostalLookupUsesImportedData(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	_, err := postal.Import(context.Background(), env.DB, "test.csv", []postal.Record{
		{Code: "1000013", PrefectureCode: 13, City: "千代田区", Town: "霞が関（テスト）"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	if _, body := getLookup(t, c, "1000013"); len(body.Candidates) != 1 || body.Candidates[0].Town != "霞が関（テスト）" {
		t.Errorf("imported: %+v", body)
	}
	if _, body := getLookup(t, c, "1500000"); len(body.Candidates) != 0 {
		t.Errorf("not imported but found: %+v", body)
	}
	if res := c.Get("/postal/try"); !strings.Contains(res.Body, "（test.csv (import 1)）") {
		t.Errorf("the page does not name the imported data: %s", res.Body)
	}
}

func TestPostalTryWithoutJavaScript(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)

	res := c.Get("/postal/try")
	if res.Status != 200 || !strings.Contains(res.Body, "<h1>郵便番号から住所検索</h1>") || !strings.Contains(res.Body, "【郵便番号から住所検索】") ||
		!strings.Contains(res.Body, "（jquery-jpostal-ja 2.14.73") {
		t.Fatalf("page: %d", res.Status)
	}

	// One address: 都道府県 and 住所 are filled, the building name typed is kept.
	res = c.PostForm("/postal/try", url.Values{"zip1": {"１００"}, "zip2": {"００１３"}, "building": {"霞が関ビル"}, "postal_lookup": {"1"}})
	if res.Status != 200 || !strings.Contains(res.Body, `<option value="13" selected>東京都</option>`) ||
		!strings.Contains(res.Body, `id="addr" name="addr" value="千代田区霞が関"`) || !strings.Contains(res.Body, `value="霞が関ビル"`) ||
		!strings.Contains(res.Body, `value="１００"`) || !strings.Contains(res.Body, "住所を入力しました。") {
		t.Errorf("one address: %d %s", res.Status, res.Body)
	}

	// Several: a choice, then the chosen one is filled.
	res = c.PostForm("/postal/try", url.Values{"zip1": {"921"}, "zip2": {"8046"}, "postal_lookup": {"1"}})
	if res.Status != 200 || !strings.Contains(res.Body, "該当する住所が複数あります。選んでください。") ||
		!strings.Contains(res.Body, `<label for="postal_choice_1">石川県金沢市三小牛町</label>`) {
		t.Errorf("several: %d %s", res.Status, res.Body)
	}
	res = c.PostForm("/postal/try", url.Values{"zip1": {"921"}, "zip2": {"8046"}, "postal_choice": {"1"}, "postal_choose": {"1"}})
	if res.Status != 200 || !strings.Contains(res.Body, `value="金沢市三小牛町"`) || !strings.Contains(res.Body, `<option value="17" selected>石川県</option>`) ||
		strings.Contains(res.Body, "postal_choice_0") {
		t.Errorf("chosen: %d %s", res.Status, res.Body)
	}
	res = c.PostForm("/postal/try", url.Values{"zip1": {"921"}, "zip2": {"8046"}, "postal_choice": {"99"}, "postal_choose": {"1"}})
	if res.Status != 200 || !strings.Contains(res.Body, "postal_choice_1") || !strings.Contains(res.Body, "住所を選んでから") {
		t.Errorf("out-of-range choice: %d", res.Status)
	}

	// Unknown.
	res = c.PostForm("/postal/try", url.Values{"zip1": {"100"}, "zip2": {"0007"}, "addr": {"手入力の住所"}, "postal_lookup": {"1"}})
	if res.Status != 200 || !strings.Contains(res.Body, "該当する住所が見つかりませんでした。") || !strings.Contains(res.Body, `value="手入力の住所"`) {
		t.Errorf("unknown: %d", res.Status)
	}

	// Bad and hostile input: 422, message beside the field, nothing unescaped.
	const unprintable = "使用できない文字が含まれています。"
	for _, tc := range []struct {
		zip url.Values
		msg string
	}{
		{url.Values{"zip1": {"12"}, "zip2": {"345"}}, postal.MessageInvalidCode},
		{url.Values{"zip1": {"<script>alert(1)</script>"}, "zip2": {""}}, postal.MessageInvalidCode},
		{url.Values{"zip1": {"100\x00"}, "zip2": {"0013"}}, unprintable},
		{url.Values{"zip1": {"\xff\xfe"}, "zip2": {"0013"}}, unprintable},
	} {
		zip := tc.zip
		zip.Set("postal_lookup", "1")
		res = c.PostForm("/postal/try", zip)
		if res.Status != 422 || !strings.Contains(res.Body, `id="zip1-error"`) || !strings.Contains(res.Body, tc.msg) ||
			!strings.Contains(res.Body, "▲エラーが発生しました。") || !strings.Contains(res.Body, `aria-invalid="true"`) || strings.Contains(res.Body, "<script>alert") {
			t.Errorf("bad %q: %d %s", zip, res.Status, res.Body)
		}
	}
}

func TestBrowserPostalLookup(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	tab := browsertest.Tab(t, 60*time.Second)

	browsertest.Run(t, tab, "open the page",
		chromedp.Navigate(env.URL+"/postal/try"),
		chromedp.WaitVisible("#zip1"),
		chromedp.SendKeys("#zip1", "１００"),
		chromedp.SendKeys("#zip2", "0013"),
		chromedp.Click("[data-postal-lookup]"),
		chromedp.WaitVisible(`.postal-status`),
	)
	browsertest.Run(t, tab, "address filled in place", chromedp.Poll[chromedp.Void](`document.querySelector("#addr").value === "千代田区霞が関"`))
	if v := browsertest.Get(t, tab, "prefecture", chromedp.Value("#pref")); v != "13" {
		t.Errorf("prefecture select = %q, want 13", v)
	}
	if v := browsertest.Get(t, tab, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); v != "addr" {
		t.Errorf("focus on %q, want the address field", v)
	}
	browsertest.Run(t, tab, "announced", chromedp.Poll[chromedp.Void](`document.querySelector(".postal-status").textContent.includes("住所を入力しました")`))
	if u := browsertest.Get(t, tab, "still on the page", chromedp.Location()); !strings.HasSuffix(u, "/postal/try") {
		t.Errorf("the button submitted the form: %s", u)
	}

	// Several candidates: a list to choose from.
	browsertest.Run(t, tab, "several",
		chromedp.SetValue("#zip1", "921"),
		chromedp.SetValue("#zip2", "8046"),
		chromedp.Click("[data-postal-lookup]"),
		chromedp.WaitVisible(".postal-choices button.postal-choice"),
	)
	labels := browsertest.Get(t, tab, "choices", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".postal-choice")].map(b => b.textContent)`))
	if len(labels) != 2 || labels[0] != "石川県金沢市大桑町" || labels[1] != "石川県金沢市三小牛町" {
		t.Fatalf("choices %q", labels)
	}
	browsertest.Run(t, tab, "announced several", chromedp.Poll[chromedp.Void](`document.querySelector(".postal-status").textContent.includes("2件")`))
	browsertest.Run(t, tab, "choose the second",
		chromedp.Click(".postal-choices li:nth-child(2) button"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#addr").value === "金沢市三小牛町" && !document.querySelector(".postal-choices")`),
	)
	if v := browsertest.Get(t, tab, "prefecture", chromedp.Value("#pref")); v != "17" {
		t.Errorf("prefecture select = %q, want 17", v)
	}

	// A bad code: the message, the field marked, nothing filled.
	browsertest.Run(t, tab, "bad code",
		chromedp.SetValue("#zip1", "12"),
		chromedp.SetValue("#zip2", "3"),
		chromedp.Click("[data-postal-lookup]"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".postal-status").textContent === "郵便番号は7桁の数字で入力してください。"`),
	)
	if v := browsertest.Get(t, tab, "invalid", chromedp.Evaluate[string](`document.querySelector("#zip1").getAttribute("aria-invalid")`)); v != "true" {
		t.Errorf("aria-invalid = %q", v)
	}
}
