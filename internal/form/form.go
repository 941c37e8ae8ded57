// Package form is the machinery every form of the portal shares: cleaning what was typed
// (trimming, folding full-width digits and hyphens), refusing text no one types (invalid
// UTF-8, control characters) as a field error rather than a 500, per-field Japanese error
// messages, and the banner shown above a form that has errors.
//
// A handler reads a request with Input, fills a form struct, validates it with Validate
// (go-playground/validator rules, labels from the `label` tag) plus the form's own rule
// functions, and on errors re-renders the page with status 422, the values kept (passwords
// excepted) and the Errors passed to the partials in web/templates/partials/form.html.
package form

import (
	"slices"
	"sort"
)

// Banner is the message above a form that has errors, word for word from the real portal.
const Banner = "▲エラーが発生しました。入力フォームのエラー箇所をチェックしてください。"

// Errors maps a field's name (its HTML name and id) to the Japanese message shown beside it.
// A nil Errors is valid and empty for reading; use Add, which allocates, to write.
type Errors map[string]string

// Add records msg for field unless the field already has a message: the first problem
// found is the one worth fixing first.
func (e *Errors) Add(field, msg string) {
	if *e == nil {
		*e = Errors{}
	}
	if _, ok := (*e)[field]; !ok {
		(*e)[field] = msg
	}
}

// Has reports whether field has an error.
func (e Errors) Has(field string) bool { _, ok := e[field]; return ok }

// Valid reports whether there are no errors.
func (e Errors) Valid() bool { return len(e) == 0 }

// Merge adds every message of other that e does not have yet.
func (e *Errors) Merge(other Errors) {
	for _, k := range sortedKeys(other) {
		e.Add(k, other[k])
	}
}

// Item is one field's error as the templates use it.
type Item struct {
	// ID is the id of the field's input element (the field's name).
	ID string
	// Message is the error, empty when the field is fine.
	Message string
	// DescribedBy is the value for the input's aria-describedby: the hint ids given to
	// Field and, when there is an error, the id of the error message.
	DescribedBy string
}

// ErrorID is the id of the element holding the error message of the field id.
func ErrorID(id string) string { return id + "-error" }

// Field returns field's Item; hints are the ids of help texts the input should also be
// described by. Templates call it as (.Errors.Field "phone" "phone-hint").
func (e Errors) Field(field string, hints ...string) Item {
	it := Item{ID: field, Message: e[field]}
	ids := slices.Clone(hints)
	if it.Message != "" {
		ids = append(ids, ErrorID(field))
	}
	for i, id := range ids {
		if i > 0 {
			it.DescribedBy += " "
		}
		it.DescribedBy += id
	}
	return it
}

// Items lists the errors for the banner: first the fields named in order (the order they
// appear on the page), then any others by name. Templates call it as (.Errors.Items "a" "b").
func (e Errors) Items(order ...string) []Item {
	out := make([]Item, 0, len(e))
	seen := make(map[string]bool, len(e))
	for _, f := range order {
		if msg, ok := e[f]; ok && !seen[f] {
			out = append(out, Item{ID: f, Message: msg})
			seen[f] = true
		}
	}
	for _, f := range sortedKeys(e) {
		if !seen[f] {
			out = append(out, Item{ID: f, Message: e[f]})
		}
	}
	return out
}

func sortedKeys(m Errors) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
