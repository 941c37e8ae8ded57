package applist

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/application"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// Kind is one application kind's pages in the back office: the filtered list with its
// CSV, one record's detail, and the operator's steps on it, each confirmed on its own page.
// R is a row of the list, D the detail of one record.
type Kind[R, D any] struct {
	*site.Site
	// Path is the list's path (/admin/qualification); records are Path/{id}.
	Path string
	// Name is the template folder: Name/index and Name/show.
	Name string
	// CSV names the exported file.
	CSV      string
	Statuses []string
	List     func(ctx context.Context, req application.ListRequest) (listing.Page[R], error)
	Detail   func(ctx context.Context, id int64) (D, error)
	Export   func(ctx context.Context, op operator.Operator, w io.Writer, fl application.Filter, enc jp.Encoding) error
	Steps    []Step[D]
}

// Step is one operator step on a record.
type Step[D any] struct {
	// Slug is the step's path below the record: Path/{id}/Slug.
	Slug, Title, Button string
	// Lines says what the step does, after the record's own lines.
	Lines func(d D) []string
	// Done is the notice once it is done.
	Done string
	// ReasonLabel, when set, asks for a reason (差戻しの理由).
	ReasonLabel string
	// Danger marks a step that cannot be undone.
	Danger bool
	// Allowed reports whether the record's status allows the step now.
	Allowed func(d D) bool
	// Do takes the step (one domain call).
	Do func(ctx context.Context, op operator.Operator, id int64, reason string) error
}

// Mount registers the kind's routes (inside the operators' group).
func Mount[R, D any](r chi.Router, k *Kind[R, D]) {
	r.Get(k.Path, k.index)
	r.Get(k.Path+"/export.csv", k.export)
	r.Get(k.Path+"/{id}", k.show)
	for i := range k.Steps {
		s := &k.Steps[i]
		r.Get(k.Path+"/{id}/"+s.Slug, func(w http.ResponseWriter, r *http.Request) { k.confirm(w, r, s) })
		r.Post(k.Path+"/{id}/"+s.Slug, func(w http.ResponseWriter, r *http.Request) { k.take(w, r, s) })
	}
}

// IndexPage is the data of Name/index.
type IndexPage[R any] struct {
	Page
	Rows []R
}

func (k *Kind[R, D]) index(w http.ResponseWriter, r *http.Request) {
	req, q, errs := Read(r, k.Statuses)
	p, err := k.List(r.Context(), req)
	if err != nil {
		k.ServerError(w, r, err)
		return
	}
	k.RenderAdmin(w, r, http.StatusOK, k.Name+"/index", &IndexPage[R]{Page: NewPage(k.Path, k.Statuses, q, errs, req.Request, p), Rows: p.Rows})
}

// export streams the filtered list as CSV; the export is audited in the domain.
func (k *Kind[R, D]) export(w http.ResponseWriter, r *http.Request) {
	req, _, errs := Read(r, k.Statuses)
	enc, err := jp.ParseEncoding(r.URL.Query().Get("encoding"))
	if err != nil || !errs.Valid() {
		k.Error(w, r, http.StatusBadRequest)
		return
	}
	file := site.NewCSVFile(w, k.CSV+".csv", fmt.Sprintf("%s_%s.csv", k.CSV, jp.Now().Format("20060102")), enc)
	if err := k.Export(r.Context(), *site.CurrentOperator(r), file, req.Filter, enc); err != nil {
		k.ExportFailed(w, r, file, err)
	}
}

// StepLink is a step the record's status allows, as the detail page offers it.
type StepLink struct {
	Href, Button string
	Danger       bool
}

// ShowPage is the data of Name/show.
type ShowPage[D any] struct {
	site.AdminBase
	Detail D
	Steps  []StepLink
}

func (k *Kind[R, D]) load(w http.ResponseWriter, r *http.Request) (D, int64, bool) {
	id := ID(r, chi.URLParam(r, "id"))
	d, err := k.Detail(r.Context(), id)
	switch {
	case errors.Is(err, application.ErrNotFound):
		k.NotFound(w, r)
		return d, id, false
	case err != nil:
		k.ServerError(w, r, err)
		return d, id, false
	}
	return d, id, true
}

func (k *Kind[R, D]) recordPath(id int64) string { return fmt.Sprintf("%s/%d", k.Path, id) }

func (k *Kind[R, D]) show(w http.ResponseWriter, r *http.Request) {
	d, id, ok := k.load(w, r)
	if !ok {
		return
	}
	page := &ShowPage[D]{Detail: d}
	for _, s := range k.Steps {
		if s.Allowed(d) {
			page.Steps = append(page.Steps, StepLink{Href: k.recordPath(id) + "/" + s.Slug, Button: s.Button, Danger: s.Danger})
		}
	}
	k.RenderAdmin(w, r, http.StatusOK, k.Name+"/show", page)
}

func (k *Kind[R, D]) confirmPage(d D, id int64, s *Step[D]) *ConfirmPage {
	return &ConfirmPage{Title: s.Title, Button: s.Button, Back: k.recordPath(id), Action: k.recordPath(id) + "/" + s.Slug,
		Lines: s.Lines(d), Reason: s.ReasonLabel != "", ReasonLabel: s.ReasonLabel, Danger: s.Danger}
}

// confirm asks before the step; a status that no longer allows it goes back to the record
// with a notice.
func (k *Kind[R, D]) confirm(w http.ResponseWriter, r *http.Request, s *Step[D]) {
	d, id, ok := k.load(w, r)
	if !ok {
		return
	}
	if !s.Allowed(d) {
		Done(k.Site, w, r, application.ErrNotAllowed, k.recordPath(id), "")
		return
	}
	Confirm(k.Site, w, r, k.confirmPage(d, id, s))
}

// take runs the step; the domain checks the status again inside its transaction.
func (k *Kind[R, D]) take(w http.ResponseWriter, r *http.Request, s *Step[D]) {
	d, id, ok := k.load(w, r)
	if !ok {
		return
	}
	reason := ""
	if s.ReasonLabel != "" {
		p := k.confirmPage(d, id, s)
		if reason, ok = ReadReason(r, p); !ok {
			Confirm(k.Site, w, r, p)
			return
		}
	}
	Done(k.Site, w, r, s.Do(r.Context(), *site.CurrentOperator(r), id, reason), k.recordPath(id), s.Done)
}
