package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/AXE-LICENSE.txt: version, licence, how to update).
//
//go:embed testdata/axe.min.js
var axeSource string

// AxeTags are the rule sets Audit runs: WCAG 2.0/2.1 A and AA, WCAG 2.2 AA, and axe's
// best practices (landmarks, heading order, one main, ...).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeViolation is the part of an axe result Audit reports.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	// Target is the CSS selector path of the element (nested arrays for frames/shadow DOM).
	Target  []any  `json:"target"`
	Summary string `json:"summary"`
}

type axeReport struct {
	Violations []axeViolation `json:"violations"`
	// Incomplete names the rules axe could not decide (e.g. contrast over an image) and
	// the first elements concerned.
	Incomplete []string `json:"incomplete"`
}

// axeRun runs axe on the document and keeps only what Audit reports, so the result
// crossing the DevTools protocol stays small.
const axeRun = `axe.run(document, {runOnly: %s, resultTypes: ['violations']}).then(r => ({
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, summary: (n.failureSummary || '').slice(0, 300)})),
  })),
  incomplete: r.incomplete.map(v => v.id + ' ' + JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))),
}))`

// runAxe injects axe-core into the tab's page (once per document) and runs it.
func runAxe(tab context.Context) (axeReport, error) {
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](
		`if (typeof window.axe === "undefined") {`+axeSource+"\n}")); err != nil {
		return axeReport{}, fmt.Errorf("inject axe: %w", err)
	}
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	rep, err := chromedp.Run(tab, chromedp.Evaluate[axeReport](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return axeReport{}, fmt.Errorf("axe.run: %w", err)
	}
	return rep, nil
}

// Audit runs axe-core on the page the tab shows now. Each violation of impact serious or
// critical fails the test (it goes on, so one run lists every page's problems); moderate
// and minor ones are logged. page names the page in the messages.
//
// axe is injected with DevTools' Runtime.evaluate, which the page's Content-Security-Policy
// does not govern (a <script> the page itself added would be refused).
func Audit(t testing.TB, tab context.Context, page string) {
	t.Helper()
	rep, err := runAxe(tab)
	if err != nil {
		t.Fatalf("audit %s: %v", page, err)
	}
	for _, v := range rep.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "a11y %s: %s [%s] %s", page, v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "\n    ... and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n    %v", n.Target)
			if n.Summary != "" {
				fmt.Fprintf(&b, " — %s", strings.ReplaceAll(n.Summary, "\n", " "))
			}
		}
		switch v.Impact {
		case "serious", "critical":
			t.Error(b.String())
		default:
			t.Log(b.String())
		}
	}
	if len(rep.Incomplete) > 0 {
		t.Logf("a11y %s: for review (axe undecided): %s", page, strings.Join(rep.Incomplete, "; "))
	}
}
