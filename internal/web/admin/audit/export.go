package audit

import (
	"fmt"
	"net/http"

	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// export streams the entries matching the filter as CSV (UTF-8 with BOM or CP932); the
// download itself is recorded in the trail.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ops, err := h.audit.Operators(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	_, f, errs := readFilter(r.URL.Query(), ops)
	enc, encErr := jp.ParseEncoding(form.NewInput(r.URL.Query()).Text("encoding"))
	if !errs.Valid() || encErr != nil {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	file := site.NewCSVFile(w, "audit.csv", fmt.Sprintf("操作履歴_%s.csv", jp.Now().Format("20060102")), enc)
	if err := h.audit.Export(ctx, *site.CurrentOperator(r), file, f, enc); err != nil {
		h.ExportFailed(w, r, file, err)
	}
}
