package cardreader

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// export streams the CSV for one maker (UTF-8 with BOM or CP932, chosen at
// export) straight from the database to the response; the export is audited.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	makers, err := h.readers.Makers(ctx)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	in := form.NewInput(r.URL.Query())
	maker, status := in.Text("maker"), in.Text("status")
	enc, encErr := jp.ParseEncoding(in.Text("encoding"))
	if !slices.Contains(makers, maker) || (status != "" && !slices.Contains(cardreader.Statuses, status)) || encErr != nil {
		h.Error(w, r, http.StatusBadRequest)
		return
	}
	name := fmt.Sprintf("cardreader_%s_%s.csv", maker, jp.Now().Format("20060102"))
	charset := "utf-8"
	if enc == jp.CP932 {
		charset = "shift_jis"
	}
	w.Header().Set("Content-Type", "text/csv; charset="+charset)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cardreader.csv"; filename*=UTF-8''%s`, url.PathEscape(name)))
	if err := h.readers.Export(ctx, *site.CurrentOperator(r), w, maker, status, enc); err != nil {
		// The status may already be sent; log it, and the truncated file tells the operator.
		h.Log.ErrorContext(ctx, "card reader export failed", site.RequestAttrs(r), site.ErrAttr(err))
	}
}
