package sim

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
)

// LeakCheck proves that no secret reached a user or a log: a fault suite
// records every text a user could see, logs through Logger, names every
// secret in play, and calls Verify at the end. A secret counts as leaked in
// its raw form, in standard base64 and URL-escaped. Safe for concurrent use.
type LeakCheck struct {
	log    LockedBuffer
	logger *slog.Logger

	mu      sync.Mutex
	texts   []string
	secrets []string
}

// leakCheckMinLog is the least log a Verify accepts as evidence: less means
// the suite did not log at debug level through Logger.
const leakCheckMinLog = 1000

// NewLeakCheck returns a check with nothing recorded.
func NewLeakCheck() *LeakCheck {
	c := &LeakCheck{}
	// The --debug handler shape (JSON, debug level) without a redactor: the
	// code under test must not hand a log a secret in the first place.
	c.logger = slog.New(slog.NewJSONHandler(&c.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return c
}

// Logger is a debug-level JSON logger whose output Verify searches.
func (c *LeakCheck) Logger() *slog.Logger { return c.logger }

// Log is everything written through Logger so far.
func (c *LeakCheck) Log() string { return c.log.String() }

// Record keeps texts a user could see: views, errors, call records.
func (c *LeakCheck) Record(texts ...string) {
	c.mu.Lock()
	c.texts = append(c.texts, texts...)
	c.mu.Unlock()
}

// Secret names values that must appear in no recorded text and no log.
func (c *LeakCheck) Secret(values ...string) {
	c.mu.Lock()
	c.secrets = append(c.secrets, values...)
	c.mu.Unlock()
}

// Verify reports every secret, in any of its forms, found in a recorded text
// or the log. It also fails when there is too little to prove anything:
// fewer than minTexts texts, minSecrets secrets, or 1000 bytes of log.
func (c *LeakCheck) Verify(minTexts, minSecrets int) error {
	log := c.Log()
	c.mu.Lock()
	texts := append(append([]string(nil), c.texts...), log)
	secrets := append([]string(nil), c.secrets...)
	c.mu.Unlock()
	if len(log) < leakCheckMinLog || len(texts) < minTexts {
		return fmt.Errorf("too little recorded to prove anything: %d texts, %d log bytes", len(texts), len(log))
	}
	if len(secrets) < minSecrets {
		return fmt.Errorf("only %d secrets in play, want %d: the scenarios that hand them out did not run", len(secrets), minSecrets)
	}
	var leaks []error
	for _, secret := range secrets {
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret + "/")} {
			for _, text := range texts {
				if strings.Contains(text, form) {
					leaks = append(leaks, fmt.Errorf("secret %q leaked into:\n%s", form, text))
				}
			}
		}
	}
	return errors.Join(leaks...)
}

// LockedBuffer is a bytes.Buffer that many goroutines (a logger, a
// process's output) may write while a test reads it.
type LockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
