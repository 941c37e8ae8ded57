package audit

import (
	"fmt"
	"net/http"
	"net/url"

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
	charset := "utf-8"
	if enc == jp.CP932 {
		charset = "shift_jis"
	}
	name := fmt.Sprintf("操作履歴_%s.csv", jp.Now().Format("20060102"))
	w.Header().Set("Content-Type", "text/csv; charset="+charset)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit.csv"; filename*=UTF-8''%s`, url.PathEscape(name)))
	if err := h.audit.Export(ctx, *site.CurrentOperator(r), w, f, enc); err != nil {
		// The status may already be sent; log it, and the truncated file tells the supervisor.
		h.Log.ErrorContext(ctx, "audit export failed", site.RequestAttrs(r), site.ErrAttr(err))
	}
}
