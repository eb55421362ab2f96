package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/bedrockplan/bedrockplan/reports"
)

// version names the build: the module version, or the VCS revision of a
// development build.
func version() string {
	if v := os.Getenv("BEDROCKPLAN_VERSION"); v != "" {
		return v // fixed by tests and reproducible builds
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// now is the report's clock: BEDROCKPLAN_NOW (RFC 3339) when set, so a
// report can be reproduced to the byte, else the system clock.
func now() time.Time {
	if v := os.Getenv("BEDROCKPLAN_NOW"); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.UTC()
		}
	}
	return time.Now().UTC()
}

// inputsOf lists the files a report was made from, with their SHA-256.
func inputsOf(paths ...string) ([]reports.Input, error) {
	var out []reports.Input
	for _, p := range paths {
		if p == "" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, reports.Input{Name: p, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	return out, nil
}
