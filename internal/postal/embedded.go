package postal

import (
	"bytes"
	_ "embed"
	"sync"
)

//go:embed data/postal.bin.gz
var embeddedData []byte

var (
	embeddedOnce sync.Once
	embeddedSnap *Snapshot
	embeddedErr  error
)

// Embedded returns the postal data built into the binary (see the package comment),
// decoded on first use and shared afterwards.
func Embedded() (*Snapshot, error) {
	embeddedOnce.Do(func() { embeddedSnap, embeddedErr = Decode(bytes.NewReader(embeddedData)) })
	return embeddedSnap, embeddedErr
}
