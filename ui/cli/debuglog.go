package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"unicode"
)

// openDebugLog opens --debug's log for this run (a discarding logger without
// it) and the redactor that scrubs the secrets the command resolves.
func (r *runner) openDebugLog() (*slog.Logger, *redactor, error) {
	redact := &redactor{}
	log, closer, err := openDebugLog(r.global.debug, redact)
	if err != nil {
		return slog.New(slog.DiscardHandler), redact, err
	}
	r.onClose(func() { _ = closer.Close() })
	log.Debug("start", "version", buildVersion(), "demo", r.global.demo)
	return log, redact, nil
}

// openDebugLog returns a JSON slog logger appending to path (created 0600),
// or a discarding one when path is "". It never writes to the terminal.
func openDebugLog(path string, r *redactor) (*slog.Logger, io.Closer, error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), io.NopCloser(nil), nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, &exitError{code: ExitUsage, msg: fmt.Sprintf("--debug %s: cannot open: %v; choose a writable file", path, err)}
	}
	h := slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: r.replaceAttr})
	return slog.New(h), f, nil
}

// redactor is the belt to api.Secret's braces: it blanks attributes whose
// names say they hold credentials, and any known secret value wherever it
// appears in a logged string.
type redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// add registers resolved secret values to scrub from every record.
func (r *redactor) add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		// Very short values would blank ordinary words; they are still
		// covered by api.Secret and the attribute names.
		if len(v) >= 4 {
			r.secrets = append(r.secrets, v)
		}
	}
}

const redactedText = "[REDACTED]"

// sensitiveWords mark an attribute as a credential when they appear as a
// word of its name (client_secret, access_token, strPIN, Authorization).
var sensitiveWords = map[string]bool{
	"secret": true, "password": true, "passwd": true, "authorization": true, "pin": true, "strpin": true,
	"token": true, "bearer": true, "credential": true, "credentials": true, "apikey": true, "cookie": true,
}

// harmlessLast are final words that make a sensitive-looking name a
// description rather than the credential (token_url, token_type).
var harmlessLast = map[string]bool{"url": true, "type": true, "mode": true, "expiry": true, "source": true, "env": true}

func sensitiveKey(key string) bool {
	words := keyWords(key)
	if len(words) == 0 || harmlessLast[words[len(words)-1]] {
		return false
	}
	for _, w := range words {
		if sensitiveWords[w] {
			return true
		}
	}
	return false
}

// keyWords splits snake_case, kebab-case, dotted and camelCase names into
// lower-case words.
func keyWords(key string) []string {
	var words []string
	var cur strings.Builder
	prevLower := false
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, strings.ToLower(cur.String()))
			cur.Reset()
		}
	}
	for _, r := range key {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ':
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur.WriteRune(r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return words
}

func (r *redactor) scrub(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, redactedText)
	}
	return s
}

func (r *redactor) replaceAttr(_ []string, a slog.Attr) slog.Attr {
	if sensitiveKey(a.Key) && a.Value.Kind() != slog.KindGroup {
		return slog.String(a.Key, redactedText)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.scrub(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, r.scrub(err.Error()))
		}
		if s, ok := v.Any().(fmt.Stringer); ok {
			return slog.String(a.Key, r.scrub(s.String()))
		}
	}
	return a
}
