package form_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"portal/internal/form"
	webfs "portal/web"
)

// TestPartials renders the shared partials the way a page uses them, so a change to
// form.html that breaks the banner, the field's ARIA attributes or escaping fails here.
func TestPartials(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("").ParseFS(webfs.Templates, "templates/partials/form.html"))
	template.Must(tmpl.New("page").Parse(`{{template "form-banner" (.Errors.Items "phone" "name")}}` +
		`{{with .Errors.Field "phone" "phone-hint"}}<input id="phone" name="phone" value="{{$.Phone}}"{{template "field-aria" .}}>{{template "field-error" .}}{{end}}` +
		`{{with .Errors.Field "name"}}<input id="name" name="name"{{template "field-aria" .}}>{{template "field-error" .}}{{end}}`))
	render := func(data any) string {
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, "page", data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	type page struct {
		Errors form.Errors
		Phone  string
	}
	got := render(page{Errors: form.Errors{"name": "医療機関等名を入力してください。", "phone": "<b>電話</b>"}, Phone: `"><script>`})
	for _, want := range []string{
		form.Banner,
		`role="alert"`,
		`<li><a href="#phone">&lt;b&gt;電話&lt;/b&gt;</a></li>`,
		`<li><a href="#name">医療機関等名を入力してください。</a></li>`,
		`value="&#34;&gt;&lt;script&gt;" aria-describedby="phone-hint phone-error" aria-invalid="true">`,
		`<p class="field-error" id="phone-error">`,
		`<input id="name" name="name" aria-describedby="name-error" aria-invalid="true">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Index(got, `href="#phone"`) > strings.Index(got, `href="#name"`) {
		t.Error("banner links not in page order")
	}
	clean := render(page{Phone: "03-1234-5678"})
	if strings.Contains(clean, "form-banner") || strings.Contains(clean, "aria-invalid") || strings.Contains(clean, "field-error") {
		t.Errorf("no errors but error markup:\n%s", clean)
	}
	if !strings.Contains(clean, `value="03-1234-5678" aria-describedby="phone-hint">`) {
		t.Errorf("hint not described:\n%s", clean)
	}
}
