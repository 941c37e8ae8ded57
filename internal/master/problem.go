package master

import (
	"fmt"
	"strings"
)

// Problem is one reason a file was refused, at a line of the file (1 is the header;
// 0 when the problem concerns the whole file).
type Problem struct {
	Line   int
	Reason string
}

// String reads like 「3行目: 点数表コードは1、3、4のいずれかです」.
func (p Problem) String() string {
	if p.Line <= 0 {
		return p.Reason
	}
	return fmt.Sprintf("%d行目: %s", p.Line, p.Reason)
}

// ValidationError lists every problem of a refused file, in line order.
type ValidationError struct {
	Problems []Problem
}

// Error gives every problem, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "master: 施設マスタに%d件の問題があるため取り込みませんでした", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.String())
	}
	return b.String()
}
